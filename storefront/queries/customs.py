"""Customs look-ups: an order's declaration with its documents and receipts, the list across
orders with filters (console and exports), counts per state, and the command line's status."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storefront.domain.customs.receipts import tax_deducted
from storefront.extensions import db
from storefront.models import (
    CustomsDeclaration,
    CustomsDocument,
    CustomsEvent,
    CustomsReceipt,
    CustomsTaxBill,
    Order,
)
from storefront.queries.orders import CHINA
from storefront.tenancy import system_context, tenant_context


def declaration_for_order(order_id: int) -> CustomsDeclaration | None:
    return db.session.scalar(
        select(CustomsDeclaration)
        .where(CustomsDeclaration.order_id == order_id)
        .options(selectinload(CustomsDeclaration.documents))
    )


def declaration_or_404(declaration_id: int) -> CustomsDeclaration:
    return db.first_or_404(
        select(CustomsDeclaration)
        .where(CustomsDeclaration.id == declaration_id)
        .options(selectinload(CustomsDeclaration.documents))
    )


def document_or_404(declaration_id: int, document_id: int) -> CustomsDocument:
    return db.first_or_404(
        select(CustomsDocument).where(
            CustomsDocument.id == document_id, CustomsDocument.declaration_id == declaration_id
        )
    )


def receipts(declaration_id: int) -> list[CustomsReceipt]:
    """Every receipt of the declaration in customs' own order (returnTime)."""
    return list(
        db.session.scalars(
            select(CustomsReceipt)
            .where(CustomsReceipt.declaration_id == declaration_id)
            .order_by(CustomsReceipt.return_time, CustomsReceipt.id)
        )
    )


def timeline(declaration_id: int) -> list[CustomsEvent]:
    return list(
        db.session.scalars(
            select(CustomsEvent)
            .where(CustomsEvent.declaration_id == declaration_id)
            .order_by(CustomsEvent.id)
        )
    )


@dataclass(frozen=True)
class CustomsFilters:
    state: str | None = None
    kind: str | None = None  # declarations with a current document of this kind
    date_from: date | None = None
    date_to: date | None = None
    rejected: bool = False
    number: str = ""


def declarations_statement(filters: CustomsFilters):
    """The store's declarations matching the filters, latest change first."""
    statement = select(CustomsDeclaration).join(Order, Order.id == CustomsDeclaration.order_id)
    if filters.state:
        statement = statement.where(CustomsDeclaration.state == filters.state)
    if filters.rejected:
        statement = statement.where(CustomsDeclaration.state == "rejected")
    if filters.kind:
        has_kind = select(CustomsDocument.id).where(
            CustomsDocument.declaration_id == CustomsDeclaration.id,
            CustomsDocument.kind == filters.kind,
            CustomsDocument.current,
        )
        statement = statement.where(has_kind.exists())
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, CHINA)
        statement = statement.where(CustomsDeclaration.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.max, CHINA)
        statement = statement.where(CustomsDeclaration.created_at <= end)
    if filters.number:
        statement = statement.where(Order.number.ilike(f"%{filters.number}%"))
    options = (selectinload(CustomsDeclaration.order), selectinload(CustomsDeclaration.documents))
    return statement.options(*options).order_by(CustomsDeclaration.updated_at.desc())


def declarations(filters: CustomsFilters, page: int, per_page: int):
    return db.paginate(
        declarations_statement(filters), page=page, per_page=per_page, error_out=False
    )


def counts_by_state() -> dict[str, int]:
    """How many of the store's orders are in each customs state (the dashboard)."""
    rows = db.session.execute(
        select(CustomsDeclaration.state, func.count()).group_by(CustomsDeclaration.state)
    )
    return dict(rows.all())


def status_by_order_number(order_number: str) -> dict | None:
    """The command line's status: one JSON-ready object, or None if no declaration exists."""
    with system_context():
        found = db.session.execute(
            select(Order.tenant_id, Order.id).where(Order.number == order_number)
        ).first()
    if found is None:
        return None
    with tenant_context(found.tenant_id):
        declaration = declaration_for_order(found.id)
        return None if declaration is None else status_dict(declaration, order_number)


def status_dict(declaration: CustomsDeclaration, order_number: str) -> dict:
    documents = {
        doc.kind: {
            "status": doc.status,
            "return_status": doc.last_return_status,
            "return_time": doc.last_return_time,
            "guid": doc.guid,
            "app_type": doc.app_type,
        }
        for doc in declaration.documents
        if doc.current
    }
    return {
        "order_no": order_number,
        "state": declaration.state,
        "reason": declaration.reason_text or None,
        "reason_code": declaration.reason_code,
        "waybill": declaration.waybill_number,
        "invt_no": declaration.invt_no,
        "last_error": declaration.last_error,
        "documents": documents,
    }


def tax_bills_for(declaration_id: int) -> list[CustomsTaxBill]:
    """Return a declaration's tax bills in the order customs issued them."""
    return list(
        db.session.scalars(
            select(CustomsTaxBill)
            .where(CustomsTaxBill.declaration_id == declaration_id)
            .order_by(CustomsTaxBill.return_time, CustomsTaxBill.id)
        )
    )


def deducted_tax(declaration_id: int) -> Decimal | None:
    """Return the tax customs actually deducted for a declaration; None before any bill."""
    bills = tax_bills_for(declaration_id)
    return tax_deducted(bill.as_bill() for bill in bills) if bills else None
