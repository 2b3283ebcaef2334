"""Reconciliation look-ups: the two record tables of a period with filters and column totals,
the mismatches, the runs, and the streamed CSV / XLSX export of the records (SPEC §8)."""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import func, select

from storefront.documents.cells import spreadsheet_safe
from storefront.extensions import db
from storefront.models import Tenant
from storefront.models.reconciliation import Kind, ReconMismatch, ReconRecord, ReconRun
from storefront.services.reconciliation import period_bounds

CHINA = timezone(timedelta(hours=8), "CST")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"

# (field, title) of seed 004 [0018] the transaction record and [0019] the tax record, in the
# seed's order; money fields are totalled.
TRANSACTION = (
    ("order_number", "Order number"),
    ("payment_serial", "Payment serial"),
    ("waybill_number", "Waybill number"),
    ("filing_serial", "Filing serial"),
    ("ordered_at", "Order time"),
    ("paid_at", "Payment time"),
    ("total_paid", "Total paid"),
    ("goods_amount", "Goods amount"),
    ("settlement_currency", "Settlement currency"),
    ("settlement_amount", "Settlement amount"),
    ("exchange_rate", "Exchange rate"),
    ("tax_withheld", "Tax withheld"),
    ("freight", "Freight"),
    ("freight_currency", "Freight currency"),
    ("goods_and_freight", "Goods and freight"),
    ("buyer_name", "Buyer name"),
)
TAX = (
    ("order_number", "Order number"),
    ("payment_serial", "Payment serial"),
    ("waybill_number", "Waybill number"),
    ("filing_serial", "Filing serial"),
    ("ordered_at", "Order time"),
    ("deducted_at", "Customs deduction time"),
    ("tax_withheld", "Tax withheld"),
    ("tax_deducted", "Tax actually deducted"),
    ("tax_refunded", "Tax refunded to the person"),
    ("paid_at", "Payment time"),
    ("buyer_name", "Buyer name"),
)
TABLES = {"transaction": TRANSACTION, "tax": TAX}
TOTALLED = (
    "total_paid",
    "goods_amount",
    "settlement_amount",
    "tax_withheld",
    "freight",
    "goods_and_freight",
    "tax_deducted",
    "tax_refunded",
)
STATUSES = ("open", "resolved", "cleared", "all")


@dataclass(frozen=True)
class RecordFilters:
    date_from: date
    date_to: date
    number: str = ""
    changed: bool = False  # only records the latest run changed
    tenant_id: int | None = None  # platform console only, inside system_context()


@dataclass(frozen=True)
class MismatchFilters:
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = None
    status: str = "open"
    tenant_id: int | None = None


def records_statement(filters: RecordFilters):
    """The period's records matching the filters, in clearance order."""
    start, end = period_bounds(filters.date_from, filters.date_to)
    statement = select(ReconRecord).where(
        ReconRecord.released_at >= start, ReconRecord.released_at < end
    )
    if filters.tenant_id is not None:
        statement = statement.where(ReconRecord.tenant_id == filters.tenant_id)
    if filters.number:
        statement = statement.where(ReconRecord.order_number.ilike(f"%{filters.number}%"))
    if filters.changed:
        latest = select(func.max(ReconRun.id)).where(ReconRun.tenant_id == ReconRecord.tenant_id)
        statement = statement.where(
            ReconRecord.changed_run_id == latest.scalar_subquery(), ReconRecord.changes != ""
        )
    return statement.order_by(ReconRecord.released_at, ReconRecord.id)


def records(filters: RecordFilters, page: int, per_page: int):
    return db.paginate(records_statement(filters), page=page, per_page=per_page, error_out=False)


def totals(filters: RecordFilters) -> dict[str, Decimal]:
    """Sum each money column over every record of the filters (not only the page shown)."""
    matching = records_statement(filters).order_by(None).subquery()
    row = db.session.execute(
        select(*(func.coalesce(func.sum(matching.c[name]), 0) for name in TOTALLED))
    ).one()
    return {name: Decimal(value) for name, value in zip(TOTALLED, row, strict=True)}


