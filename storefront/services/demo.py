"""The demo: two stores (the second shows isolation), products of every tag, one shopper."""

from decimal import Decimal

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import (
    Address,
    Applicant,
    BuyerIdentity,
    CustomsFiling,
    PlatformOperator,
    Product,
    ProductFiling,
    Shopper,
    StaffUser,
    Supplier,
    TaxTemplate,
    Tenant,
)
from storefront.models.types import utcnow
from storefront.services.demo_applications import APPLICANT_EMAIL, add_submitted_application
from storefront.services.demo_area import add_inbound_notes
from storefront.services.demo_customs import add_paid_orders
from storefront.services.integrations import use_sandboxes
from storefront.services.invoice_demo import add_invoice_settings, approve_invoice_issuer
from storefront.tenancy import system_context, tenant_context

DEMO_SLUG = "demo"
SECOND_SLUG = "second"
EMAILS = {
    "operator": "operator@kuajing.example",
    "owner": "owner@demo.example",
    "second_owner": "owner@second.example",
    "shopper": "shopper@demo.example",
}
# Rates in percent. "Seed example" is the template of the seed's worked examples.
TEMPLATES = [
    ("Seed example", "5", "6", "7", "8"),
    ("Direct mail 50%", "5", "6", "7", "50"),
    ("Cosmetics", "0", "15", "13", "20"),
]
# (sku, name, price, stock, supplier index, template name or None, tag or None)
PRODUCTS = [
    ("CB-100", "澳洲奶粉 800g", "100.00", 500, 0, "Seed example", "cross_border_retail"),
    ("CB-1980", "日本美容仪", "1980.00", 50, 0, "Seed example", "cross_border_retail"),
    ("CB-3000", "瑞士腕表", "3000.00", 20, 0, "Seed example", "cross_border_retail"),
    ("DD-800", "韩国护肤套装", "800.00", 80, 1, "Seed example", "domestic_dropship"),
    ("OC-268", "德国维生素", "268.00", 200, 1, "Cosmetics", "overseas_consolidation"),
    ("DM-1100", "意大利手提包", "1100.00", 15, 1, "Direct mail 50%", "direct_mail"),
    ("DM-500", "法国香水", "500.00", 40, 1, "Direct mail 50%", "direct_mail"),
    ("DM-600", "英国羊绒围巾", "600.00", 40, 1, "Direct mail 50%", "direct_mail"),
    ("NT-88", "景德镇茶具", "88.00", 300, 1, None, None),
    ("NT-39", "折叠雨伞", "39.00", 300, 1, None, None),
]
# Each tax product's filing (商品备案): HS code, origin (JGS-20 country), declared unit, first
# legal unit and quantity, gross and net kg per unit, brand/spec, postal tax number (direct
# mail only; demo values in the 8-digit format of the 进境物品归类表).
PRODUCT_FILINGS = {
    "CB-100": (
        "1901101000",
        "601",
        "007",
        "035",
        "0.8",
        "1.0",
        "0.8",
        "婴幼儿配方奶粉;800g/罐",
        "",
    ),
    "CB-1980": ("8516800000", "116", "007", "007", "1", "0.9", "0.5", "射频美容仪;单台", ""),
    "CB-3000": ("9102210000", "331", "007", "007", "1", "0.6", "0.15", "自动机械腕表;钢表壳", ""),
    "DD-800": ("3304990099", "133", "011", "035", "0.3", "0.6", "0.3", "护肤套装;水乳霜三件", ""),
    "OC-268": (
        "2106909090",
        "304",
        "142",
        "035",
        "0.12",
        "0.2",
        "0.12",
        "复合维生素片;60片/瓶",
        "",
    ),
    "DM-1100": ("4202210000", "307", "011", "011", "1", "1.3", "0.9", "牛皮手提包", "06010100"),
    "DM-500": ("3303000010", "305", "142", "036", "50", "0.3", "0.1", "香水;50ml", "05010200"),
    "DM-600": (
        "6214200000",
        "303",
        "011",
        "011",
        "1",
        "0.4",
        "0.25",
        "羊绒围巾;100%羊绒",
        "03020100",
    ),
}
# The stores' enterprise filings (企业备案): the demo store sells bonded stock (1210) from the
# Yangshan bonded port, the second one direct purchases (9610) flown in to Pudong.
STORE_FILINGS = {
    DEMO_SLUG: {
        "enterprise_code": "3105960ABC",
        "enterprise_name": "上海跨境优选电子商务有限公司",
        "trade_mode": "1210",
        "traf_mode": "Y",
        "ems_no": "T2249W000158",
        "area_code": "3122W60012",
        "area_name": "上海洋山保税港区仓储有限公司",
    },
    SECOND_SLUG: {
        "enterprise_code": "3120960XYZ",
        "enterprise_name": "上海第二商城贸易有限公司",
        "trade_mode": "9610",
        "traf_mode": "5",
        "traf_no": "MU5106",
        "voyage_no": "MU5106",
        "bill_no": "78112345675",
    },
}
# Demo filings arrive as the operator approved them once (version 1; seed data, no history).
APPROVED = {"review_state": "approved", "review_version": 1}
COMMON_FILING = {
    "platform_code": "3105960KJY",
    "platform_name": "跨境优选平台",
    "payment_code": "31222699S7",
    "payment_name": "上海示例支付服务有限公司",
    "logistics_code": "3122480063",
    "logistics_name": "上海示例国际物流有限公司",
    "agent_code": "3122260001",
    "agent_name": "上海示例报关有限公司",
    "customs_code": "2249",
    "port_code": "2249",
}


