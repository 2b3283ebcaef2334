"""Customs filings (备案): the store's enterprise filing, each product's filing, the platform
operator's review, and which products may not be sold cross-border for want of one.

Seed 000 step 2 and seed 001 §4: a merchant files its customs codes and every tax product
before selling cross-border; the platform operator approves or rejects each filing. The filing
row carries its last decision (reviewed_by, reviewed_at, review_note): that is the audit trail.
"""

import logging
from datetime import datetime

from sqlalchemy import select

from storefront.domain.customs.filings import FilingStatus
from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import CustomsFiling, Product, ProductFiling
from storefront.models.types import utcnow
from storefront.queries import row_or_none
from storefront.services.errors import NotFound
from storefront.tenancy import system_context

log = logging.getLogger(__name__)

# The columns a merchant files; the review columns are the operator's.
ENTERPRISE_FIELDS = (
    "enterprise_code",
    "enterprise_name",
    "platform_code",
    "platform_name",
    "payment_code",
    "payment_name",
    "logistics_code",
    "logistics_name",
    "agent_code",
    "agent_name",
    "customs_code",
    "port_code",
    "trade_mode",
    "traf_mode",
    "ems_no",
    "area_code",
    "area_name",
    "loct_no",
    "traf_no",
    "voyage_no",
    "bill_no",
    "dxp_id",
)
PRODUCT_FIELDS = (
    "hs_code",
    "record_no",
    "origin_country",
    "unit",
    "unit1",
    "qty1_per_unit",
    "unit2",
    "qty2_per_unit",
    "gross_weight",
    "net_weight",
    "model",
    "bar_code",
    "postal_tax_number",
)
_NULLABLE = {"qty2_per_unit"}  # the only filed column that may be NULL
FILING_KINDS = {"enterprise": CustomsFiling, "product": ProductFiling}


def save_customs_filing(data: dict, who: str) -> bool:
    """Create or update the store's enterprise filing; return whether anything changed."""
    filing = db.session.scalar(select(CustomsFiling)) or CustomsFiling()
    changed = _submit(filing, data, ENTERPRISE_FIELDS, who)
    db.session.add(filing)
    db.session.commit()
    return changed


def save_product_filing(product_id: int, data: dict, who: str) -> bool:
    """Create or update a tax product's filing; return whether anything changed."""
    product = row_or_none(Product, product_id)
    if product is None or not product.is_tax_product:
        raise NotFound("product")
    filing = db.session.scalar(
        select(ProductFiling).where(ProductFiling.product_id == product.id)
    ) or ProductFiling(product_id=product.id)
    changed = _submit(filing, data, PRODUCT_FIELDS, who)
    db.session.add(filing)
    db.session.commit()
    return changed


def _submit(filing, data: dict, fields: tuple[str, ...], who: str) -> bool:
    """Copy the filed values; any change sends the filing back to the operator's queue."""
    values = {name: data.get(name) for name in fields}
    changed = filing.id is None or any(getattr(filing, k) != v for k, v in values.items())
    if not changed:
        return False
    for name, value in values.items():
        setattr(filing, name, "" if value is None and name not in _NULLABLE else value)
    # The last decision stays on the row for the operator to see; only the status resets.
    filing.status, filing.submitted_at = FilingStatus.PENDING, utcnow()
    # The filing has no submitted_by column (migration 0013 is fixed): the log keeps who.
    log.info("%s filing submitted for review by %s", type(filing).__name__, who)
    return True


def review_filing(
    kind: str,
    filing_id: int,
    approve: bool,
    note: str,
    who: str,
    seen_submitted_at: datetime | None = None,
) -> None:
    """Approve or reject a filing of any store (the operator); a rejection needs a reason.

    `seen_submitted_at` is the submission the operator looked at: a filing changed since
    then is refused, so nobody approves values they have not seen.
    """
    note = note.strip()
    if not approve and not note:
        raise Refused(ErrorCode.NOTE_REQUIRED)
    model = FILING_KINDS.get(kind)
    if model is None:
        raise NotFound("filing kind")
    with system_context():  # the operator reviews every store's filings
        filing = db.session.scalar(
            select(model)
            .where(model.id == filing_id)
            .with_for_update()
            .execution_options(populate_existing=True)  # compare with the locked row
        )
        if filing is None:
            raise NotFound(model.__name__)
        if seen_submitted_at is not None and filing.submitted_at != seen_submitted_at:
            raise Refused(ErrorCode.FILING_CHANGED)
        filing.status = FilingStatus.APPROVED if approve else FilingStatus.REJECTED
        filing.review_note, filing.reviewed_by, filing.reviewed_at = note, who, utcnow()
        db.session.commit()


def unfiled_products(product_ids) -> list[str]:
    """Name the tax products among `product_ids` that may not be sold cross-border yet.

    A tax product sells only when the store's enterprise filing and its own product filing
    are both approved (seed 001 §4); ordinary products need no filing.
    """
    ids = list(product_ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(Product.name, ProductFiling.status)
        .outerjoin(ProductFiling, ProductFiling.product_id == Product.id)
        .where(Product.id.in_(ids), Product.tax_tag.is_not(None))
        .order_by(Product.id)
    ).all()
    if not rows:
        return []
    store_approved = db.session.scalar(select(CustomsFiling.status)) == FilingStatus.APPROVED
    return [name for name, status in rows if not store_approved or status != FilingStatus.APPROVED]
