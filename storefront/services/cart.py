"""The cart snapshot: every figure the shopper sees, computed once, server-side.

The cart itself is only {product id: quantity}; this module loads the products, groups
them into one future order per supplier (SPEC §3), checks what may not be bought together,
and quotes tax and limits for each group with the person's current quota use.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from storefront.domain.cart_rules import CartItem, MixProblem, check_mix, split_orders
from storefront.domain.limits import LimitPolicy, OrderQuote, QuoteLine, quote_order
from storefront.domain.shipping import freight_for as supplier_freight
from storefront.domain.tax import TaxRates, TaxTag
from storefront.extensions import db
from storefront.models import BuyerIdentity, LimitPolicyRow, Product, Supplier, Tenant
from storefront.queries.stores import StoreView
from storefront.services import quota
from storefront.services.customs_filings import is_unfiled, with_filing_states

ZERO = Decimal("0.00")
MAX_QUANTITY = 99
MAX_LINES = 50  # lines in one cart, kept in a session cookie or by the API


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def amount(self) -> Decimal:
        return self.product.price * self.quantity


@dataclass
class CartGroup:
    """The lines that become one order: one supplier, one tax class."""

    supplier: Supplier
    lines: list[CartLine]
    quote: OrderQuote | None = None

    @property
    def goods_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def tax_tag(self) -> str | None:
        return self.lines[0].product.tax_tag


@dataclass
class CartSnapshot:
    groups: list[CartGroup] = field(default_factory=list)
    problems: tuple[MixProblem, ...] = ()
    unavailable: list[str] = field(default_factory=list)
    unfiled: list[str] = field(default_factory=list)  # tax products without approved filings
    policy: LimitPolicy | None = None
    annual_used: Decimal | None = None

    @property
    def lines(self) -> list[CartLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def violations(self):
        return [v for group in self.groups if group.quote for v in group.quote.violations]

    @property
    def total(self) -> Decimal:
        return sum((g.quote.order_total for g in self.groups if g.quote), ZERO)

    @property
    def annual_remaining(self) -> Decimal | None:
        if self.annual_used is None or self.policy is None:
            return None
        return max(self.policy.annual_limit - self.annual_used, ZERO)

    @property
    def can_check_out(self) -> bool:
        return (
            bool(self.groups)
            and not self.problems
            and not self.violations
            and not self.unavailable
            and not self.unfiled
        )


def with_quantity(items: dict[int, int], product_id: int, quantity: int) -> dict[int, int]:
    """Return the cart with the product's line set to `quantity` (0 removes it); a new line
    beyond MAX_LINES is not added."""
    changed = dict(items)
    if quantity <= 0:
        changed.pop(product_id, None)
    elif product_id in changed or len(changed) < MAX_LINES:
        changed[product_id] = min(quantity, MAX_QUANTITY)
    return changed


def tenant_policy(tenant: "Tenant | StoreView") -> LimitPolicy:
    """Return the store's limit policy as the domain's dataclass."""
    if isinstance(tenant, StoreView):
        return tenant.policy  # read with the store's row at the start of this request
    row = db.session.get(LimitPolicyRow, tenant.limit_policy_code)
    return LimitPolicy(
        code=row.code,
        effective_from=row.effective_from,
        order_limit=row.order_limit,
        annual_limit=row.annual_limit,
        annual_counts_tax=row.annual_counts_tax,
        direct_mail_limit=row.direct_mail_limit,
        direct_mail_scope=row.direct_mail_scope,
        single_item_over_order_limit=row.single_item_over_order_limit,
    )


def build_cart(
    tenant: Tenant,
    items: dict[int, int],
    identity: BuyerIdentity | None,
    moment: datetime,
    used: "quota.Usage | None" = None,
) -> CartSnapshot:
    """Load, group, check and quote the cart for `identity` (None: no quota yet); `used` is
    the person's quota use when the caller read it with the identity, else it is read here."""
    lines, unavailable, unfiled = _load_lines(items)
    snapshot = CartSnapshot(policy=tenant_policy(tenant), unavailable=unavailable)
    snapshot.unfiled = unfiled
    snapshot.problems = check_mix([_mix_item(line) for line in lines])
    snapshot.groups = _group(lines)
    if identity is not None and used is None:
        used = quota.usage(identity.id_number_hash, moment)
    snapshot.annual_used = used.annual if used else None
    _quote_groups(snapshot, used)
    return snapshot


