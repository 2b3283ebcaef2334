"""Read customs receipt files (CEB312/412/512/622) and tax bills (CEB816), bare or inside a
DXP envelope.

NOTES §4 "Receipt transport": a receipt arrives as bare CEB XML (the samples use a default
namespace) or Base64 in the `Data` of a terminal-node `DxpMsg`; elements are matched on
namespace URI + local name, never on the prefix (README "Notes"). The electronic tax bill
comes the same way (spec §3.17).
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from storefront.customs.schema import parse_xml
from storefront.domain.customs.receipts import (
    DocumentKind,
    Receipt,
    TaxBill,
    TaxBillLine,
    TaxBillStatus,
    business_key,
)

CEB = "http://www.chinaport.gov.cn/ceb"
DXP = "http://www.chinaport.gov.cn/dxp"

# root local name -> (kind, *Return local name, {key field: element})
RECEIPTS = {
    "CEB312Message": (
        DocumentKind.ORDER,
        "OrderReturn",
        {"ebp_code": "ebpCode", "order_no": "orderNo"},
    ),
    "CEB412Message": (
        DocumentKind.PAYMENT,
        "PaymentReturn",
        {"pay_code": "payCode", "pay_transaction_id": "payTransactionId"},
    ),
    "CEB512Message": (
        DocumentKind.WAYBILL,
        "LogisticsReturn",
        {"logistics_code": "logisticsCode", "logistics_no": "logisticsNo"},
    ),
    "CEB622Message": (DocumentKind.INVENTORY, "InventoryReturn", {"cop_no": "copNo"}),
}


TAX_BILL = "CEB816Message"


class ReceiptError(ValueError):
    """A receipt file that cannot be read; the message says why, in plain words."""


@dataclass(frozen=True)
class CustomsFile:
    """What one file from customs holds: receipts, or electronic tax bills."""

    receipts: list[Receipt] = field(default_factory=list)
    tax_bills: list[TaxBill] = field(default_factory=list)


def _parse(content: bytes) -> etree._Element:
    try:
        root = parse_xml(content)  # no entities, no network, no huge trees
    except etree.XMLSyntaxError as error:
        raise ReceiptError(f"the file is not well-formed XML ({error})") from None
    if root is None:
        raise ReceiptError("the file holds no XML element")
    return root


def parse_receipts(content: bytes) -> list[Receipt]:
    """Return every receipt in a customs file, in document order (none in a tax bill file)."""
    return parse_customs_file(content).receipts


def parse_customs_file(content: bytes) -> CustomsFile:
    """Return the receipts or the tax bills of a customs file, in document order."""
    root = _parse(content)
    if etree.QName(root).namespace == DXP and etree.QName(root).localname == "DxpMsg":
        root = _parse(_unwrap(root))
    name = etree.QName(root)
    if name.namespace == CEB and name.localname == TAX_BILL:
        bills = [_tax_bill(tax) for tax in root.iterchildren(f"{{{CEB}}}Tax")]
        if not bills:  # the XSD wants at least one Tax
            raise ReceiptError(f"a {TAX_BILL} that carries no Tax")
        return CustomsFile(tax_bills=bills)
    if name.namespace != CEB or name.localname not in RECEIPTS:
        raise ReceiptError(f"not a customs receipt this shop reads: {name.localname}")
    kind, element, fields = RECEIPTS[name.localname]
    items = root.iterchildren(f"{{{CEB}}}{element}")
    return CustomsFile(receipts=[_receipt(kind, item, fields) for item in items])


def _unwrap(envelope: etree._Element) -> bytes:
    data = envelope.find(f"{{{DXP}}}Data")
    if data is None or not (data.text or "").strip():
        raise ReceiptError("the DxpMsg envelope carries no Data")
    try:
        return base64.b64decode("".join(data.text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ReceiptError("the DxpMsg Data is not Base64") from None


def _text(item: etree._Element, local: str) -> str:
    child = item.find(f"{{{CEB}}}{local}")
    return (child.text or "").strip() if child is not None else ""


def _receipt(kind: DocumentKind, item: etree._Element, fields: dict[str, str]) -> Receipt:
    local = etree.QName(item).localname
    values = {name: _text(item, element) for name, element in fields.items()}
    missing = [fields[name] for name, value in values.items() if not value]
    status, time = _text(item, "returnStatus"), _text(item, "returnTime")
    missing += [n for n, v in (("returnStatus", status), ("returnTime", time)) if not v]
    if missing:
        raise ReceiptError(f"a {local} lacks {', '.join(missing)}")
    if not status.lstrip("-").isdigit():
        raise ReceiptError(f"a {local} has returnStatus {status!r}, not a number")
    if not _is_stamp(time):
        raise ReceiptError(f"a {local} has returnTime {time!r}, not 17 digits of a moment")
    return Receipt(
        kind=kind,
        key=business_key(kind, **values),
        return_status=status,
        return_time=time,
        info=_text(item, "returnInfo"),
        pre_no=_text(item, "preNo"),
        invt_no=_text(item, "invtNo"),
    )


def _amount(item: etree._Element, local: str) -> Decimal:
    # N19,5 (spec table 3-59): at most 14 integer digits and 5 decimals, never negative.
    text = _text(item, local)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ReceiptError(f"a {etree.QName(item).localname} has {local} {text!r}") from None
    if not value.is_finite() or value < 0 or value >= 10**14 or _decimals(value) > 5:
        raise ReceiptError(f"a {etree.QName(item).localname} has {local} {text!r}, not N19,5")
    return value


def _decimals(value: Decimal) -> int:
    # Trailing zeros do not count: the XSD's fractionDigits constrains the value.
    return max(-value.normalize().as_tuple().exponent, 0) if value else 0


def _tax_bill(tax: etree._Element) -> TaxBill:
    """Read one Tax of a CEB816: its TaxHeadRd and its TaxListRd lines (spec table 3-59)."""
    head = tax.find(f"{{{CEB}}}TaxHeadRd")
    if head is None:
        raise ReceiptError("a Tax has no TaxHeadRd")
    required = ("returnTime", "invtNo", "taxNo", "status")
    missing = [local for local in required if not _text(head, local)]
    if missing:
        raise ReceiptError(f"a TaxHeadRd lacks {', '.join(missing)}")
    time, status = _text(head, "returnTime"), _text(head, "status")
    if not _is_stamp(time):
        raise ReceiptError(f"a TaxHeadRd has returnTime {time!r}, not 17 digits of a moment")
    for local, longest in (("invtNo", 18), ("taxNo", 50), ("entDutyNo", 50)):
        if len(_text(head, local)) > longest:  # C..18 / C..50 (spec table 3-59)
            raise ReceiptError(f"a TaxHeadRd has a {local} longer than {longest}")
    if status not in {member.value for member in TaxBillStatus}:
        raise ReceiptError(f"a TaxHeadRd has status {status!r}, not 1, 2 or 3")
    return TaxBill(
        invt_no=_text(head, "invtNo"),
        tax_no=_text(head, "taxNo"),
        customs_tax=_amount(head, "customsTax"),
        value_added_tax=_amount(head, "valueAddedTax"),
        consumption_tax=_amount(head, "consumptionTax"),
        status=TaxBillStatus(status),
        return_time=time,
        ent_duty_no=_text(head, "entDutyNo"),
        note=_text(head, "note"),
        lines=tuple(_tax_line(line) for line in tax.iterchildren(f"{{{CEB}}}TaxListRd")),
    )


def _is_stamp(text: str) -> bool:
    """Tell whether text is a moment as customs writes it: YYYYMMDDhhmmssSSS (spec §3.17).

    The reconciliation turns the bill's stamp into its "customs deduction time" in SQL: a
    month 13 there would fail every run of the store, so only a real moment is kept (and not
    before 2000, which no customs answer can carry).
    """
    if len(text) != 17 or not (text.isascii() and text.isdigit()) or text < "2000":
        return False
    try:
        datetime.strptime(text[:14] + "+0800", "%Y%m%d%H%M%S%z")  # China time
    except ValueError:
        return False
    return True


def _tax_line(line: etree._Element) -> TaxBillLine:
    gnum = _text(line, "gnum")
    if not gnum.isdigit():
        raise ReceiptError(f"a TaxListRd has gnum {gnum!r}, not a number")
    return TaxBillLine(
        gnum=int(gnum),
        gcode=_text(line, "gcode"),
        tax_price=_amount(line, "taxPrice"),
        customs_tax=_amount(line, "customsTax"),
        value_added_tax=_amount(line, "valueAddedTax"),
        consumption_tax=_amount(line, "consumptionTax"),
    )
