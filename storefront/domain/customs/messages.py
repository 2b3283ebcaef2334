"""Write the import declarations CEB311/411/511/621 as CEB XML (S2 element order, NOTES §3).

Each message is first built as a `Record` (element name -> text, exactly what is written), so
the consistency rules check the very texts customs will read, and files read back from disk
(`storefront.customs.inspection`) land in the same shape.
"""

import xml.etree.ElementTree as ET  # builds XML only: nothing from outside is parsed here
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from storefront.domain.customs.declarations import (
    DeclaredLine,
    EnterpriseFiling,
    MessageHead,
    OrderDeclaration,
)
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.money import round_money

NAMESPACE = "http://www.chinaport.gov.cn/ceb"
CHINA_TIME = timezone(timedelta(hours=8), "CST")
CURRENCY = "142"  # CNY, fixed by the XSD
BONDED = "1210"
DIRECT = "9610"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# The prefix the official samples use; customs matches on the namespace URI (NOTES §3.1).
ET.register_namespace("ceb", NAMESPACE)


@dataclass(frozen=True)
class Layout:
    """Where a message keeps its records: root, per-record wrapper, head and line elements."""

    root: str
    wrapper: str
    head: str
    line: str = ""  # "" when the message has no lines


LAYOUTS: dict[DocumentKind, Layout] = {
    DocumentKind.ORDER: Layout("CEB311Message", "Order", "OrderHead", "OrderList"),
    DocumentKind.PAYMENT: Layout("CEB411Message", "Payment", "PaymentHead"),
    DocumentKind.WAYBILL: Layout("CEB511Message", "Logistics", "LogisticsHead"),
    DocumentKind.INVENTORY: Layout("CEB621Message", "Inventory", "InventoryHead", "InventoryList"),
}
MESSAGE_TYPES: dict[DocumentKind, str] = {kind: layout.root for kind, layout in LAYOUTS.items()}

# Optional elements (minOccurs 0) are left out when empty: several have a fixed length or a
# minimum length, so an empty element would fail the schema (NOTES §3.3).
OPTIONAL = frozenset(
    {
        "payCode",
        "payName",
        "payTransactionId",
        "note",
        "itemNo",
        "barCode",
        "telephone",
        "billNo",
        "copNo",
        "emsNo",
        "areaCode",
        "areaName",
        "trafNo",
        "voyageNo",
        "loctNo",
        "itemRecordNo",
        "qty2",
        "unit2",
    }
)


@dataclass(frozen=True)
class Record:
    """One declaration as written: head and line elements (name -> text) in XSD order."""

    kind: DocumentKind
    head: dict[str, str]
    lines: tuple[dict[str, str], ...] = ()


def china_timestamp(moment: datetime) -> str:
    """Return an aware moment as YYYYMMDDhhmmss in China Standard Time (appTime, payTime)."""
    if moment.tzinfo is None:
        raise ValueError("customs times are written in China time: pass an aware datetime")
    return moment.astimezone(CHINA_TIME).strftime("%Y%m%d%H%M%S")


def money_text(amount: Decimal) -> str:
    """Write an amount in yuan with two decimals and never an exponent."""
    return format(round_money(amount), "f")


def quantity_text(quantity: Decimal | int) -> str:
    """Write a quantity or weight without trailing zeros and never an exponent."""
    return format(Decimal(quantity).normalize(), "f")


def _written(fields: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in fields.items() if text or name not in OPTIONAL}


def _head(head: MessageHead) -> dict[str, str]:
    return {
        "guid": head.guid,
        "appType": head.app_type,
        "appTime": china_timestamp(head.app_time),
        "appStatus": head.app_status,
    }