def freight_for(supplier: Supplier, goods_total: Decimal) -> Decimal:
    """Return the supplier's freight for an order of `goods_total` (free from a threshold)."""
    return supplier_freight(goods_total, supplier.freight, supplier.free_shipping_from)


def _load_lines(items: dict[int, int]) -> tuple[list[CartLine], list[str], list[str]]:
    """The cart's lines, the names of those short of stock and of those not filed yet."""
    rows = db.session.execute(_lines_statement(), {"ids": list(items)}).all()
    by_id = {product.id: product for product, _state, _store_state in rows}
    lines, unavailable = [], []
    for product_id, quantity in items.items():
        product = by_id.get(product_id)
        if product is None or not product.active:
            continue  # gone from the store: silently dropped from the cart
        if product.stock < quantity:
            unavailable.append(product.name)
        lines.append(CartLine(product, min(quantity, MAX_QUANTITY)))
    in_cart = {line.product.id for line in lines}
    unfiled = [  # in product id order, as the filings' own lookup names them
        row[0].name
        for row in sorted(rows, key=lambda row: row[0].id)
        if row[0].id in in_cart and is_unfiled(*row)
    ]
    return lines, unavailable, unfiled


@cache
def _lines_statement():
    """The cart's products in one statement (joined, not one per relationship, filings
    included), built once per process. populate_existing: a product loaded earlier in this
    request is quoted from the row as it is now."""
    return (
        with_filing_states(select(Product))
        .where(Product.id.in_(bindparam("ids", expanding=True)))
        .options(joinedload(Product.tax_template), joinedload(Product.supplier))
        .execution_options(populate_existing=True)
    )


def _mix_item(line: CartLine) -> CartItem:
    product = line.product
    tax_class = (product.tax_template_id, product.tax_tag) if product.is_tax_product else None
    return CartItem(key=str(product.id), tax_class=tax_class)


def _group(lines: list[CartLine]) -> list[CartGroup]:
    orders = split_orders(
        lines,
        lambda line: (line.product.supplier_id, line.product.tax_template_id, line.product.tax_tag),
    )
    return [CartGroup(supplier=order[0].product.supplier, lines=order) for order in orders]


def _quote_groups(snapshot: CartSnapshot, used: "quota.Usage | None") -> None:
    annual_used = used.annual if used else ZERO
    day_used = used.day if used else ZERO
    for group in snapshot.groups:
        template = group.lines[0].product.tax_template
        group.quote = quote_order(
            tag=TaxTag(group.tax_tag) if group.tax_tag else None,
            rates=_rates(template),
            lines=[QuoteLine(price=ln.product.price, quantity=ln.quantity) for ln in group.lines],
            freight=freight_for(group.supplier, group.goods_total),
            policy=snapshot.policy,
            annual_used=annual_used,
            day_used=day_used,
        )
        # Later groups of this checkout count the earlier ones (one person, one moment).
        annual_used += group.quote.quota_amount
        day_used += group.quote.day_amount


def _rates(template) -> TaxRates | None:
    if template is None:
        return None
    return TaxRates.from_percent(
        tariff=template.tariff_rate,
        consumption=template.consumption_rate,
        vat=template.vat_rate,
        postal=template.postal_rate,
    )


def estimate_product_tax(tenant: Tenant, product: Product) -> OrderQuote | None:
    """Quote one unit of a tax product with its supplier's freight (the product page)."""
    if not product.is_tax_product:
        return None
    return quote_order(
        tag=TaxTag(product.tax_tag),
        rates=_rates(product.tax_template),
        lines=[QuoteLine(price=product.price, quantity=1)],
        freight=freight_for(product.supplier, product.price),
        policy=tenant_policy(tenant),
    )
