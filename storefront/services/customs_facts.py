"""What an order's customs messages say, gathered from what was stored (order, lines, payment,
filings) into the domain's `OrderDeclaration`. One source for all four documents, so they
cannot disagree (SPEC §6.4, NOTES §5)."""

from decimal import Decimal

from sqlalchemy import select

from storefront.domain.customs.declarations import (
    Consignee,
    DeclaredLine,
    EnterpriseFiling,
    OrderDeclaration,
    Party,
    PaymentFacts,
    Person,
)
from storefront.domain.money import round_money
from storefront.extensions import db
from storefront.models import CustomsFiling, Order, Payment, ProductFiling
from storefront.services.errors import NotFound

ZERO = Decimal("0.00")


def enterprise_filing(row: CustomsFiling) -> EnterpriseFiling:
    """Return the store's filing as the domain's dataclass."""
    area = Party(row.area_code, row.area_name) if row.area_code else None
    return EnterpriseFiling(
        platform=Party(row.platform_code, row.platform_name),
        enterprise=Party(row.enterprise_code, row.enterprise_name),
        payment=Party(row.payment_code, row.payment_name),
        logistics=Party(row.logistics_code, row.logistics_name),
        agent=Party(row.agent_code, row.agent_name),
        customs_code=row.customs_code,
        port_code=row.port_code,
        trade_mode=row.trade_mode,
        traf_mode=row.traf_mode,
        ems_no=row.ems_no,
        area=area,
        loct_no=row.loct_no,
        traf_no=row.traf_no,
        voyage_no=row.voyage_no,
        bill_no=row.bill_no,
        dxp_id=row.dxp_id,
    )


def order_declaration(order: Order, waybill_number: str) -> OrderDeclaration:
    """Gather everything the order's four messages carry."""
    filing = db.session.scalar(select(CustomsFiling))
    if filing is None:
        raise NotFound("CustomsFiling")
    products = _product_filings(order)
    lines = tuple(_line(line, products[line.product_id]) for line in order.lines)
    buyer = Person(order.buyer_name, order.buyer_id_number, order.buyer_phone)
    return OrderDeclaration(
        order_no=order.number,
        cop_no=order.number,  # 20 characters: KJ + date + 10 digits
        filing=enterprise_filing(filing),
        buyer_reg_no=f"S{order.shopper_id}",
        buyer=buyer,
        consignee=Consignee(order.consignee, order.consignee_phone, order.consignee_address),
        lines=lines,
        goods_value=order.goods_total,
        freight=order.freight,
        discount=ZERO,
        insured_fee=ZERO,
        tax_total=order.tax_due,
        actual_paid=order.total,
        payment=_payment(order, buyer),
        logistics_no=waybill_number,
        gross_weight=_weight(order, products, "gross_weight"),
        net_weight=_weight(order, products, "net_weight"),
        country=_head_country(filing.trade_mode, order, products),
    )


def _head_country(trade_mode: str, order: Order, products: dict) -> str:
    if trade_mode == "1210":  # goods already in the bonded area: China (NOTES §3.2)
        return "142"
    return products[order.lines[0].product_id].origin_country


def _product_filings(order: Order) -> dict[int, ProductFiling]:
    ids = [line.product_id for line in order.lines]
    rows = db.session.scalars(select(ProductFiling).where(ProductFiling.product_id.in_(ids)))
    found = {row.product_id: row for row in rows}
    missing = set(ids) - found.keys()
    if missing:
        raise NotFound("ProductFiling")
    return found


def _line(line, filing: ProductFiling) -> DeclaredLine:
    quantity = Decimal(line.quantity)
    return DeclaredLine(
        gnum=line.line_no,
        sku=line.sku,
        name=line.name,
        model=filing.model,
        hs_code=filing.hs_code,
        record_no=filing.record_no,
        bar_code=filing.bar_code,
        country=filing.origin_country,
        unit=filing.unit,
        unit1=filing.unit1,
        qty1=filing.qty1_per_unit * quantity,
        quantity=line.quantity,
        price=line.price,
        amount=line.amount,
        unit2=filing.unit2,
        qty2=filing.qty2_per_unit * quantity if filing.qty2_per_unit is not None else None,
    )


def _weight(order: Order, products: dict[int, ProductFiling], field: str) -> Decimal:
    total = sum(
        (getattr(products[line.product_id], field) * line.quantity for line in order.lines),
        Decimal(0),
    )
    return total.quantize(Decimal("0.00001"))


def _payment(order: Order, buyer: Person) -> PaymentFacts:
    """The payment return of the order's checkout; one serial per order for customs.

    A checkout of several orders is one payment: each order declares its own share under the
    serial with the order's position appended, since customs keys payments by serial (NOTES §4).
    """
    payment = db.session.scalar(
        select(Payment)
        .where(
            Payment.checkout_id == order.checkout_id,
            Payment.status.in_(("succeeded", "refunded")),
        )
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if payment is None or payment.paid_at is None:
        raise NotFound("Payment")
    serial = payment.serial_number or payment.reference or f"P{payment.id}"
    siblings = [o.id for o in order.checkout.orders]
    if len(siblings) > 1:
        serial = f"{serial}-{siblings.index(order.id) + 1}"
    payer = buyer
    if payment.payer_matches_buyer is False and payment.payer_name:
        payer = Person(payment.payer_name, buyer.id_number, buyer.phone)
    return PaymentFacts(serial, payment.paid_at, round_money(order.total), payer)