def load_demo(passwords: dict[str, str]) -> bool:
    """Create the demo once; return False (and change nothing) when it already exists."""
    with system_context():
        if db.session.scalar(select(Tenant.id).where(Tenant.slug == DEMO_SLUG)):
            return False
        demo = Tenant(slug=DEMO_SLUG, name="跨境优选 Demo Store", limit_policy_code="seed")
        second = Tenant(slug=SECOND_SLUG, name="Second Store", limit_policy_code="cn-2019")
        operator = PlatformOperator(email=EMAILS["operator"], name="Platform operator")
        operator.set_password(passwords["operator"])
        db.session.add_all([demo, second, operator])
        db.session.flush()
    with tenant_context(demo.id):
        _fill_store(demo, passwords["owner"], EMAILS["owner"])
        _add_shopper(passwords["shopper"])
        use_sandboxes(who="demo")  # payments stay on the platform's (local) Stripe account
        add_invoice_settings(EMAILS["owner"])
        db.session.flush()
    with tenant_context(second.id):
        _fill_store(second, passwords["second_owner"], EMAILS["second_owner"])
        db.session.flush()
    db.session.commit()
    with tenant_context(demo.id):
        approve_invoice_issuer(EMAILS["operator"])  # seed 000 step 2(2): only approved invoice
        add_inbound_notes(utcnow())  # last month's goods into the bonded warehouse
        add_paid_orders(demo, EMAILS["shopper"], utcnow())  # awaiting customs declaration
    # the operator's queue of merchant applications is not empty (same password as the owner)
    add_submitted_application(passwords["owner"])
    return True


def set_demo_passwords(passwords: dict[str, str]) -> None:
    """Give the demo accounts these passwords (when the printed sign-ins were lost)."""
    with system_context():
        accounts = [
            (_by_email(PlatformOperator, EMAILS["operator"]), "operator"),
            (_by_email(StaffUser, EMAILS["owner"]), "owner"),
            (_by_email(StaffUser, EMAILS["second_owner"]), "second_owner"),
            (_by_email(Shopper, EMAILS["shopper"]), "shopper"),
            # the demo's applicant shares the demo owner's password (add_submitted_application)
            (_by_email(Applicant, APPLICANT_EMAIL), "owner"),
        ]
        for account, name in accounts:
            if account is not None:
                account.set_password(passwords[name])
        db.session.commit()