def order_record(declaration: OrderDeclaration, head: MessageHead) -> Record:
    """Return the CEB311 order as written."""
    d, filing = declaration, declaration.filing
    fields = {
        **_head(head),
        "orderType": "I",
        "orderNo": d.order_no,
        "ebpCode": filing.platform.code,
        "ebpName": filing.platform.name,
        "ebcCode": filing.enterprise.code,
        "ebcName": filing.enterprise.name,
        "goodsValue": money_text(d.goods_value),
        "freight": money_text(d.freight),
        "discount": money_text(d.discount),
        "taxTotal": money_text(d.tax_total),
        "acturalPaid": money_text(d.actual_paid),
        "currency": CURRENCY,
        "buyerRegNo": d.buyer_reg_no,
        "buyerName": d.buyer.name,
        "buyerTelephone": d.buyer.phone,
        "buyerIdType": "1",  # ID card, the only accepted type (NOTES §3.2)
        "buyerIdNumber": d.buyer.id_number,
        # Optional in 311 but the link to the payment (NOTES §5): always filled.
        "payCode": filing.payment.code,
        "payName": filing.payment.name,
        "payTransactionId": d.payment.transaction_id,
        "consignee": d.consignee.name,
        "consigneeTelephone": d.consignee.phone,
        "consigneeAddress": d.consignee.address,
        "note": d.note,
    }
    return Record(
        DocumentKind.ORDER, _written(fields), tuple(_order_line(line) for line in d.lines)
    )


def _order_line(line: DeclaredLine) -> dict[str, str]:
    return _written(
        {
            "gnum": str(line.gnum),
            "itemNo": line.sku,
            "itemName": line.name,
            "gmodel": line.model,
            "barCode": line.bar_code,
            "unit": line.unit,
            "qty": str(line.quantity),
            "price": money_text(line.price),
            "totalPrice": money_text(line.amount),
            "currency": CURRENCY,
            "country": line.country,
        }
    )


def payment_record(declaration: OrderDeclaration, head: MessageHead) -> Record:
    """Return the CEB411 payment as written."""
    d, filing, payment = declaration, declaration.filing, declaration.payment
    fields = {
        **_head(head),
        "payCode": filing.payment.code,
        "payName": filing.payment.name,
        "payTransactionId": payment.transaction_id,
        "orderNo": d.order_no,
        "ebpCode": filing.platform.code,
        "ebpName": filing.platform.name,
        "payerIdType": "1",
        "payerIdNumber": payment.payer.id_number,
        "payerName": payment.payer.name,
        "telephone": payment.payer.phone,
        "amountPaid": money_text(payment.amount),
        "currency": CURRENCY,
        "payTime": china_timestamp(payment.paid_at),
    }
    return Record(DocumentKind.PAYMENT, _written(fields))


def waybill_record(declaration: OrderDeclaration, head: MessageHead) -> Record:
    """Return the CEB511 waybill as written."""
    d, filing = declaration, declaration.filing
    fields = {
        **_head(head),
        "logisticsCode": filing.logistics.code,
        "logisticsName": filing.logistics.name,
        "logisticsNo": d.logistics_no,
        "billNo": filing.bill_no if filing.trade_mode == DIRECT else "",
        "orderNo": d.order_no,
        "freight": money_text(d.freight),
        "insuredFee": money_text(d.insured_fee),
        "currency": CURRENCY,
        "weight": quantity_text(d.gross_weight),
        "packNo": "1",  # one parcel per waybill (S1 table 3-17)
        "consignee": d.consignee.name,
        "consigneeAddress": d.consignee.address,
        "consigneeTelephone": d.consignee.phone,
    }
    return Record(DocumentKind.WAYBILL, _written(fields))


