"""Factories for test data. Each builds rows in the given tenant and flushes (no commit)."""

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from storefront.domain.identity import check_char
from storefront.extensions import db
from storefront.models import (
    Address,
    BuyerIdentity,
    Checkout,
    CustomsDeclaration,
    CustomsDocument,
    CustomsEvent,
    CustomsFiling,
    CustomsReceipt,
    Order,
    OrderLine,
    OutboxEvent,
    Payment,
    PlatformOperator,
    Product,
    ProductFiling,
    Shopper,
    StaffUser,
    Supplier,
    TaxTemplate,
    Tenant,
    WebhookEndpoint,
)
from storefront.tenancy import tenant_context

PASSWORD = "correct horse battery"
VALID_IDS = ("11010519491231002X", "110101199003077731", "440308199901011234")
_seq = itertools.count(1)
# A store's enterprise filing as a merchant types it: bonded stock (1210), valid codes.
ENTERPRISE_FILING = {
    "enterprise_code": "3105960ABC",
    "enterprise_name": "上海跨境电商有限公司",
    "platform_code": "3105960ABC",
    "platform_name": "跨境优选平台",
    "payment_code": "31222699S7",
    "payment_name": "测试支付有限公司",
    "logistics_code": "3122480063",
    "logistics_name": "测试物流有限公司",
    "agent_code": "3105960ABC",
    "agent_name": "上海跨境电商有限公司",
    "customs_code": "2244",
    "port_code": "2244",
    "trade_mode": "1210",
    "traf_mode": "Y",
    "ems_no": "T2244W000001",
    "area_code": "3122W60001",
    "area_name": "洋山保税仓储有限公司",
    "loct_no": "",
    "traf_no": "",
    "voyage_no": "",
    "bill_no": "",
    "dxp_id": "",
}


@dataclass
class Store:
    tenant: Tenant
    owner: StaffUser
    supplier: Supplier
    template: TaxTemplate
    product: Product
    non_tax_product: Product
    shopper: Shopper
    address: Address
    identity: BuyerIdentity
    order: Order
    payment: Payment


@dataclass
class Tenants:
    a: Store
    b: Store
    operator: PlatformOperator


def tenant(slug: str | None = None, **values) -> Tenant:
    n = next(_seq)
    row = Tenant(slug=slug or f"store-{n}", name=f"Store {n}", **values)
    db.session.add(row)
    db.session.flush()
    return row


