"""Invoice look-ups for the merchant console: the filtered list (pages and exports), one
invoice with its order, files and timeline, its red counterparts, one stored file; and the
shopper's download of an order's invoice."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.extensions import db
from storefront.models import Invoice, InvoiceFile, Order
from storefront.queries.orders import CHINA


@dataclass(frozen=True)
class InvoiceFilters:
    state: str | None = None
    kind: str | None = None
    date_from: date | None = None  # written on or after (China Standard Time)
    date_to: date | None = None
    number: str = ""  # the order's number, or part of it
    title: str = ""  # the buyer's name, or part of it


def invoices_statement(filters: InvoiceFilters):
    """The store's invoices matching the filters, newest first."""
    statement = select(Invoice).join(Order, Order.id == Invoice.order_id)
    if filters.state:
        statement = statement.where(Invoice.state == filters.state)
    if filters.kind:
        statement = statement.where(Invoice.kind == filters.kind)
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, CHINA)
        statement = statement.where(Invoice.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.max, CHINA)
        statement = statement.where(Invoice.created_at <= end)
    if filters.number:
        statement = statement.where(Order.number.ilike(f"%{_like(filters.number)}%"))
    if filters.title:
        statement = statement.where(Invoice.buyer_name.ilike(f"%{_like(filters.title)}%"))
    return statement.options(selectinload(Invoice.order)).order_by(Invoice.id.desc())


def invoices(filters: InvoiceFilters, page: int, per_page: int):
    return db.paginate(invoices_statement(filters), page=page, per_page=per_page, error_out=False)


def invoice_or_404(invoice_id: int) -> Invoice:
    return db.first_or_404(
        select(Invoice)
        .where(Invoice.id == invoice_id)
        .options(
            selectinload(Invoice.order),
            selectinload(Invoice.files),
            selectinload(Invoice.events),
        )
    )


def reds_of(invoice_id: int) -> list[Invoice]:
    """Return the red invoices that reversed this blue one."""
    return list(
        db.session.scalars(select(Invoice).where(Invoice.original_invoice_id == invoice_id))
    )


def file_or_404(invoice_id: int, file_id: int) -> InvoiceFile:
    return db.first_or_404(
        select(InvoiceFile).where(InvoiceFile.id == file_id, InvoiceFile.invoice_id == invoice_id)
    )


def order_invoice_file(order_id: int, invoice_id: int, media_type: str) -> InvoiceFile | None:
    """Return the file of this type we rendered for the order's invoice (the shopper's
    download: our printable and structured invoice, not the provider's copy), or None."""
    return db.session.scalar(
        select(InvoiceFile)
        .join(Invoice, Invoice.id == InvoiceFile.invoice_id)
        .where(
            Invoice.id == invoice_id,
            Invoice.order_id == order_id,
            InvoiceFile.source == "ours",
            InvoiceFile.media_type == media_type,
        )
    )


def _like(text: str) -> str:
    """Escape LIKE's wildcards: the merchant searches for the text as typed."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