def mismatches_statement(filters: MismatchFilters):
    """The mismatches of the filters: open (not resolved, still found) first, newest first."""
    statement = select(ReconMismatch)
    if filters.tenant_id is not None:
        statement = statement.where(ReconMismatch.tenant_id == filters.tenant_id)
    if filters.date_from and filters.date_to:
        start, end = period_bounds(filters.date_from, filters.date_to)
        statement = statement.where(
            ReconMismatch.subject_at >= start, ReconMismatch.subject_at < end
        )
    if filters.kind in set(Kind):
        statement = statement.where(ReconMismatch.kind == filters.kind)
    resolved = ReconMismatch.resolved_at.is_not(None)
    cleared = ReconMismatch.cleared_run_id.is_not(None)
    if filters.status == "open":
        statement = statement.where(~resolved, ~cleared)
    elif filters.status == "resolved":
        statement = statement.where(resolved)
    elif filters.status == "cleared":
        statement = statement.where(cleared)
    return statement.order_by(ReconMismatch.subject_at.desc(), ReconMismatch.id.desc())


def mismatches(filters: MismatchFilters, page: int, per_page: int):
    return db.paginate(mismatches_statement(filters), page=page, per_page=per_page, error_out=False)


def mismatch_or_404(mismatch_id: int) -> ReconMismatch:
    return db.first_or_404(select(ReconMismatch).where(ReconMismatch.id == mismatch_id))


def latest_runs(limit: int = 5, tenant_id: int | None = None) -> list[ReconRun]:
    statement = select(ReconRun).order_by(ReconRun.id.desc()).limit(limit)
    if tenant_id is not None:
        statement = statement.where(ReconRun.tenant_id == tenant_id)
    return list(db.session.scalars(statement))


def tenant_names() -> dict[int, str]:
    """Every merchant's name by id (the platform's merchant filter)."""
    return dict(db.session.execute(select(Tenant.id, Tenant.name).order_by(Tenant.name)).all())


# -- the export: rows written as they are read (yield_per), constant memory --


def columns_for(table: str) -> tuple[tuple[str, str], ...]:
    """Return the (field, title) pairs of a table: transaction, tax, or both (one row each)."""
    if table == "both":
        extra = tuple(pair for pair in TAX if pair not in TRANSACTION)
        return TRANSACTION + extra
    return TABLES[table]


def _cell_value(value):
    if isinstance(value, datetime):
        return value.astimezone(CHINA).replace(tzinfo=None)  # a real date cell, China time
    return spreadsheet_safe(value)


def export_rows(statement, fields: Iterable[str]) -> Iterator[list]:
    """Yield each record's values, fetched 1,000 at a time."""
    fields = list(fields)
    for row in db.session.scalars(statement.execution_options(yield_per=1000)):
        yield [_cell_value(getattr(row, name)) for name in fields]


def csv_chunks(
    rows: Iterator[list], titles: list[str], fields: list[str], total_label: str = "Total"
) -> Iterator[str]:
    """Yield the CSV text (BOM, header, rows, totals row) a few hundred rows at a time."""
    totals = dict.fromkeys((name for name in fields if name in TOTALLED), Decimal(0))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly with a BOM
    writer.writerow(titles)
    for n, row in enumerate(rows, start=1):
        _add_up(totals, fields, row)
        writer.writerow(_csv_text(value) for value in row)
        if n % 500 == 0:
            yield _drain(buffer)
    writer.writerow(_csv_text(value) for value in _totals_row(totals, fields, total_label))
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return str(value)


def _add_up(totals: dict, fields: list[str], row: list) -> None:
    for name, value in zip(fields, row, strict=True):
        if name in totals and value is not None:
            totals[name] += value


def _totals_row(totals: dict, fields: list[str], label: str) -> list:
    return [label if i == 0 else totals.get(name, "") for i, name in enumerate(fields)]


def write_xlsx(
    rows: Iterator[list], titles: list[str], fields: list[str], out, total_label: str = "Total"
) -> None:
    """Write one sheet to `out`: number and date cells, a frozen header, a totals row; the
    write-only workbook keeps rows on disk as they are appended (constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("reconciliation")
    sheet.freeze_panes = "A2"
    sheet.append(titles)
    totals = dict.fromkeys((name for name in fields if name in TOTALLED), Decimal(0))
    for row in rows:
        _add_up(totals, fields, row)
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    sheet.append([_xlsx_cell(sheet, value) for value in _totals_row(totals, fields, total_label)])
    workbook.save(out)


def _xlsx_cell(sheet, value):
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def xlsx_file(rows: Iterator[list], titles: list[str], fields: list[str], total_label: str):
    """Return a spooled temporary file holding the XLSX, rewound (served in chunks)."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by the response, which reads it
    write_xlsx(rows, titles, fields, spool, total_label)
    spool.seek(0)
    return spool