def inventory_record(declaration: OrderDeclaration, head: MessageHead, declared_on: date) -> Record:
    """Return the CEB621 inventory list as written."""
    d, filing = declaration, declaration.filing
    bonded, direct = filing.trade_mode == BONDED, filing.trade_mode == DIRECT
    area = filing.area if bonded and filing.area else None
    fields = {
        **_head(head),
        "orderNo": d.order_no,
        "ebpCode": filing.platform.code,
        "ebpName": filing.platform.name,
        "ebcCode": filing.enterprise.code,
        "ebcName": filing.enterprise.name,
        "logisticsNo": d.logistics_no,
        "logisticsCode": filing.logistics.code,
        "logisticsName": filing.logistics.name,
        "copNo": d.cop_no,
        # The e-commerce enterprise guarantees the tax it withholds (S1 table 3-31).
        "assureCode": filing.enterprise.code,
        "emsNo": filing.ems_no if bonded else "",
        "ieFlag": "I",
        "declTime": declared_on.strftime("%Y%m%d"),
        "customsCode": filing.customs_code,
        "portCode": filing.port_code,
        "buyerIdType": "1",
        "buyerIdNumber": d.buyer.id_number,
        "buyerName": d.buyer.name,
        "buyerTelephone": d.buyer.phone,
        "consigneeAddress": d.consignee.address,
        "agentCode": filing.agent.code,
        "agentName": filing.agent.name,
        "areaCode": area.code if area else "",
        "areaName": area.name if area else "",
        "tradeMode": filing.trade_mode,
        "trafMode": filing.traf_mode,
        # Direct purchase only; bonded imports leave them out (S1 table 3-31 "保税进口免填").
        "trafNo": filing.traf_no if direct else "",
        "voyageNo": filing.voyage_no if direct else "",
        "billNo": filing.bill_no if direct else "",
        "loctNo": filing.loct_no,
        "country": d.country,
        "freight": money_text(d.freight),
        "insuredFee": money_text(d.insured_fee),
        "currency": CURRENCY,
        "packNo": "1",
        "grossWeight": quantity_text(d.gross_weight),
        "netWeight": quantity_text(d.net_weight),
        "note": d.note,
    }
    lines = tuple(_inventory_line(line, bonded) for line in d.lines)
    return Record(DocumentKind.INVENTORY, _written(fields), lines)


def _inventory_line(line: DeclaredLine, bonded: bool) -> dict[str, str]:
    return _written(
        {
            "gnum": str(line.gnum),
            "itemRecordNo": line.record_no if bonded else "",
            "itemNo": line.sku,
            "itemName": line.name,
            "gcode": line.hs_code,
            "gname": line.name,
            "gmodel": line.model,
            "barCode": line.bar_code or "无",  # S1 table 3-31: "没有条码填“无”"
            "country": line.country,
            "currency": CURRENCY,
            "qty": str(line.quantity),
            "unit": line.unit,
            "qty1": quantity_text(line.qty1),
            "unit1": line.unit1,
            "qty2": "" if line.qty2 is None else quantity_text(line.qty2),
            "unit2": line.unit2,
            "price": money_text(line.price),
            "totalPrice": money_text(line.amount),
        }
    )


def render(record: Record, head: MessageHead, filing: EnterpriseFiling) -> bytes:
    """Serialise a record as a whole message: root, wrapper, BaseTransfer; UTF-8."""
    layout = LAYOUTS[record.kind]
    root = ET.Element(_qualified(layout.root), {"guid": head.guid, "version": "1.0"})
    wrapper = ET.SubElement(root, _qualified(layout.wrapper))
    _append(wrapper, layout.head, record.head)
    for line in record.lines:
        _append(wrapper, layout.line, line)
    sender = head.sender or filing.enterprise
    transfer = {
        "copCode": sender.code,
        "copName": sender.name,
        "dxpMode": "DXP",
        "dxpId": filing.dxp_id,
    }
    # BaseTransfer ends the unsigned message: the signer appends ds:Signature as the last
    # child, which is its place in the XSD (no ExtendMessage in between; NOTES §2).
    _append(root, "BaseTransfer", transfer)
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


def _qualified(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _append(parent: ET.Element, name: str, fields: dict[str, str]) -> None:
    element = ET.SubElement(parent, _qualified(name))
    for child_name, text in fields.items():
        ET.SubElement(element, _qualified(child_name)).text = text


def order_message(declaration: OrderDeclaration, head: MessageHead) -> bytes:
    """Build the CEB311 order message."""
    return render(order_record(declaration, head), head, declaration.filing)


def payment_message(declaration: OrderDeclaration, head: MessageHead) -> bytes:
    """Build the CEB411 payment message."""
    return render(payment_record(declaration, head), head, declaration.filing)


def waybill_message(declaration: OrderDeclaration, head: MessageHead) -> bytes:
    """Build the CEB511 waybill message."""
    return render(waybill_record(declaration, head), head, declaration.filing)


def inventory_message(declaration: OrderDeclaration, head: MessageHead, declared_on: date) -> bytes:
    """Build the CEB621 inventory list, unsigned (the signer appends ds:Signature)."""
    return render(inventory_record(declaration, head, declared_on), head, declaration.filing)
