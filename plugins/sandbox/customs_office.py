"""What the sandbox customs reads from a declaration, decides, and writes back as receipts.

The receipts take the official shapes (samples CEB312/412/512/622; NOTES §3.3 field tables),
with the business keys copied from the declaration and returnTime in China time (NOTES §3.2).
"""

import base64
import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from storefront.ports import PortError

CEB = "http://www.chinaport.gov.cn/ceb"
DXP = "http://www.chinaport.gov.cn/dxp"
CHINA = timezone(timedelta(hours=8), "CST")  # NOTES §3.2: times are China Standard Time
ANNUAL_LIMIT = Decimal(26000)  # 财关税〔2018〕49号 (NOTES §6.1), checked at 621 (-621018)

# declaration root -> (kind, wrapper, head, the head's fields the receipt repeats)
DECLARATIONS = {
    "CEB311Message": ("311", "Order", "OrderHead", ("ebpCode", "ebcCode", "orderNo")),
    "CEB411Message": ("411", "Payment", "PaymentHead", ("payCode", "payTransactionId")),
    "CEB511Message": ("511", "Logistics", "LogisticsHead", ("logisticsCode", "logisticsNo")),
    "CEB621Message": ("621", "Inventory", "InventoryHead", ("copNo",)),
}
# kind -> (receipt root, *Return element, its elements between guid and returnStatus)
RECEIPTS = {
    "311": ("CEB312Message", "OrderReturn", ("ebpCode", "ebcCode", "orderNo")),
    "411": ("CEB412Message", "PaymentReturn", ("payCode", "payTransactionId")),
    "511": ("CEB512Message", "LogisticsReturn", ("logisticsCode", "logisticsNo")),
    "621": (
        "CEB622Message",
        "InventoryReturn",
        ("customsCode", "ebpCode", "ebcCode", "agentCode", "copNo", "preNo", "invtNo"),
    ),
}
# NOTES §4: the normal course of each kind after the e-port's "2" (申报中).
COURSE = {
    "311": (("120", "海关入库成功"),),
    "411": (("120", "海关入库成功"),),
    "511": (("120", "海关入库成功"),),
    "621": (("120", "海关入库成功"), ("399", "海关审结"), ("800", "放行")),
}
REJECTION = "100", "海关退单：模拟海关按设置退回此单，请核对后修改重报（appType=2）"


def _text(element: etree._Element, local: str) -> str:
    child = element.find(f"{{{CEB}}}{local}")
    return (child.text or "").strip() if child is not None else ""


def read_declaration(root: etree._Element) -> list[dict]:
    """Return the documents of a CEB311/411/511/621 message with what the receipts need."""
    name = etree.QName(root)
    if name.namespace != CEB or name.localname not in DECLARATIONS:
        raise PortError(
            "unsupported_message", f"the sandbox customs does not take {name.localname}"
        )
    kind, wrapper, head_name, keys = DECLARATIONS[name.localname]
    documents = []
    for item in root.iterchildren(f"{{{CEB}}}{wrapper}"):
        head = item.find(f"{{{CEB}}}{head_name}")
        if head is None:
            raise PortError("bad_message", f"a {wrapper} has no {head_name}")
        fields = {local: _text(head, local) for local in (*RECEIPTS[kind][2], "guid", "appType")}
        missing = [local for local in (*keys, "guid") if not fields[local]]
        if missing:
            raise PortError("bad_message", f"a {head_name} lacks {', '.join(missing)}")
        document = {"kind": kind, "fields": fields}
        if kind == "311":  # the tax the shop withheld, which the tax bill answers
            document.update(order_no=_text(head, "orderNo"), tax_total=_text(head, "taxTotal"))
        if kind == "621":
            document.update(_inventory_facts(item, head))
        documents.append(document)
    if not documents:
        raise PortError("bad_message", f"the {name.localname} declares nothing")
    return documents


def _inventory_facts(item: etree._Element, head: etree._Element) -> dict:
    # The annual quota counts the dutiable price: goods + freight + insurance (NOTES §6.1).
    try:
        lines = [
            {
                "gnum": _text(line, "gnum"),
                "gcode": _text(line, "gcode"),
                "price": str(Decimal(_text(line, "totalPrice") or "0")),
            }
            for line in item.iterchildren(f"{{{CEB}}}InventoryList")
        ]
        total = (
            sum((Decimal(line["price"]) for line in lines), Decimal(0))
            + Decimal(_text(head, "freight") or "0")
            + Decimal(_text(head, "insuredFee") or "0")
        )
    except ArithmeticError:
        raise PortError("bad_message", "an inventory amount is not a number") from None
    return {
        "buyer_id": _text(head, "buyerIdNumber"),
        "buyer_name": _text(head, "buyerName"),
        "total": str(total),
        "order_no": _text(head, "orderNo"),
        "lines": lines,  # for the tax bill's TaxListRd (customs_tax)
    }


