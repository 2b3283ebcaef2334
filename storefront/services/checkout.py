"""Placing an order: split per supplier, recompute everything, reserve quota, one commit."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.limits import displayed_steps
from storefront.extensions import db
from storefront.models import Address, BuyerIdentity, Shopper, Tenant
from storefront.models.orders import Checkout, Order, OrderLine
from storefront.services import quota, refusals, stock, suspension
from storefront.services.cart import CartGroup, CartSnapshot, build_cart
from storefront.services.commission import referring_promoter
from storefront.services.errors import NotFound
from storefront.services.orders import open_order
from storefront.services.stock import OutOfStock


class CheckoutRefused(Refused):
    """The cart cannot be placed as it is; `code` says why, `snapshot` shows the figures."""

    def __init__(self, code: ErrorCode, snapshot: CartSnapshot | None = None) -> None:
        super().__init__(code)
        self.snapshot = snapshot


@dataclass(frozen=True)
class PlacementRequest:
    items: dict[int, int]
    identity_id: int | None
    address_id: int
    token: str  # one per confirm page: a second submit returns the first checkout
    expected_total: Decimal | None  # what the shopper saw; a change refuses the placement
    referral_code: str | None = None  # the promoter's code the shopper arrived with


def place_order(
    tenant: Tenant, shopper: Shopper, request: PlacementRequest, moment: datetime
) -> Checkout:
    """Place the cart as one order per supplier group, or raise CheckoutRefused."""
    try:
        return _place(tenant, shopper, request, moment)
    except CheckoutRefused as refused:
        if refused.code in refusals.RECORDED:
            # the refused use case leaves nothing (its locks included); the record of the
            # refusal is a use case of its own, committed alone (issue 13)
            db.session.rollback()
            refusals.record_refusal(refused.code, refused.snapshot, moment)
        raise


def _place(tenant: Tenant, shopper: Shopper, request: PlacementRequest, moment: datetime):
    try:  # a suspended store takes no orders, whatever page or API asks (issue 13)
        suspension.refuse_if_suspended(tenant.id)
    except Refused as refused:
        raise CheckoutRefused(refused.code) from None
    existing = _placed_with(request.token, shopper)
    if existing is not None:
        return existing
    if not request.items:
        raise CheckoutRefused(ErrorCode.EMPTY_CART)
    address, identity = _owned(shopper, request.address_id, request.identity_id)
    person = quota.person_hash(identity.id_number) if identity else None
    if person:
        quota.lock_person(person)  # this person's placements queue up, platform-wide
    snapshot = build_cart(tenant, request.items, identity, moment)
    _check(snapshot, identity, request.expected_total)
    promoter = referring_promoter(request.referral_code, shopper)
    # the checkout, its orders and their lines, events and reservations are written by one
    # flush, right before the stock is taken (_take_stock)
    checkout = Checkout(token=request.token, shopper_id=shopper.id, amount=snapshot.total)
    db.session.add(checkout)
    try:
        for group in snapshot.groups:
            order = _write_order(checkout, group, shopper, identity, address, snapshot, moment)
            order.promoter_id = promoter.id if promoter else None
            if person and (group.quote.quota_amount > 0 or group.quote.day_amount > 0):
                quota.reserve(
                    person, order, group.quote.quota_amount, group.quote.day_amount, moment
                )
        _take_stock(snapshot)
    except CheckoutRefused:
        db.session.rollback()  # nothing of a refused placement stays, the stock taken included
        raise
    except IntegrityError:
        # the same page submitted at once: another submit wrote the token's checkout since
        # this one looked; nothing of this one stays, and it answers that checkout
        db.session.rollback()
        existing = _placed_with(request.token, shopper)
        if existing is None:
            raise
        return existing
    checkout_id = checkout.id
    db.session.commit()
    set_committed_value(checkout, "id", checkout_id)  # an id never changes: no reload to read it
    return checkout


def _placed_with(token: str, shopper: Shopper) -> Checkout | None:
    """Return the checkout the shopper already placed with this page's token, if any; a token
    of another shopper's page is refused."""
    existing = db.session.scalar(_token_statement(), {"token": token})
    if existing is not None and existing.shopper_id != shopper.id:
        raise CheckoutRefused(ErrorCode.TOKEN_REUSED)
    return existing


