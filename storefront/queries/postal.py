"""The direct-mail declaration sheet of an order (SPEC §6): its lines with their filings'
postal tax numbers and countries of origin, the masked identity and the postal tax."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from storefront.domain.customs.filings import COUNTRIES
from storefront.domain.customs.postal import PostalDeclarationSheet, PostalLine
from storefront.domain.identity import mask_prc_id
from storefront.domain.money import rate_from_percent, round_money
from storefront.extensions import db
from storefront.models import Order, ProductFiling


def postal_sheet(order: Order, store_name: str, declared_on: date) -> PostalDeclarationSheet:
    """Build the sheet printed with a direct-mail parcel's waybill."""
    rate = order.postal_rate if order.postal_rate is not None else Decimal("0")
    return PostalDeclarationSheet(
        order_number=order.number,
        parcel_number=order.tracking_number or "",  # before shipping the carrier has none
        store_name=store_name,
        # the store keeps no sender address; the declarant writes it on the printed sheet
        sender_address="",
        consignee_name=order.consignee,
        consignee_phone=order.consignee_phone,
        consignee_address=order.consignee_address,
        masked_id_number=mask_prc_id(order.buyer_id_number),  # PIPL (SPEC §1)
        lines=_lines(order),
        goods_total=order.goods_total,
        postal_rate=rate,
        # SPEC §2: goods × postal rate, rounded once; the order's tax_due already applies
        # the 50-yuan exemption
        tax_assessed=round_money(order.goods_total * rate_from_percent(rate)),
        tax_due=order.tax_due,
        declared_on=declared_on,
    )


def _lines(order: Order) -> tuple[PostalLine, ...]:
    product_ids = [line.product_id for line in order.lines]
    filings = {
        filing.product_id: filing
        for filing in db.session.scalars(
            select(ProductFiling).where(ProductFiling.product_id.in_(product_ids))
        )
    }
    return tuple(_line(line, filings.get(line.product_id)) for line in order.lines)


def _line(line, filing: ProductFiling | None) -> PostalLine:
    country = filing.origin_country if filing is not None else ""
    return PostalLine(
        name=line.name,
        spec=filing.model if filing is not None else "",
        quantity=line.quantity,
        unit_price=line.price,
        amount=line.amount,
        postal_tax_number=filing.postal_tax_number if filing is not None else "",
        origin_country=COUNTRIES.get(country, country),
    )
