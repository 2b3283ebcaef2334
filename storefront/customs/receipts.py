"""Read customs receipt files (CEB312/412/512/622), bare or inside a DXP envelope.

NOTES §4 "Receipt transport": a receipt arrives as bare CEB XML (the samples use a default
namespace) or Base64 in the `Data` of a terminal-node `DxpMsg`; elements are matched on
namespace URI + local name, never on the prefix (README "Notes").
"""

import base64
import binascii

from lxml import etree

from storefront.customs.schema import parse_xml
from storefront.domain.customs.receipts import DocumentKind, Receipt, business_key

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


class ReceiptError(ValueError):
    """A receipt file that cannot be read; the message says why, in plain words."""


def _parse(content: bytes) -> etree._Element:
    try:
        root = parse_xml(content)  # no entities, no network, no huge trees
    except etree.XMLSyntaxError as error:
        raise ReceiptError(f"the file is not well-formed XML ({error})") from None
    if root is None:
        raise ReceiptError("the file holds no XML element")
    return root


def parse_receipts(content: bytes) -> list[Receipt]:
    """Return every receipt in a customs file, in document order."""
    root = _parse(content)
    if etree.QName(root).namespace == DXP and etree.QName(root).localname == "DxpMsg":
        root = _parse(_unwrap(root))
    name = etree.QName(root)
    if name.namespace != CEB or name.localname not in RECEIPTS:
        raise ReceiptError(f"not a customs receipt this shop reads: {name.localname}")
    kind, element, fields = RECEIPTS[name.localname]
    return [_receipt(kind, item, fields) for item in root.iterchildren(f"{{{CEB}}}{element}")]


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
    if len(time) != 17 or not time.isdigit():
        raise ReceiptError(f"a {local} has returnTime {time!r}, not 17 digits")
    return Receipt(
        kind=kind,
        key=business_key(kind, **values),
        return_status=status,
        return_time=time,
        info=_text(item, "returnInfo"),
        pre_no=_text(item, "preNo"),
        invt_no=_text(item, "invtNo"),
    )