def staff(email: str | None = None, role: str = "owner") -> StaffUser:
    user = StaffUser(email=email or f"staff{next(_seq)}@example.com", name="Staff", role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def supplier(**values) -> Supplier:
    row = Supplier(name=values.pop("name", f"Supplier {next(_seq)}"), **values)
    db.session.add(row)
    db.session.flush()
    return row


def template(tariff="5", ct="6", vat="7", postal="8", name: str | None = None) -> TaxTemplate:
    row = TaxTemplate(
        name=name or f"Template {next(_seq)}",
        tariff_rate=Decimal(tariff),
        consumption_rate=Decimal(ct),
        vat_rate=Decimal(vat),
        postal_rate=Decimal(postal),
    )
    db.session.add(row)
    db.session.flush()
    return row


def product(
    supplier_row: Supplier, price="100.00", template_row=None, tag=None, filed=True, **values
):
    """A product; a tax product is filed and approved (and so is its store) unless `filed`
    is False, so it can be sold cross-border."""
    row = Product(
        sku=values.pop("sku", f"SKU-{next(_seq)}"),
        name=values.pop("name", f"Product {next(_seq)}"),
        price=Decimal(price),
        stock=values.pop("stock", 100),
        supplier_id=supplier_row.id,
        tax_template_id=template_row.id if template_row else None,
        tax_tag=tag,
        **values,
    )
    db.session.add(row)
    db.session.flush()
    if tag and filed:
        store_filing()
        product_filing(row)
    return row


def customs_filing(**values) -> CustomsFiling:
    """The store's enterprise filing: bonded stock (1210) with valid codes, approved."""
    approved = {"review_state": "approved", "review_version": 1, "submitted_at": datetime.now(UTC)}
    row = CustomsFiling(**{**ENTERPRISE_FILING, **approved, **values})
    db.session.add(row)
    db.session.flush()
    return row


def store_filing() -> CustomsFiling:
    """The store's enterprise filing, made (approved) if it has none."""
    return db.session.scalar(select(CustomsFiling)) or customs_filing()


def product_filing(product_row: Product, **values) -> ProductFiling:
    """An approved filing of `product_row` (a cosmetic from Japan, one piece)."""
    defaults = {
        "hs_code": "3304990099",
        "record_no": f"REC{next(_seq):06d}",
        "origin_country": "116",
        "unit": "007",
        "unit1": "007",
        "qty1_per_unit": Decimal("1"),
        "gross_weight": Decimal("0.50000"),
        "net_weight": Decimal("0.40000"),
        "model": "品牌:测试;规格:50ml",
        "postal_tax_number": "09000000" if product_row.tax_tag == "direct_mail" else "",
        "review_state": "approved",
        "review_version": 1,
        "submitted_at": datetime.now(UTC),
    }
    row = ProductFiling(product_id=product_row.id, **{**defaults, **values})
    db.session.add(row)
    db.session.flush()
    return row


def shopper(email: str | None = None) -> Shopper:
    row = Shopper(email=email or f"shopper{next(_seq)}@example.com", name="张三")
    row.set_password(PASSWORD)
    db.session.add(row)
    db.session.flush()
    return row


def address(shopper_row: Shopper) -> Address:
    row = Address(
        shopper_id=shopper_row.id,
        consignee="张三",
        phone="13800138000",
        province="上海市",
        city="上海市",
        district="浦东新区",
        detail="世纪大道100号",
        postcode="200120",
    )
    db.session.add(row)
    db.session.flush()
    return row


def resident_id(n: int) -> str:
    """A valid resident ID number (GB 11643 check digit) that differs for each n < 1000."""
    first17 = f"110101199003{n % 28 + 1:02d}{n:03d}"[:17]
    return first17 + check_char(first17)


def identity(shopper_row: Shopper, id_number: str = VALID_IDS[0]) -> BuyerIdentity:
    row = BuyerIdentity(
        shopper_id=shopper_row.id, real_name="张三", id_number=id_number, phone="13800138000"
    )
    db.session.add(row)
    db.session.flush()
    return row


def store(slug: str) -> Store:
    """One tenant with an owner, a supplier, a template, tax and non-tax products, a shopper."""
    row = tenant(slug)
    with tenant_context(row.id):
        supplier_row = supplier()
        template_row = template()
        shopper_row = shopper()
        address_row, identity_row = address(shopper_row), identity(shopper_row)
        product_row = product(supplier_row, "800.00", template_row, "cross_border_retail")
        order_row = order(shopper_row, product_row, address_row, identity_row)
        return Store(
            tenant=row,
            owner=staff(f"owner@{slug}.example"),
            supplier=supplier_row,
            template=template_row,
            product=product_row,
            non_tax_product=product(supplier_row, "88.00"),
            shopper=shopper_row,
            address=address_row,
            identity=identity_row,
            order=order_row,
            payment=payment(order_row),
        )


def operator() -> PlatformOperator:
    row = PlatformOperator(email=f"operator{next(_seq)}@example.com", name="Operator")
    row.set_password(PASSWORD)
    db.session.add(row)
    db.session.flush()
    return row


def two_tenants() -> Tenants:
    return Tenants(a=store(f"alpha{next(_seq)}"), b=store(f"beta{next(_seq)}"), operator=operator())


def order(shopper_row, product_row, address_row, identity_row, status="paid") -> Order:
    """A placed order of one unit (seed example figures for 800 at 5/6/7)."""
    n = next(_seq)
    checkout = Checkout(token=f"token-{n}", shopper_id=shopper_row.id, amount=Decimal("877.45"))
    db.session.add(checkout)
    db.session.flush()
    row = Order(
        number=f"KJ20261122{n:010d}",
        checkout_id=checkout.id,
        shopper_id=shopper_row.id,
        supplier_id=product_row.supplier_id,
        status=status,
        tax_tag=product_row.tax_tag,
        tax_method="composite",
        policy_code="seed",
        goods_total=Decimal("800.00"),
        freight=Decimal("0.00"),
        tariff=Decimal("40.00"),
        consumption_tax=Decimal("51.06"),
        vat=Decimal("59.57"),
        tax_due=Decimal("77.45"),
        total=Decimal("877.45"),
        buyer_name=identity_row.real_name,
        buyer_id_number=identity_row.id_number,
        buyer_phone=identity_row.phone,
        consignee=address_row.consignee,
        consignee_phone=address_row.phone,
        consignee_address=address_row.one_line(),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add(
        OrderLine(
            order_id=row.id,
            line_no=1,
            product_id=product_row.id,
            sku=product_row.sku,
            name=product_row.name,
            price=product_row.price,
            quantity=1,
            amount=product_row.price,
        )
    )
    db.session.flush()
    return row


def payment(order_row) -> Payment:
    row = Payment(
        checkout_id=order_row.checkout_id,
        provider="stripe",
        method="card",
        reference=f"pi_test_{next(_seq)}",
        status="succeeded",
        amount=order_row.total,
        goods_total=order_row.goods_total,
        tax_total=order_row.tax_due,
        freight_total=order_row.freight,
        serial_number=f"ch_test_{next(_seq)}",
    )
    db.session.add(row)
    db.session.flush()
    return row


def webhook_endpoint(url: str = "https://hooks.example.com/kuajing") -> WebhookEndpoint:
    row = WebhookEndpoint(url=url, secret=f"whsec_test_{next(_seq)}")
    db.session.add(row)
    db.session.flush()
    return row


def outbox_event(order_row: Order) -> OutboxEvent:
    """An order event whose subscribers failed once (a merchant may retry it)."""
    row = OutboxEvent(
        name="order.paid", order_id=order_row.id, attempts=1, last_error="test: ConnectionError"
    )
    db.session.add(row)
    db.session.flush()
    return row


CEB = "http://www.chinaport.gov.cn/ceb"


def customs_declaration(order_row: Order, state: str = "documents_sent", **values):
    """The order's customs declaration in `state` (one per order)."""
    row = CustomsDeclaration(order_id=order_row.id, state=state, **values)
    db.session.add(row)
    db.session.flush()
    return row


def customs_document(declaration_row, kind: str = "311", status: str = "sent", **values):
    """A message as sent for the declaration; its XML names the buyer (and payer) by ID."""
    n = next(_seq)
    guid = f"{n:08d}-0000-4000-8000-000000000000"
    id_number = values.pop("id_number", VALID_IDS[0])
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ceb:CEB{kind}Message xmlns:ceb="{CEB}" '
        f'guid="{guid}" version="1.0"><ceb:Head><ceb:guid>{guid}</ceb:guid>'
        f"<ceb:buyerIdNumber>{id_number}</ceb:buyerIdNumber>"
        f"<ceb:payerIdNumber>{id_number}</ceb:payerIdNumber></ceb:Head></ceb:CEB{kind}Message>"
    )
    row = CustomsDocument(
        declaration_id=declaration_row.id,
        kind=kind,
        business_key=values.pop("business_key", f"KEY|{n}"),
        guid=guid,
        app_type=values.pop("app_type", "1"),
        app_time=values.pop("app_time", datetime(2026, 11, 22, 2, 0, tzinfo=UTC)),
        xml=xml,
        status=status,
        sent_at=values.pop("sent_at", datetime(2026, 11, 22, 2, 0, 5, tzinfo=UTC)),
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def customs_receipt(document_row, return_status: str, return_time: str, info: str = ""):
    """A receipt customs sent for the document."""
    row = CustomsReceipt(
        declaration_id=document_row.declaration_id,
        document_id=document_row.id,
        kind=document_row.kind,
        business_key=document_row.business_key,
        return_status=return_status,
        return_time=return_time,
        info=info,
    )
    db.session.add(row)
    db.session.flush()
    return row


def customs_event(declaration_row, reason: str, to_state: str, params=None, **values):
    """A step of the declaration's timeline."""
    row = CustomsEvent(
        declaration_id=declaration_row.id,
        actor=values.pop("actor", "system:customs"),
        to_state=to_state,
        reason=reason,
        params=params,
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def declared_document(order_row: Order):
    """A message of the order's declaration, the declaration made if the order has none."""
    declaration = db.session.scalar(
        select(CustomsDeclaration).where(CustomsDeclaration.order_id == order_row.id)
    )
    return customs_document(declaration or customs_declaration(order_row))
