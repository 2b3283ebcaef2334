"""Invoice test set-up: a store's settings and sandbox provider, and a non-tax order."""

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

from sqlalchemy import select

from storefront.domain.orders import Actor, OrderStatus
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import Checkout, Invoice, Order, OrderLine
from storefront.ports import Port
from storefront.services import invoice_requests, reviews
from storefront.services.demo import EMAILS
from storefront.services.integrations import save_plugin_settings
from storefront.services.invoice_issuer import ISSUER_KIND, Certificate
from storefront.services.invoice_settings import DEFAULT_ELIGIBILITY, save_settings
from storefront.services.orders import transition_order
from storefront.tenancy import tenant_context

SELLER_TAX_ID = "91350100M000100Y43"
BUYER_TAX_ID = "91110108551385082Q"
SECRET = "sandbox-callback-secret-0123456789"
PAID_AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
_seq = itertools.count(1)
# The demo operator decides the tests' issuers, as in the demo (issue 13: recorded decisions).
OPERATOR = EMAILS["operator"]
# Sniffed as a PDF by its first bytes (storefront.services.uploads), which is all it is checked for.
CERTIFICATE = b"%PDF-1.4\n% tax registration certificate of a test store\n%%EOF\n"


# The store's invoice settings as the console form sends them.
SETTINGS = {
    "payee_name": "跨境优选商城",
    "tax_number": SELLER_TAX_ID,
    "address": "上海市浦东新区世纪大道100号",
    "phone": "021-12345678",
    "drawer": "李会计",
    "tax_rate": "13",
    "tax_code": "1030201010000000000",
    "short_name": "日用品",
    "trigger": "paid",
    "mode": "sync",
    "platform_code": "OTHER",
    "eligibility": dict(DEFAULT_ELIGIBILITY),
}


def set_up(
    store, trigger="paid", mode="sync", fail="", delay="0", approve=True, **eligibility
) -> None:
    """Give the store invoice settings, an invoice issuer for its products (sent for review,
    and approved unless `approve` is False) and the sandbox provider (committed)."""
    with tenant_context(store.tenant.id):
        settings = save_settings(
            {
                **SETTINGS,
                "trigger": trigger,
                "mode": mode,
                "eligibility": {**SETTINGS["eligibility"], **eligibility},
            },
            "owner",
            Certificate(BytesIO(CERTIFICATE), "税务登记证.pdf"),
            [store.product.id, store.non_tax_product.id],
        )
        if approve:
            approve_issuer(settings)
        provider(store, fail=fail, delay=delay)


def approve_issuer(settings) -> None:
    """Approve the store's submitted invoice issuer as the demo operator (committed)."""
    action = ReviewAction.APPROVE
    reviews.decide(ISSUER_KIND, settings.id, action, "", OPERATOR, settings.review_version)


def provider(store, fail="", delay="0") -> None:
    """Set the store's sandbox invoice provider (committed)."""
    settings = {"delay_seconds": delay, "fail": fail, "callback_secret": SECRET}
    with tenant_context(store.tenant.id):
        save_plugin_settings(Port.INVOICE, "sandbox_invoice", settings, "owner")


def domestic_order(store, status="paid", freight="10.00") -> Order:
    """A non-tax order: two teapots at 88.00 and one umbrella at 39.00, plus freight."""
    with tenant_context(store.tenant.id):
        freight = Decimal(freight)
        goods = Decimal("215.00")
        n = next(_seq)
        checkout = Checkout(token=f"inv-{n}", shopper_id=store.shopper.id, amount=goods + freight)
        db.session.add(checkout)
        db.session.flush()
        order = Order(
            number=f"KJINV{store.tenant.id:04d}{n:08d}",
            checkout_id=checkout.id,
            shopper_id=store.shopper.id,
            supplier_id=store.supplier.id,
            status=status,
            tax_tag=None,
            tax_method="none",
            policy_code="seed",
            goods_total=goods,
            freight=freight,
            tariff=Decimal(0),
            consumption_tax=Decimal(0),
            vat=Decimal(0),
            tax_due=Decimal(0),
            total=goods + freight,
            buyer_name="张三",
            buyer_id_number="",
            buyer_phone="13800138000",
            consignee="张三",
            consignee_phone="13800138000",
            consignee_address="上海市浦东新区世纪大道100号",
            paid_at=PAID_AT if status != "pending_payment" else None,
        )
        db.session.add(order)
        db.session.flush()
        product = store.non_tax_product
        for line_no, (name, price, quantity) in enumerate(
            (("景德镇茶具", "88.00", 2), ("折叠雨伞", "39.00", 1)), 1
        ):
            db.session.add(
                OrderLine(
                    order_id=order.id,
                    line_no=line_no,
                    product_id=product.id,
                    sku=f"SKU-{line_no}",
                    name=name,
                    price=Decimal(price),
                    quantity=quantity,
                    amount=Decimal(price) * quantity,
                )
            )
        db.session.commit()
        return order


def invoices(store, order_id: int) -> list[Invoice]:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(Invoice).where(Invoice.order_id == order_id).order_by(Invoice.id)
            )
        )


def move(store, order_id: int, status: OrderStatus, actor=Actor.MERCHANT) -> None:
    """Move the order (its event goes to the outbox) and commit."""
    with tenant_context(store.tenant.id):
        order = db.session.scalar(select(Order).where(Order.id == order_id))
        stamp = {"shipped": "shipped_at", "received": "received_at", "completed": "completed_at"}
        if status.value in stamp:
            setattr(order, stamp[status.value], PAID_AT)
        transition_order(order, status, actor, "test")
        db.session.commit()


def ask(store, order, kind="personal", name="张三", tax_id="") -> None:
    """The shopper asks for an invoice of the order (committed)."""
    with tenant_context(store.tenant.id):
        invoice_requests.request_invoice(order.id, store.shopper.id, kind, name, tax_id)
