"""The monthly supervised-area report (seed 001 §12): by the 10th of each month, the previous
month's goods that entered and left the supervised area, summary and detail (Customs
announcement 2014 No. 56).

Only the generation record is stored (AreaReport); its rows are the month's bonded stock
movements, which are never changed once written. Generating stamps each movement of the month
with the report (one UPDATE), and the summary and detail are read from the stamped movements
(one GROUP BY, one ordered select). Copying them into report tables would duplicate the
ledger; the stamp already freezes what the report holds: goods registered late with a date in
a reported month stay out of it (the list shows them as waiting) until it is generated again,
which replaces it. A movement still uncommitted while the report is generated is not stamped
either, so it cannot slip in unseen afterwards.
"""

from datetime import date, datetime

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from storefront.extensions import db
from storefront.models import AreaReport, BondedStockMovement, Tenant
from storefront.models.types import utcnow
from storefront.queries.area_reports import month_bounds, previous_month
from storefront.tenancy import system_context, tenant_context

SYSTEM = "system"


class MonthNotOver(ValueError):
    """A month is reported once it has ended (China Standard Time)."""


def generate(month: date, who: str, now: datetime | None = None) -> AreaReport:
    """Generate the store's report of an ended month, or generate it again (replacing it):
    every movement dated in the month is in it; commit."""
    now = now or utcnow()
    month = month.replace(day=1)
    start, end = month_bounds(month)
    if end > now:
        raise MonthNotOver(month.isoformat())
    report = _report_row(month)
    report.generated_at, report.generated_by = now, who
    db.session.execute(
        update(BondedStockMovement)
        .where(BondedStockMovement.at >= start, BondedStockMovement.at < end)
        .values(area_report_id=report.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return report


def _report_row(month: date) -> AreaReport:
    """Return the month's report row, locked; made if missing (a racing maker wins)."""
    statement = select(AreaReport).where(AreaReport.month == month).with_for_update()
    report = db.session.scalar(statement)
    if report is not None:
        return report
    try:
        with db.session.begin_nested():
            db.session.add(AreaReport(month=month, generated_by=SYSTEM))
    except IntegrityError:  # generated at the same moment elsewhere: take that row
        pass
    return db.session.scalar(statement.execution_options(populate_existing=True))


def generate_due(now: datetime | None = None) -> list[str]:
    """Generate last month's report in every active store that has none yet (seed 001 §12:
    due by the 10th, so it exists whenever the scheduled sweep ran since the month ended);
    return the stores' slugs."""
    now = now or utcnow()
    month = previous_month(now)
    reported = exists().where(AreaReport.tenant_id == Tenant.id, AreaReport.month == month)
    with system_context():
        stores = db.session.execute(
            select(Tenant.id, Tenant.slug).where(Tenant.active, ~reported).order_by(Tenant.id)
        ).all()
    for tenant_id, _slug in stores:
        with tenant_context(tenant_id):
            generate(month, SYSTEM, now)
    return [slug for _id, slug in stores]
