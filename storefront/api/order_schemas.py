"""What the API answers about an order: its figures, logistics, customs and invoice.

Every word comes from where the shop's order page takes it (status and customs labels,
the order log's reasons, the customs refusal's wording, the invoice's state in words), so a
front end built on the API says exactly what the shop says.
"""

from datetime import datetime

from flask import g, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from storefront.api.schemas import MoneyText
from storefront.domain.money import format_money
from storefront.domain.orders import Actor, OrderStatus, next_statuses
from storefront.domain.shipping import CARRIERS
from storefront.i18n import label, status_label, tax_tag_label
from storefront.models import Order
from storefront.order_log import reason_text
from storefront.queries.customs import declaration_for_order
from storefront.queries.orders import order_payment
from storefront.queries.reviews import order_reviews
from storefront.services.invoices import invoices_of, request_of
from storefront.shop.invoices import invoice_state_text
from storefront.shop.orders import customs_reason

FORMATS = ("pdf", "xml")  # the invoice files we render (shop/invoices.py FILE_TYPES)
STATUS_TEXT = "The status in the caller's language (待发货 ...)"


class OrderSummary(BaseModel):
    id: int
    number: str
    status: str = Field(description="pending_payment, paid, shipped, received, completed, ...")
    status_text: str = Field(description=STATUS_TEXT)
    placed_at: datetime
    checkout_id: int
    supplier: str
    total: MoneyText
    items: int = Field(description="Units in the order")


class OrderPage(BaseModel):
    items: list[OrderSummary]
    next_cursor: str | None


class LineReview(BaseModel):
    rating: int = Field(ge=1, le=5)
    body: str


class OrderLine(BaseModel):
    id: int = Field(description="`line_id` of a review")
    product_id: int
    name: str
    price: MoneyText
    quantity: int
    amount: MoneyText
    review: LineReview | None


class Taxes(BaseModel):
    tag: str | None = Field(description="The tax tag; null for ordinary goods")
    tag_text: str
    method: str = Field(description="composite, postal, full or none")
    tariff: MoneyText
    consumption_tax: MoneyText
    vat: MoneyText
    tax_due: MoneyText


class Totals(BaseModel):
    goods: MoneyText
    freight: MoneyText
    tax_due: MoneyText
    total: MoneyText
    refunded: MoneyText


class Consignee(BaseModel):
    name: str
    phone: str
    address: str


class TimelineEntry(BaseModel):
    at: datetime
    status: str
    status_text: str
    text: str = Field(description="Why it moved, in the caller's language")


class Logistics(BaseModel):
    carrier: str | None
    carrier_name: str | None
    tracking_number: str | None
    timeline: list[TimelineEntry] = Field(description="Shipped and received, oldest first")


class CustomsProgress(BaseModel):
    state: str = Field(description="awaiting_waybill ... cleared, released or rejected")
    state_text: str
    summary: str = Field(description="Where the declaration stands, in words")
    reason: str | None = Field(description="Why customs returned it (rejected only)")


class InvoiceInfo(BaseModel):
    id: int
    kind: str = Field(description="blue (the invoice) or red (reversing one)")
    state: str = Field(description="requested, issuing, issued, failed or reversed")
    state_text: str
    number: str | None
    issued_at: datetime | None
    pdf_url: str | None = Field(description="Download (with the token) once issued")
    xml_url: str | None


class Invoicing(BaseModel):
    requested: bool
    invoices: list[InvoiceInfo]


class Payment(BaseModel):
    method: str
    method_text: str
    status: str


class OrderDetail(OrderSummary):
    lines: list[OrderLine]
    taxes: Taxes
    totals: Totals
    consignee: Consignee
    buyer_name: str
    payment: Payment | None
    logistics: Logistics | None
    customs: CustomsProgress | None
    invoice: Invoicing
    history: list[TimelineEntry]
    actions: list[str] = Field(
        description="What the shopper may do now: pay, cancel, confirm_receipt, review"
    )


def order_summary(order: Order) -> OrderSummary:
    """The order as lists show it."""
    return OrderSummary(**_summary_fields(order))