def describe_logins(passwords: dict[str, str]) -> list[str]:
    """Return the console lines that tell a newcomer where to sign in."""
    return [
        "Storefront:        http://127.0.0.1:5000/s/demo/  (second store: /s/second/)",
        f"  shopper          {EMAILS['shopper']} / {passwords['shopper']}",
        "Merchant console:  http://127.0.0.1:5000/admin/",
        f"  demo owner       {EMAILS['owner']} / {passwords['owner']}",
        f"  second owner     {EMAILS['second_owner']} / {passwords['second_owner']}",
        "Platform console:  http://127.0.0.1:5000/platform/",
        f"  operator         {EMAILS['operator']} / {passwords['operator']}",
        "Store application: http://127.0.0.1:5000/join/login  (submitted, in the review queue)",
        f"  applicant        {APPLICANT_EMAIL} / {passwords['owner']}",
    ]


def _by_email(model, email: str):
    return db.session.scalar(select(model).where(model.email == email))


def _fill_store(tenant: Tenant, owner_password: str, owner_email: str) -> None:
    owner = StaffUser(email=owner_email, name="店主 Owner", role="owner")
    owner.set_password(owner_password)
    suppliers = [
        Supplier(name="悉尼保税仓 Sydney Bonded", freight=Decimal("0.00")),
        Supplier(
            name="东京直邮 Tokyo Direct",
            freight=Decimal("12.00"),
            free_shipping_from=Decimal("199.00"),
        ),
    ]
    templates = {
        name: TaxTemplate(
            name=name,
            tariff_rate=Decimal(tariff),
            consumption_rate=Decimal(ct),
            vat_rate=Decimal(vat),
            postal_rate=Decimal(postal),
        )
        for name, tariff, ct, vat, postal in TEMPLATES
    }
    db.session.add_all([owner, *suppliers, *templates.values()])
    db.session.add(CustomsFiling(**COMMON_FILING, **STORE_FILINGS[tenant.slug], **APPROVED))
    for sku, name, price, stock, supplier, template, tag in PRODUCTS:
        product = Product(
            sku=sku,
            name=name if tenant.slug == DEMO_SLUG else f"{name} ({tenant.slug})",
            price=Decimal(price),
            stock=stock,
            supplier=suppliers[supplier],
            tax_template=templates.get(template),
            tax_tag=tag,
            description="",
        )
        db.session.add(product)
        if tag:
            db.session.add(_product_filing(product, tenant.slug))


def _product_filing(product: Product, slug: str) -> ProductFiling:
    hs_code, origin, unit, unit1, qty1, gross, net, model, postal = PRODUCT_FILINGS[product.sku]
    return ProductFiling(
        product=product,
        hs_code=hs_code,
        record_no=f"{slug.upper()}-{product.sku}",
        origin_country=origin,
        unit=unit,
        unit1=unit1,
        qty1_per_unit=Decimal(qty1),
        gross_weight=Decimal(gross),
        net_weight=Decimal(net),
        model=model,
        postal_tax_number=postal,
        **APPROVED,
    )


def _add_shopper(password: str) -> None:
    shopper = Shopper(email=EMAILS["shopper"], name="张三")
    shopper.set_password(password)
    db.session.add(shopper)
    db.session.flush()
    db.session.add_all(
        [
            Address(
                shopper_id=shopper.id,
                consignee="张三",
                phone="13800138000",
                province="上海市",
                city="上海市",
                district="浦东新区",
                detail="世纪大道100号",
                postcode="200120",
            ),
            # A published example number with a valid GB 11643 check digit.
            BuyerIdentity(
                shopper_id=shopper.id,
                real_name="张三",
                id_number="11010519491231002X",
                phone="13800138000",
            ),
        ]
    )