def _check(snapshot: CartSnapshot, identity, expected_total: Decimal | None) -> None:
    if not snapshot.groups:
        raise CheckoutRefused(ErrorCode.EMPTY_CART, snapshot)
    if snapshot.unavailable:
        raise CheckoutRefused(ErrorCode.OUT_OF_STOCK, snapshot)
    if snapshot.unfiled:
        raise CheckoutRefused(ErrorCode.NOT_FILED, snapshot)
    if snapshot.problems:
        raise CheckoutRefused(ErrorCode.MIXED_CART, snapshot)
    if identity is None and any(group.tax_tag for group in snapshot.groups):
        raise CheckoutRefused(ErrorCode.IDENTITY_REQUIRED, snapshot)
    if snapshot.violations:
        raise CheckoutRefused(ErrorCode.LIMIT_EXCEEDED, snapshot)
    if expected_total is not None and expected_total != snapshot.total:
        raise CheckoutRefused(ErrorCode.PRICE_CHANGED, snapshot)


def _owned(
    shopper: Shopper, address_id: int, identity_id: int | None
) -> tuple[Address, BuyerIdentity | None]:
    """Return the shopper's address and identity (if one is chosen) in one statement, or
    raise NotFound when either is not theirs."""
    values = {"shopper_id": shopper.id, "address_id": address_id, "identity_id": identity_id}
    row = db.session.execute(_owned_statement(identity_id is not None), values).one_or_none()
    if row is not None:
        return row[0], (row[1] if identity_id is not None else None)
    # which one is not theirs, for the answer to name it (a second read, on this path only)
    address = db.session.execute(_owned_statement(False), values).one_or_none()
    raise NotFound("BuyerIdentity" if address is not None else "Address")


# The placement's own reads are built once per process: building them took a sizeable share
# of a placement's CPU.


@cache
def _token_statement():
    return select(Checkout).where(Checkout.token == bindparam("token"))


@cache
def _owned_statement(with_identity: bool):
    mine = (Address.id == bindparam("address_id"), Address.shopper_id == bindparam("shopper_id"))
    if not with_identity:
        return select(Address).where(*mine)
    return (
        select(Address, BuyerIdentity)
        .join(BuyerIdentity, BuyerIdentity.shopper_id == Address.shopper_id)
        .where(*mine, BuyerIdentity.id == bindparam("identity_id"))
    )


def _take_stock(snapshot: CartSnapshot) -> None:
    """Take the stock last, one conditional UPDATE per product in id order (SPEC §4).

    A product row is then locked only from its UPDATE to the commit right after (placements
    of one product queue for that instant, not for the whole placement), and carts sharing
    products lock them in the same order (no deadlock).
    """
    for line in sorted(snapshot.lines, key=lambda line: line.product.id):
        try:
            stock.take(line.product.id, line.quantity)
        except OutOfStock as short:
            raise CheckoutRefused(ErrorCode.OUT_OF_STOCK, snapshot) from short


def order_number(moment: datetime) -> str:
    """Return a new order number: KJ, the China date, ten random digits."""
    return f"KJ{quota.china_day(moment):%Y%m%d}{secrets.randbelow(10**10):010d}"


def _write_order(checkout, group: CartGroup, shopper, identity, address, snapshot, moment):
    quote, template = group.quote, group.lines[0].product.tax_template
    order = Order(
        number=order_number(moment),
        checkout=checkout,
        shopper_id=shopper.id,
        supplier_id=group.supplier.id,
        tax_tag=group.tax_tag,
        tax_method=quote.method,
        policy_code=snapshot.policy.code,
        tariff_rate=template.tariff_rate if template else None,
        consumption_rate=template.consumption_rate if template else None,
        vat_rate=template.vat_rate if template else None,
        postal_rate=template.postal_rate if template else None,
        goods_total=quote.goods_total,
        freight=quote.freight,
        **displayed_steps(quote),
        tax_due=quote.tax_due,
        total=quote.order_total,
        buyer_name=identity.real_name if identity else shopper.name,
        buyer_id_number=identity.id_number if identity else "",
        buyer_phone=identity.phone if identity else address.phone,
        consignee=address.consignee,
        consignee_phone=address.phone,
        consignee_address=address.one_line(),
        placed_at=moment,
        promoter_id=None,  # set by the caller; loaded now, so no UPDATE when it stays empty
    )
    open_order(order, who=f"shopper:{shopper.id}")
    for number, line in enumerate(group.lines, start=1):
        db.session.add(
            OrderLine(
                order=order,
                line_no=number,
                product_id=line.product.id,
                sku=line.product.sku,
                name=line.product.name,
                price=line.product.price,
                quantity=line.quantity,
                amount=line.amount,
            )
        )
    return order