def order_detail(order: Order) -> OrderDetail:
    """Everything the shop's order page shows of the order."""
    reviews = order_reviews(order)
    return OrderDetail(
        **_summary_fields(order),
        lines=[_line(line, reviews.get(line.id)) for line in order.lines],
        taxes=Taxes(
            tag=order.tax_tag,
            tag_text=tax_tag_label(order.tax_tag),
            method=order.tax_method,
            tariff=format_money(order.tariff),
            consumption_tax=format_money(order.consumption_tax),
            vat=format_money(order.vat),
            tax_due=format_money(order.tax_due),
        ),
        totals=Totals(
            goods=format_money(order.goods_total),
            freight=format_money(order.freight),
            tax_due=format_money(order.tax_due),
            total=format_money(order.total),
            refunded=format_money(order.refunded),
        ),
        consignee=Consignee(
            name=order.consignee, phone=order.consignee_phone, address=order.consignee_address
        ),
        buyer_name=order.buyer_name,
        payment=_payment(order),
        logistics=_logistics(order),
        customs=_customs(order),
        invoice=_invoicing(order),
        history=[_entry(event) for event in order.events],
        actions=_actions(order, reviews),
    )


def _summary_fields(order: Order) -> dict:
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "status_text": status_label(order.status),
        "placed_at": order.placed_at,
        "checkout_id": order.checkout_id,
        "supplier": order.supplier.name,
        "total": format_money(order.total),
        "items": sum(line.quantity for line in order.lines),
    }


def _line(line, review) -> OrderLine:
    given = LineReview(rating=review.rating, body=review.body) if review else None
    return OrderLine(
        id=line.id,
        product_id=line.product_id,
        name=line.name,
        price=format_money(line.price),
        quantity=line.quantity,
        amount=format_money(line.amount),
        review=given,
    )


def _entry(event) -> TimelineEntry:
    return TimelineEntry(
        at=event.at,
        status=event.to_status,
        status_text=status_label(event.to_status),
        text=reason_text(event),
    )


def _payment(order: Order) -> Payment | None:
    payment = order_payment(order)
    if payment is None:
        return None
    method_text = label("payment_method", payment.method)
    return Payment(method=payment.method, method_text=method_text, status=payment.status)


def _logistics(order: Order) -> Logistics | None:
    if order.status != OrderStatus.SHIPPED and not order.tracking_number:
        return None
    moves = [e for e in order.events if e.to_status in (OrderStatus.SHIPPED, OrderStatus.RECEIVED)]
    return Logistics(
        carrier=order.carrier,
        carrier_name=CARRIERS.get(order.carrier or "", order.carrier),
        tracking_number=order.tracking_number,
        timeline=[_entry(event) for event in moves],
    )


def _customs(order: Order) -> CustomsProgress | None:
    declaration = declaration_for_order(order.id)
    if declaration is None:
        return None
    rejected = declaration.state == "rejected"
    return CustomsProgress(
        state=declaration.state,
        state_text=label("customs_state", declaration.state),
        summary=_customs_summary(declaration.state),
        reason=customs_reason(declaration, order.policy_code) if rejected else None,
    )


def _customs_summary(state: str) -> str:
    # the sentences of the shop's order page (shop/order.html), step by step
    if state == "rejected":
        return _("The store will correct the declaration or refund you.")
    if state == "released":
        return _("Customs released your order; the bonded warehouse ships it.")
    if state == "cleared":
        return _("Customs has checked your order; release follows.")
    return _("Your order is being declared to customs; this usually takes a few hours.")


def _invoicing(order: Order) -> Invoicing:
    invoices = [_invoice(order, invoice) for invoice in invoices_of(order.id)]
    return Invoicing(requested=request_of(order.id) is not None, invoices=invoices)


def _invoice(order: Order, invoice) -> InvoiceInfo:
    issued = invoice.state == "issued"
    links = {f"{fmt}_url": _file_url(order, invoice, fmt) if issued else None for fmt in FORMATS}
    return InvoiceInfo(
        id=invoice.id,
        kind=invoice.kind,
        state=invoice.state,
        state_text=invoice_state_text(invoice),
        number=invoice.number,
        issued_at=invoice.issued_at,
        **links,
    )


def _file_url(order: Order, invoice, fmt: str) -> str:
    values = {"order_id": order.id, "invoice_id": invoice.id, "invoice_format": fmt}
    return url_for("api.invoice_file", store_slug=g.tenant.slug, **values)


def _actions(order: Order, reviews: dict) -> list[str]:
    moves = next_statuses(OrderStatus(order.status), Actor.SHOPPER)
    actions = ["pay"] if order.status == OrderStatus.PENDING_PAYMENT else []
    if OrderStatus.CANCELLED in moves:
        actions.append("cancel")
    if OrderStatus.RECEIVED in moves:
        actions.append("confirm_receipt")
    received = order.status in (OrderStatus.RECEIVED, OrderStatus.COMPLETED)
    if received and any(line.id not in reviews for line in order.lines):
        actions.append("review")
    return actions
