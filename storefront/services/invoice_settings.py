"""The merchant's invoice settings (seed 003 §二, SPEC §7) and per-product invoicing fields."""

from collections.abc import Iterable, Mapping
from datetime import timedelta, timezone
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.invoices.taxpayer import normalise_tax_id, tax_id_problem
from storefront.domain.reviews import ReviewState
from storefront.domain.tax import TaxTag
from storefront.extensions import db
from storefront.models import InvoiceSettings, Order, Product, ProductInvoicing
from storefront.models.types import utcnow
from storefront.ports import N_
from storefront.services import invoice_issuer
from storefront.services.errors import NotFound

CHINA = timezone(timedelta(hours=8), "CST")  # issue dates are China Standard Time
# Seed 003 §二.2: the order status whose reaching triggers issuance; its timestamp on the order.
TRIGGERS = {
    "paid": "paid_at",
    "shipped": "shipped_at",
    "received": "received_at",
    "completed": "completed_at",
}
MODES = ("sync", "async")  # seed 003 §三: one call, or request then collect
# Seed 003 §七.2: the channel an order came from.
PLATFORM_CODES = (
    "TB", "TM", "JD", "DD", "PP", "YX", "EBAY", "QQ", "AMAZON", "SN", "GM", "WPH", "JM",
    "LF", "MGJ", "JS", "PX", "YT", "YHD", "VANCL", "YL", "YG", "1688", "POS", "OTHER",
)  # fmt: skip
NON_TAX = "non_tax"
# SPEC §7: cross-border tax products are offshore purchases, usually without a domestic VAT
# invoice: off by default; ordinary (domestic) goods on.
DEFAULT_ELIGIBILITY = {NON_TAX: True, **{tag.value: False for tag in TaxTag}}


class InvoiceSettingsRefused(Refused):
    """The settings do not validate; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(ErrorCode.INVALID_SETTINGS)
        self.errors = errors


def current_settings() -> InvoiceSettings | None:
    """Return the store's invoice settings, or None when invoicing is not set up."""
    return db.session.scalar(select(InvoiceSettings))


def locked_settings() -> InvoiceSettings | None:
    """Return the store's invoice settings locked for this use case and read fresh, or None."""
    # A save that read the issuer before another save sent it to review would otherwise
    # change what the operator opened under the same version number (seed 000 step 2(2)).
    statement = select(InvoiceSettings).with_for_update()
    return db.session.scalar(statement.execution_options(populate_existing=True))


def eligible(order: Order, settings: InvoiceSettings) -> bool:
    """Say whether the order's goods get an invoice: the setting of its tax tag."""
    key = order.tax_tag or NON_TAX
    return bool({**DEFAULT_ELIGIBILITY, **(settings.eligibility or {})}.get(key, False))


def save_settings(
    values: Mapping[str, object],
    who: str,
    certificate: invoice_issuer.Certificate | None = None,
    product_ids: Iterable[int] | None = None,
) -> InvoiceSettings:
    """Validate every field at once and store the settings, the issuer's certificate and the
    products it may invoice (None: unchanged); send the issuer for review when due; commit.

    Seed 000 step 2(2): the operator reviews the issuer; a change to what it reviewed sends the
    issuer back to review, and an issuer in the queue is not changed until it is decided.
    """
    errors, clean = _validated(values)
    row = locked_settings() or InvoiceSettings(review_state=ReviewState.DRAFT, review_version=0)
    chosen = None if product_ids is None else set(product_ids)
    if chosen is not None:
        allowed = {p.id for p, _code in invoice_issuer.invoiceable_products(clean["tax_code"])}
        errors.update(invoice_issuer.product_errors(row.review_state, chosen, allowed))
    if errors:
        raise InvoiceSettingsRefused(errors)
    reviewed = tuple(clean[name] for name in invoice_issuer.REVIEWED_FIELDS)
    changed = (
        reviewed != invoice_issuer.reviewed_values(row)
        or certificate is not None
        or (chosen is not None and chosen != invoice_issuer.listed_product_ids())
    )
    if changed and invoice_issuer.under_review(row):
        raise InvoiceSettingsRefused({"review": invoice_issuer.UNDER_REVIEW})
    for name, value in clean.items():
        setattr(row, name, value)
    row.updated_at, row.updated_by = utcnow(), who
    db.session.add(row)
    db.session.flush()
    if certificate is not None:
        try:
            invoice_issuer.attach_certificate(row, certificate, who)
        except Refused:
            db.session.rollback()  # not a document: nothing of this save is kept
            raise
    if chosen is not None:
        invoice_issuer.replace_products(chosen)
    invoice_issuer.send_if_due(row, changed, who)
    db.session.commit()
    return row


