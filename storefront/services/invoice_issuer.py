"""The store's invoice issuer before the platform operator (seed 000 step 2(2), issue 13).

The issuer is the store's invoice settings, with its tax registration certificate and the
products it may invoice. It goes through the one review mechanism (storefront.services
.reviews): the merchant's save submits it, any later change to what the operator reviewed
submits it again, and only an approved issuer invoices the products on its approved list
(`issuing_refusal`, checked by storefront.services.invoice_issuing before the provider).
"""

from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.invoices.issuer import issuing_refusal
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import (
    Invoice,
    InvoiceIssuerProduct,
    InvoiceSettings,
    OrderLine,
    Product,
    ProductInvoicing,
)
from storefront.ports import N_
from storefront.services import reviews
from storefront.services.uploads import store_upload

ISSUER_KIND = "invoice_issuer"
reviews.register_kind(ISSUER_KIND, InvoiceSettings, title=_l("Invoice issuers"))

# What the operator reviews of the settings: the seller and the default tax classification
# printed on every invoice (seed 003 §二). When and how invoices go out (trigger, mode,
# channel, eligible goods, drawer) is the store's daily business and changes without review.
REVIEWED_FIELDS = (
    "payee_name",
    "tax_number",
    "address",
    "phone",
    "tax_rate",
    "tax_code",
    "short_name",
)
# The refusals that hold an invoice back until the operator approves the issuer.
HELD_CODES = (ErrorCode.ISSUER_NOT_APPROVED, ErrorCode.PRODUCT_NOT_INVOICEABLE)
CERTIFICATE_PURPOSE = "tax_certificate"
UNDER_REVIEW = N_(
    "The invoice issuer is waiting for the platform's review: change it after the decision."
)
NO_PRODUCTS = N_("Choose at least one product the issuer may invoice.")
NOT_INVOICEABLE = N_("Only products with a tax classification code can be chosen.")


@dataclass(frozen=True)
class Certificate:
    """An uploaded tax registration certificate, as the form received it."""

    stream: BinaryIO
    filename: str


def reviewed_values(row: InvoiceSettings) -> tuple:
    """Return what the operator reviews of the settings' own fields."""
    return tuple(getattr(row, name) for name in REVIEWED_FIELDS)


def listed_product_ids() -> set[int]:
    """Return the ids of the products the store's issuer may invoice (once approved)."""
    return set(db.session.scalars(select(InvoiceIssuerProduct.product_id)))


def invoiceable_products(default_code: str) -> list[tuple[Product, str]]:
    """Return the store's products with a tax classification code (their own, or the store's
    `default_code`), by SKU, each with its code: those the issuer may list."""
    rows = db.session.execute(
        select(Product, ProductInvoicing.tax_code)
        .outerjoin(ProductInvoicing, ProductInvoicing.product_id == Product.id)
        .order_by(Product.sku)
    )
    return [(product, own or default_code) for product, own in rows if own or default_code]


def product_errors(row_state: str, chosen: set[int], allowed: set[int]) -> dict[str, str]:
    """Check the chosen products: invoiceable ones, at least one once the issuer was sent."""
    if chosen - allowed:
        return {"products": NOT_INVOICEABLE}
    if not chosen and row_state != ReviewState.DRAFT:
        return {"products": NO_PRODUCTS}
    return {}


def replace_products(chosen: set[int]) -> bool:
    """Make the issuer's product list exactly `chosen` (flush only); return whether it changed."""
    current = listed_product_ids()
    if current == chosen:
        return False
    gone = current - chosen
    if gone:
        db.session.execute(
            delete(InvoiceIssuerProduct).where(InvoiceIssuerProduct.product_id.in_(gone))
        )
    db.session.add_all(InvoiceIssuerProduct(product_id=pid) for pid in sorted(chosen - current))
    db.session.flush()
    return True


def attach_certificate(row: InvoiceSettings, certificate: Certificate, who: str) -> None:
    """Keep the uploaded certificate as the issuer's (flush only; refused if not a document)."""
    stored = store_upload(certificate.stream, certificate.filename, CERTIFICATE_PURPOSE, who)
    row.certificate_file_id = stored.id


def missing_for_review(row: InvoiceSettings) -> list[str]:
    """Name what the issuer still lacks before it can be sent for review."""
    missing = []
    if row.certificate_file_id is None:
        missing.append("certificate")
    if not listed_product_ids():
        missing.append("products")
    return missing


def send_if_due(row: InvoiceSettings, changed: bool, who: str) -> bool:
    """Submit the issuer for review when it is complete and its owner saved it new, needing
    changes or rejected, or changed what was approved; return whether it was sent (flush)."""
    state = ReviewState(row.review_state or ReviewState.DRAFT)
    if state == ReviewState.SUBMITTED or missing_for_review(row):
        return False
    if state == ReviewState.APPROVED and not changed:
        return False
    reviews.submit(ISSUER_KIND, row, who, "staff")
    return True


def under_review(row: InvoiceSettings) -> bool:
    """Say whether the issuer waits in the operator's queue: its owner may not change what the
    operator opened (the review state table allows no submission while submitted)."""
    return row.review_state == ReviewState.SUBMITTED


def refusal_for(invoice: Invoice, settings: InvoiceSettings) -> Refused | None:
    """Return why the store's issuer may not issue this invoice now, or None."""
    product_ids = db.session.scalars(
        select(OrderLine.product_id).where(OrderLine.order_id == invoice.order_id)
    )
    return issuing_refusal(settings.review_state, invoice.kind, product_ids, listed_product_ids())
