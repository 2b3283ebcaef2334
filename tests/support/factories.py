"""Factories for test data. Each builds rows in the given tenant and flushes (no commit)."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from storefront.extensions import db
from storefront.models import (
    Address,
    BuyerIdentity,
    PlatformOperator,
    Product,
    Shopper,
    StaffUser,
    Supplier,
    TaxTemplate,
    Tenant,
)
from storefront.tenancy import tenant_context

PASSWORD = "correct horse battery"
VALID_IDS = ("11010519491231002X", "110101199003077731", "440308199901011234")
_seq = itertools.count(1)


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


def product(supplier_row: Supplier, price="100.00", template_row=None, tag=None, **values):
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
        return Store(
            tenant=row,
            owner=staff(f"owner@{slug}.example"),
            supplier=supplier_row,
            template=template_row,
            product=product(supplier_row, "800.00", template_row, "cross_border_retail"),
            non_tax_product=product(supplier_row, "88.00"),
            shopper=shopper_row,
            address=address(shopper_row),
            identity=identity(shopper_row),
        )


def operator() -> PlatformOperator:
    row = PlatformOperator(email=f"operator{next(_seq)}@example.com", name="Operator")
    row.set_password(PASSWORD)
    db.session.add(row)
    db.session.flush()
    return row


def two_tenants() -> Tenants:
    return Tenants(a=store(f"alpha{next(_seq)}"), b=store(f"beta{next(_seq)}"), operator=operator())