def _validated(values: Mapping[str, object]) -> tuple[dict[str, str], dict[str, object]]:
    text = {name: str(values.get(name) or "").strip() for name in _TEXT_LIMITS}
    errors = {
        name: N_("Required.") for name in ("payee_name", "address", "phone", "drawer")
        if not text[name]
    }  # fmt: skip
    errors.update(
        {name: N_("Too long.") for name, limit in _TEXT_LIMITS.items() if len(text[name]) > limit}
    )
    tax_number = normalise_tax_id(text["tax_number"])
    if tax_id_problem(tax_number):
        errors["tax_number"] = N_("Not a valid unified social credit code (18 characters).")
    rate = parse_rate(str(values.get("tax_rate") or ""))
    if rate is None:
        errors["tax_rate"] = N_("A rate in percent from 0 to below 100.")
    if text["tax_code"] and not (len(text["tax_code"]) == 19 and text["tax_code"].isdigit()):
        errors["tax_code"] = N_("A tax classification code has 19 digits.")
    for name, allowed in (
        ("trigger", TRIGGERS),
        ("mode", MODES),
        ("platform_code", PLATFORM_CODES),
    ):
        if text[name] not in allowed:
            errors[name] = N_("Choose one of the options.")
    chosen = values.get("eligibility") or {}
    eligibility = {key: bool(chosen.get(key)) for key in DEFAULT_ELIGIBILITY}  # type: ignore[union-attr]
    return errors, {**text, "tax_number": tax_number, "tax_rate": rate, "eligibility": eligibility}


_TEXT_LIMITS = {
    "payee_name": 100,
    "tax_number": 40,
    "address": 200,
    "phone": 40,
    "drawer": 40,
    "tax_code": 19,
    "short_name": 40,
    "trigger": 12,
    "mode": 5,
    "platform_code": 10,
}


def parse_rate(text: str) -> Decimal | None:
    """Return a tax rate in percent (0 to below 100, at most 4 decimals), or None."""
    try:
        rate = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        return None
    if not rate.is_finite() or not 0 <= rate < 100 or rate != rate.quantize(Decimal("0.0001")):
        return None
    return rate


def product_invoicing(product_id: int) -> tuple[Product, ProductInvoicing | None]:
    """Return the store's product and its invoicing fields (None: the store's defaults)."""
    product = db.session.scalar(select(Product).where(Product.id == product_id))
    if product is None:
        raise NotFound("Product")
    own = db.session.scalar(
        select(ProductInvoicing).where(ProductInvoicing.product_id == product_id)
    )
    return product, own


def product_invoicing_rows(limit: int = 500) -> list[tuple[Product, ProductInvoicing | None]]:
    """Return the store's products by SKU, each with its invoicing fields (None: defaults)."""
    statement = (
        select(Product, ProductInvoicing)
        .outerjoin(ProductInvoicing, ProductInvoicing.product_id == Product.id)
        .order_by(Product.sku)
        .limit(limit)
    )
    return [(product, own) for product, own in db.session.execute(statement)]


def save_product_invoicing(
    product_id: int, values: Mapping[str, str], who: str = ""
) -> ProductInvoicing:
    """Store a product's own rate (blank: the store's), tax code and short name; commit. A
    product on the invoice issuer's list is part of what the operator reviewed: a change sends
    the issuer back to review, and is refused while the issuer waits in the queue."""
    issuer = locked_settings()  # first, so what follows is read under the issuer's lock
    product, row = product_invoicing(product_id)
    text = {
        name: (values.get(name) or "").strip() for name in ("tax_rate", "tax_code", "short_name")
    }
    errors = {}
    rate = parse_rate(text["tax_rate"]) if text["tax_rate"] else None
    if text["tax_rate"] and rate is None:
        errors["tax_rate"] = N_("A rate in percent from 0 to below 100.")
    if text["tax_code"] and not (len(text["tax_code"]) == 19 and text["tax_code"].isdigit()):
        errors["tax_code"] = N_("A tax classification code has 19 digits.")
    if len(text["short_name"]) > 40:
        errors["short_name"] = N_("Too long.")
    if errors:
        raise InvoiceSettingsRefused(errors)
    new = (rate, text["tax_code"], text["short_name"])
    listed = issuer is not None and product.id in invoice_issuer.listed_product_ids()
    old = (row.tax_rate, row.tax_code, row.short_name) if row else (None, "", "")
    changed = listed and new != old
    if changed and invoice_issuer.under_review(issuer):
        raise InvoiceSettingsRefused({"review": invoice_issuer.UNDER_REVIEW})
    if row is None:
        row = ProductInvoicing(product_id=product.id)
        db.session.add(row)
    row.tax_rate, row.tax_code, row.short_name = new
    if changed:
        db.session.flush()
        invoice_issuer.send_if_due(issuer, True, who)
    db.session.commit()
    return row
