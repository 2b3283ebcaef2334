"""The sandbox customs' electronic tax bills (CEB816, spec §3.17), issued after release.

Real customs assesses the tax itself and sends the bill once the inventory is released
(800); the sandbox bases it on the tax the order message declared (CEB311 taxTotal) and
differs from it on purpose, deterministically by the digit sum of the order number:

- no bill without the order's CEB311: customs matches the inventory with the order (三单
  对碰), and the sandbox has no other figure to start from;
- the tariff is 0 within the limits (NOTES §6.1); the VAT is what 13 % × 70 % = 9.1 % of the
  dutiable price comes to, at most the tax to deduct; the rest is consumption tax;
- digit sum % 5 == 0: customs deducts 1.00 less than declared;
- digit sum % 7 == 0: a second bill of the same taxNo follows one delay later (a new
  returnTime) deducting 20 % less: tax given back to the buyer after a partial return.

Lines (TaxListRd) share the head's amounts by each goods line's price; the last line takes
what rounding leaves, so lines always add up to the head.
"""

import uuid
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from plugins.sandbox.customs_office import china_stamp

KIND = "816"
MESSAGE = "CEB816Message"
CEB = "http://www.chinaport.gov.cn/ceb"
CENT = Decimal("0.01")
VAT_SHARE = Decimal("0.091")  # 13 % VAT × 70 % (财关税〔2018〕49号, NOTES §6.1)
UNDER_DEDUCTION = Decimal("1.00")
REFUND_SHARE = Decimal("0.20")
RELEASED = "800"


def digit_sum(order_no: str) -> int:
    """Return the sum of the digits of an order number (the sandbox's dice)."""
    return sum(int(char) for char in order_no if char.isdigit())


def plan_bills(document: dict, declared: Decimal | None, delay: int) -> list[dict]:
    """Return the bills due after a released inventory: one, sometimes a later second."""
    receipts = document["receipts"]
    if declared is None or not receipts or receipts[-1]["status"] != RELEASED:
        return []
    release = receipts[-1]
    dutiable, tax = Decimal(document["total"]), declared
    dice = digit_sum(document.get("order_no", ""))
    if dice % 5 == 0:
        tax = max(tax - UNDER_DEDUCTION, Decimal(0))
    amounts = [(tax, "1", "")]
    if dice % 7 == 0:
        lowered = (tax * (1 - REFUND_SHARE)).quantize(CENT)
        amounts.append((lowered, "1", "部分退货，退还税款"))
    tax_no = f"{release['invt_no']}001"
    bills = []
    for k, (amount, status, note) in enumerate(amounts, start=1):
        due = release["due_ms"] + k * delay * 1000
        bills.append(
            {
                "tax_no": tax_no,
                "invt_no": release["invt_no"],
                "status": status,
                "note": note,
                "due_ms": due,
                "return_ms": max(due, release["return_ms"]) + k,
                "written": False,
                **_split(amount, dutiable),
            }
        )
    return bills


def _split(tax: Decimal, dutiable: Decimal) -> dict:
    vat = min(tax, (dutiable * VAT_SHARE).quantize(CENT))
    return {"vat": str(vat), "consumption": str(tax - vat)}


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Share `total` by weight to the fen; the last share takes what rounding leaves."""
    whole = sum(weights, Decimal(0))
    if not whole:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    shares = [(total * weight / whole).quantize(CENT) for weight in weights[:-1]]
    return [*shares, total - sum(shares, Decimal(0))]


def _amount(value: Decimal) -> str:
    return f"{value:.5f}"  # N19,5 (spec table 3-59)


def tax_bill_xml(items: list[tuple[dict, dict]], guid: str) -> bytes:
    """Write one CEB816 file (XSD element order) for (inventory document, bill) pairs."""
    maker = ElementMaker(namespace=CEB, nsmap={None: CEB})
    root = maker(MESSAGE, guid=guid, version="1.0")
    for document, bill in items:
        vat, consumption = Decimal(bill["vat"]), Decimal(bill["consumption"])
        head = [
            maker(
                "guid", str(uuid.uuid5(uuid.NAMESPACE_OID, f"{guid}{bill['return_ms']}")).upper()
            ),
            maker("returnTime", china_stamp(bill["return_ms"])),
            maker("invtNo", bill["invt_no"]),
            maker("taxNo", bill["tax_no"]),
            maker("customsTax", _amount(Decimal(0))),
            maker("valueAddedTax", _amount(vat)),
            maker("consumptionTax", _amount(consumption)),
            maker("status", bill["status"]),
        ]
        head += [maker("note", bill["note"])] if bill["note"] else []
        fields = document["fields"]
        head += [maker(local, fields[local]) for local in ("ebcCode", "agentCode") if fields[local]]
        if len(fields["customsCode"]) == 4:
            head.append(maker("customsCode", fields["customsCode"]))
        root.append(
            maker("Tax", maker("TaxHeadRd", *head), *_lines(maker, document, vat, consumption))
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _lines(maker: ElementMaker, document: dict, vat: Decimal, consumption: Decimal) -> list:
    lines = document["lines"]
    weights = [Decimal(line["price"]) for line in lines]
    columns = zip(
        _shares(Decimal(document["total"]), weights),
        _shares(vat, weights),
        _shares(consumption, weights),
        strict=True,
    )
    return [
        maker(
            "TaxListRd",
            maker("gnum", str(line["gnum"])),
            maker("gcode", line["gcode"]),
            maker("taxPrice", _amount(price)),
            maker("customsTax", _amount(Decimal(0))),
            maker("valueAddedTax", _amount(line_vat)),
            maker("consumptionTax", _amount(line_consumption)),
        )
        for line, (price, line_vat, line_consumption) in zip(lines, columns, strict=True)
    ]
