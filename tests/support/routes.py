"""Route arguments for the sweeps that find every route in the URL map by themselves
(isolation, hostile input, language switch): a store's own object for each argument. A new
argument fails those sweeps until it is mapped here."""

from datetime import date

from sqlalchemy import select
from werkzeug.routing import Rule

from storefront.extensions import db
from storefront.models import ProductFiling
from storefront.services import area_reports
from storefront.tenancy import tenant_context
from tests.support import factories, reconciliation

OBJECT_IDS = {
    "product_id": lambda store: store.product.id,
    "supplier_id": lambda store: store.supplier.id,
    "template_id": lambda store: store.template.id,
    "address_id": lambda store: store.address.id,
    "identity_id": lambda store: store.identity.id,
    "order_id": lambda store: store.order.id,
    "checkout_id": lambda store: store.order.checkout_id,
    "payment_id": lambda store: store.payment.id,
    "endpoint_id": lambda store: factories.webhook_endpoint().id,
    "event_id": lambda store: factories.outbox_event(store.order).id,
    "document_id": lambda store: factories.declared_document(store.order).id,
    "customs_filing_id": lambda store: factories.store_filing().id,
    "product_filing_id": lambda store: db.session.scalar(
        select(ProductFiling.id).where(ProductFiling.product_id == store.product.id)
    ),
    "area_report_id": lambda store: area_reports.generate(date(2025, 1, 1), "test").id,
}
# Route arguments that name no object (a file format, a plugin port ...) and the value to use.
PLAIN_ARGUMENTS = {"fmt": "csv", "port": "payment", "plugin_id": "stripe"}


def object_id(rule: Rule, argument: str, store) -> int:
    """Return `store`'s own object for a route argument (made in its tenant if needed)."""
    assert argument in OBJECT_IDS, f"map route argument {argument!r} of {rule.endpoint}"
    with tenant_context(store.tenant.id):
        return OBJECT_IDS[argument](store)


def route_values(rule: Rule, store, slug: str | None = None) -> dict:
    """Fill every argument of `rule` with `store`'s objects (under `slug`, default its own)."""
    values = {}
    for argument in rule.arguments:
        if argument == "store_slug":
            values[argument] = slug or store.tenant.slug
        elif argument in PLAIN_ARGUMENTS:
            values[argument] = PLAIN_ARGUMENTS[argument]
        else:
            values[argument] = object_id(rule, argument, store)
    return values


OBJECT_IDS["mismatch_id"] = lambda store: reconciliation.mismatch(store)


def _swept_invoice(store):
    """The store's order's issued invoice with an XML file (text: the sweeps decode bodies),
    made once per store so that an invoice and its file fill one URL together."""
    from decimal import Decimal

    from storefront.models import Invoice, InvoiceFile

    serial = f"sweep-{store.order.id}"
    found = db.session.scalar(select(Invoice).where(Invoice.serial == serial))
    if found is not None:
        return found
    invoice = Invoice(
        order_id=store.order.id, kind="blue", cause="trigger", serial=serial, state="issued",
        number=f"{store.order.id:020d}", buyer_name="张三", business_type=0, lines=[],
        total_amount=Decimal("776.50"), total_tax=Decimal("100.95"), total=Decimal("877.45"),
        drawer="李会计",
    )  # fmt: skip
    db.session.add(invoice)
    db.session.flush()
    db.session.add(
        InvoiceFile(
            invoice_id=invoice.id,
            name=f"{invoice.number}.xml",
            media_type="application/xml",
            source="ours",
            content=f"<Invoice><Number>{invoice.number}</Number></Invoice>".encode(),
        )
    )
    db.session.flush()
    return invoice


def _invoice_title(store):
    from storefront.models import InvoiceTitle

    title = InvoiceTitle(shopper_id=store.shopper.id, kind="personal", name="张三")
    db.session.add(title)
    db.session.flush()
    return title.id


OBJECT_IDS["invoice_id"] = lambda store: _swept_invoice(store).id
OBJECT_IDS["file_id"] = lambda store: _swept_invoice(store).files[0].id
OBJECT_IDS["title_id"] = _invoice_title
PLAIN_ARGUMENTS["invoice_format"] = "xml"
PLAIN_ARGUMENTS["decision"] = "approve"


def _embed_origin(store) -> int:
    """One of the store's allowed embedding origins (the console's remove page), made once."""
    from storefront.models import EmbedOrigin

    origin = f"https://shop{store.tenant.id}.example"
    found = db.session.scalar(select(EmbedOrigin.id).where(EmbedOrigin.origin == origin))
    if found is not None:
        return found
    row = EmbedOrigin(origin=origin, created_by="test")
    db.session.add(row)
    db.session.flush()
    return row.id


OBJECT_IDS["origin_id"] = _embed_origin

# the dashboards' "numbers" views: one series of figures by name
PLAIN_ARGUMENTS["series"] = "sales"


def _staff_invite(store):
    """A pending invitation of the store, made by its owner (no mail: the row is enough)."""
    import secrets
    from datetime import timedelta

    from storefront.models import StaffInvite
    from storefront.models.types import utcnow

    invite = StaffInvite(
        email=f"invited-{store.tenant.slug}@example.com", name="李四", role="staff",
        invited_by_id=store.owner.id, token_hash=secrets.token_hex(32),
        expires_at=utcnow() + timedelta(hours=1),
    )  # fmt: skip
    db.session.add(invite)
    db.session.flush()
    return invite.id


def _outgoing_mail(store):
    from storefront.models import OutgoingMail

    row = OutgoingMail(recipient=store.owner.email, subject="s", text="t", status="failed")
    db.session.add(row)
    db.session.flush()
    return row.id


OBJECT_IDS["invite_id"] = _staff_invite
OBJECT_IDS["staff_id"] = lambda store: store.owner.id
OBJECT_IDS["tenant_id"] = lambda store: store.tenant.id
OBJECT_IDS["mail_id"] = _outgoing_mail
PLAIN_ARGUMENTS["token"] = "not-a-real-token"


# the operator's review pages (admin/platform_reviews.py): a kind, one of its items, a document
PLAIN_ARGUMENTS["kind"] = "product_filing"
OBJECT_IDS["subject_id"] = OBJECT_IDS["product_filing_id"]


def _stored_file(store) -> int:
    """A document the store uploaded (a PDF)."""
    import io

    from storefront.services.uploads import store_upload

    stored = store_upload(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "doc.pdf", "agreement", "test")
    return stored.id


OBJECT_IDS["stored_file_id"] = _stored_file

# the opening checklist (admin/console/opening.py): one of its settings items
PLAIN_ARGUMENTS["item"] = "payment"


def _api_cart(store):
    """An anonymous API cart of the store (its public id is the route argument)."""
    from storefront.services.api_carts import open_cart

    return open_cart(None).public_id


OBJECT_IDS["cart_id"] = _api_cart


# Valid bodies of the API's operations whose body is not a cart line, so that in the
# isolation sweep the object's look-up decides (404), not the body's check (422).
API_BODIES = {
    "api.change_address": lambda store: {"city": "杭州市"},
    "api.pay": lambda store: {"method": "card"},
    "api.review": lambda store: {"line_id": store.order.lines[0].id, "rating": 5},
}


def _api_key(store) -> int:
    """A read key of the store (the console's revoke page)."""
    from storefront.services.api_access import KeyScope, create_key

    return create_key("sweep", KeyScope.READ, None)[0].id


OBJECT_IDS["api_key_id"] = _api_key