def china_stamp(milliseconds: int) -> str:
    """Format epoch milliseconds as the 17-digit returnTime in China time (NOTES §3.2)."""
    moment = datetime.fromtimestamp(milliseconds // 1000, UTC).astimezone(CHINA)
    return f"{moment:%Y%m%d%H%M%S}{milliseconds % 1000:03d}"


def china_year(seconds: float) -> int:
    """Return the calendar year in China at an epoch time."""
    return datetime.fromtimestamp(seconds, UTC).astimezone(CHINA).year


def _digits(text: str, count: int) -> str:
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10**count).zfill(count)


def plan(document: dict, sent_at: float, delay: int, verdict: tuple[str, str] | None) -> list[dict]:
    """Return the receipts a document gets: "2", then the verdict or the normal course.

    The k-th receipt is due at sent + k × delay; its returnTime adds k - 1 ms so that the
    times strictly increase even without a delay.
    """
    fields = document["fields"]
    started = "新增申报成功" if fields["appType"] != "2" else "变更申报成功"
    steps = [
        ("2", f"{started}[{fields['guid']}]"),
        *([verdict] if verdict else COURSE[document["kind"]]),
    ]
    base = round(sent_at * 1000)
    receipts = []
    for k, (status, info) in enumerate(steps, start=1):
        due = base + k * delay * 1000
        receipt = {"status": status, "info": info, "due_ms": due, "return_ms": due + k - 1}
        receipts.append({**receipt, "written": False})
    if document["kind"] == "621":
        _number_inventory(document, receipts, sent_at)
    return receipts


def _number_inventory(document: dict, receipts: list[dict], sent_at: float) -> None:
    # InventoryReturn: preNo (18, e-port pre-entry number) on every receipt; the customs
    # inventory number invtNo (18) once customs has taken the inventory in (120 on).
    fields = document["fields"]
    day = datetime.fromtimestamp(sent_at, UTC).astimezone(CHINA)
    pre_no = f"B{day:%Y%m%d}{_digits(fields['copNo'] + fields['guid'], 9)}"
    customs = (fields["customsCode"] or "0000")[:4].ljust(4, "0")
    invt_no = f"{customs}{day:%Y}I{_digits(fields['copNo'], 9)}"
    entered = False
    for receipt in receipts:
        entered = entered or receipt["status"] == "120"
        receipt.update(pre_no=pre_no, invt_no=invt_no if entered else "")


def over_the_limit(document: dict, used: Decimal) -> tuple[str, str] | None:
    """Return customs' -621018 verdict when this inventory would pass the annual quota."""
    if used + Decimal(document["total"]) <= ANNUAL_LIMIT:
        return None
    fields = document["fields"]
    return (
        "-621018",
        f"清单[{fields['copNo']}]中购买人[{document['buyer_name']}]已用购买额度为"
        f"[{used.quantize(Decimal('0.01'))}]，本次购买将超过年度限额[{ANNUAL_LIMIT}]",
    )


def receipt_xml(kind: str, items: list[tuple[dict, dict]], guid: str) -> bytes:
    """Write one receipt file (default namespace, as the samples) for (document, receipt) pairs."""
    root_name, element, middle = RECEIPTS[kind]
    maker = ElementMaker(namespace=CEB, nsmap={None: CEB})
    root = maker(root_name, guid=guid, version="1.0")
    for document, receipt in items:
        values = {
            **document["fields"],
            "preNo": receipt.get("pre_no", ""),
            "invtNo": receipt.get("invt_no", ""),
        }
        children = [maker("guid", document["fields"]["guid"])]
        children += [maker(local, values[local]) for local in middle if values[local]]
        children += [
            maker("returnStatus", receipt["status"]),
            maker("returnTime", china_stamp(receipt["return_ms"])),
            maker("returnInfo", receipt["info"]),
        ]
        root.append(maker(element, *children))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def dxp_envelope(content: bytes, message_type: str, now_ms: int) -> bytes:
    """Wrap a receipt as the e-port's terminal node does: Base64 in DxpMsg/Data (NOTES §2)."""
    maker = ElementMaker(namespace=DXP, nsmap={"dxp": DXP})
    created = datetime.fromtimestamp(now_ms // 1000, UTC).astimezone(CHINA)
    envelope = maker(
        "DxpMsg",
        maker(
            "TransInfo",
            maker("CopMsgId", str(uuid.uuid5(uuid.NAMESPACE_OID, f"{now_ms}-{len(content)}"))),
            maker("SenderId", "EPORT"),
            maker("ReceiverIds", maker("ReceiverId", "DXPENTSANDBOX001")),
            maker("CreatTime", f"{created:%Y-%m-%dT%H:%M:%S}"),
            maker("MsgType", message_type),
        ),
        maker("Data", base64.b64encode(content).decode()),
        ver="1.0",
    )
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
