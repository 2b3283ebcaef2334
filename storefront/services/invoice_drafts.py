"""What an invoice says, from the order: its lines through the domain drafts (seed 003 注意事项
2-4), the way rows keep them, and the provider's request and the printed document built from
an invoice row."""

from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select

from storefront.domain.invoices.document import InvoiceDocument, Party, RedConfirmation
from storefront.domain.invoices.lines import Draft, InvoiceLine, ItemIn, draft_blue
from storefront.domain.money import CENT, ZERO
from storefront.extensions import db
from storefront.models import Invoice, InvoiceSettings, Order, ProductInvoicing
from storefront.models.types import utcnow
from storefront.ports import InvoiceLine as PortLine
from storefront.ports import InvoiceParty, InvoiceRequest, RedForm
from storefront.services.invoice_settings import CHINA

FREIGHT_NAME = "运费"
# Cross-border tax the store collected for customs (SPEC §2): passed through, no VAT on it.
COLLECTED_TAX_NAME = "代收跨境电商综合税"


def order_items(order: Order, settings: InvoiceSettings) -> list[ItemIn]:
    """Return the order's charges as invoice items (prices include tax), refunds taken off as
    discounts spread over them in proportion, so the draft totals what remains paid."""
    own = {
        row.product_id: row
        for row in db.session.scalars(
            select(ProductInvoicing).where(
                ProductInvoicing.product_id.in_([line.product_id for line in order.lines])
            )
        )
    }
    items = [_goods_item(line, own.get(line.product_id), settings) for line in order.lines]
    if order.freight > 0:
        items.append(ItemIn(FREIGHT_NAME, Decimal(1), order.freight, settings.tax_rate))
    if order.tax_due > 0:
        items.append(ItemIn(COLLECTED_TAX_NAME, Decimal(1), order.tax_due, Decimal(0)))
    if order.refunded <= 0:
        return items
    totals = [item.unit_price * item.quantity for item in items]
    return [
        _with_discount(item, part)
        for item, part in zip(items, spread_evenly(order.refunded, totals), strict=True)
    ]


def _goods_item(line, own: ProductInvoicing | None, settings: InvoiceSettings) -> ItemIn:
    rate = own.tax_rate if own is not None and own.tax_rate is not None else settings.tax_rate
    return ItemIn(
        name=line.name,
        quantity=Decimal(line.quantity),
        unit_price=line.price,
        tax_rate=rate,
        short_name=(own.short_name if own else "") or settings.short_name,
        tax_code=(own.tax_code if own else "") or settings.tax_code,
    )


def _with_discount(item: ItemIn, discount: Decimal) -> ItemIn:
    return ItemIn(
        item.name,
        item.quantity,
        item.unit_price,
        item.tax_rate,
        discount,
        item.short_name,
        item.tax_code,
        item.spec,
        item.unit,
    )


def spread_evenly(amount: Decimal, totals: list[Decimal]) -> list[Decimal]:
    """Split `amount` over lines in proportion to their totals, in whole fen, none above its
    line: each takes its share cut to the fen, the fen left over go to lines with room."""
    whole = sum(totals, ZERO)
    parts = [(amount * total / whole).quantize(CENT, rounding=ROUND_DOWN) for total in totals]
    left = amount - sum(parts, ZERO)
    for index, total in enumerate(totals):
        extra = min(left, total - parts[index])
        parts[index] += extra
        left -= extra
    return parts


def lines_json(draft: Draft) -> list[dict]:
    """Return the draft's lines as the row keeps them (decimals as strings)."""
    return [
        {
            "kind": line.kind,
            "name": line.name,
            "quantity": _text(line.quantity),
            "unit_price": _text(line.unit_price),
            "amount": str(line.amount),
            "tax": str(line.tax),
            "tax_rate": str(line.tax_rate),
            "spec": line.spec,
            "unit": line.unit,
            "tax_code": line.tax_code,
        }
        for line in draft.lines
    ]


def draft_of(invoice: Invoice) -> Draft:
    """Return the draft an invoice row was written from."""
    lines = tuple(
        InvoiceLine(
            kind=row["kind"],
            name=row["name"],
            quantity=_decimal(row["quantity"]),
            unit_price=_decimal(row["unit_price"]),
            amount=Decimal(row["amount"]),
            tax=Decimal(row["tax"]),
            tax_rate=Decimal(row["tax_rate"]),
            spec=row["spec"],
            unit=row["unit"],
            tax_code=row["tax_code"],
        )
        for row in invoice.lines
    )
    return Draft(invoice.kind, lines, invoice.total_amount, invoice.total_tax, invoice.total)


def seller(settings: InvoiceSettings) -> InvoiceParty:
    return InvoiceParty(settings.payee_name, settings.tax_number, settings.address, settings.phone)


def provider_request(invoice: Invoice, settings: InvoiceSettings) -> InvoiceRequest:
    """Return what the provider is asked for this row (the same every time: its serial)."""
    form = None
    if invoice.kind == "red":
        form = RedForm(invoice.red_form_number, invoice.red_form_reason, invoice.red_form_state)
    return InvoiceRequest(
        serial=invoice.serial,
        kind=invoice.kind,
        order_number=invoice.order.number,
        seller=seller(settings),
        buyer=InvoiceParty(invoice.buyer_name, invoice.buyer_tax_id),
        lines=tuple(PortLine(**_port_fields(line)) for line in draft_of(invoice).lines),
        total_amount=invoice.total_amount,
        total_tax=invoice.total_tax,
        total=invoice.total,
        drawer=invoice.drawer,
        medium=invoice.medium,
        business_type=invoice.business_type,
        platform_code=invoice.order.platform_code,
        remark=invoice.remark,
        original_number=invoice.original.number if invoice.original else None,
        red_form=form,
    )


def document_of(invoice: Invoice, settings: InvoiceSettings) -> InvoiceDocument:
    """Return the issued invoice as printed (storefront.documents.einvoice renders it)."""
    confirmation = None
    if invoice.kind == "red":
        confirmation = RedConfirmation(invoice.red_form_number, invoice.red_form_reason)
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issued_on=(invoice.issued_at or utcnow()).astimezone(CHINA).date(),
        seller=Party(settings.payee_name, settings.tax_number, settings.address, settings.phone),
        buyer=Party(invoice.buyer_name, invoice.buyer_tax_id),
        lines=draft_of(invoice).lines,
        total_amount=invoice.total_amount,
        total_tax=invoice.total_tax,
        total=invoice.total,
        remark=invoice.remark,
        drawer=invoice.drawer,
        blue_number=invoice.original.number if invoice.original else "",
        confirmation=confirmation,
    )


def _port_fields(line: InvoiceLine) -> dict:
    return {
        "kind": line.kind,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "tax": line.tax,
        "tax_rate": line.tax_rate,
        "tax_code": line.tax_code,
        "spec": line.spec,
        "unit": line.unit,
    }


def blue_draft(order: Order, settings: InvoiceSettings) -> Draft:
    """Draft the blue invoice of what the order still charges."""
    return draft_blue(order_items(order, settings))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
