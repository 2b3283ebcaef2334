"""What the schema cannot check (SPEC §6.4, NOTES §3.5 and §5): sums, identities and links.

The rules read `Record`s, the texts exactly as a message writes them, so one implementation
serves both the check before sending (`check_declaration`) and the inspection of files.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from storefront.domain.customs.declarations import MessageHead, OrderDeclaration
from storefront.domain.customs.messages import (
    BONDED,
    CHINA_TIME,
    DIRECT,
    LAYOUTS,
    Record,
    china_timestamp,
    inventory_record,
    order_record,
    payment_record,
    waybill_record,
)
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.identity import InvalidIdNumber, validate_prc_id
from storefront.domain.money import round_money

MAX_LINES = 99  # OrderList / InventoryList maxOccurs (S2)
GUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
HS_CODE = re.compile(r"[0-9]{10}")


class ProblemCode(StrEnum):
    """Why a declaration would be refused or mismatched: stable codes for the core and the UI."""

    PAID_MISMATCH = "paid_mismatch"  # acturalPaid ≠ goods + freight + tax − discount / amountPaid
    PAYER_NOT_BUYER = "payer_not_buyer"  # 公告2016年第26号: buyer and payer are one person
    BUYER_MISMATCH = "buyer_mismatch"  # the inventory's buyer is not the order's
    CONSIGNEE_MISMATCH = "consignee_mismatch"  # S1 table 3-3: must equal the waybill's
    ORDER_NO_MISMATCH = "order_no_mismatch"
    ENTERPRISE_MISMATCH = "enterprise_mismatch"  # ebpCode / ebcCode differ between messages
    PAYMENT_LINK = "payment_link"  # payCode / payTransactionId differ between 311 and 411
    WAYBILL_LINK = "waybill_link"  # logisticsCode / logisticsNo differ between 511 and 621
    FREIGHT_MISMATCH = "freight_mismatch"
    LINE_MISMATCH = "line_mismatch"  # S1 table 3-31: inventory lines 1:1 with the order's
    LINE_TOTAL = "line_total"  # totalPrice ≠ price × qty
    GOODS_SUM = "goods_sum"  # Σ totalPrice ≠ goodsValue
    GNUM_SEQUENCE = "gnum_sequence"  # line numbers are 1..n
    TOO_MANY_LINES = "too_many_lines"
    BAD_ID_NUMBER = "bad_id_number"  # GB 11643
    ID_TYPE = "id_type"  # only "1" (ID card) is accepted
    GUID_FORMAT = "guid_format"  # 36 characters, upper case
    APP_TIME_NOT_LATER = "app_time_not_later"  # -301014 "旧报文数据，不做处理"
    NEGATIVE_AMOUNT = "negative_amount"
    MISSING_FIELD = "missing_field"  # what 1210 / 9610 require beyond the schema
    TRADE_MODE = "trade_mode"
    BONDED_COUNTRY = "bonded_country"  # 1210: country "142" (S1 table 3-31)
    HS_CODE = "hs_code"
    WEIGHT = "weight"
    PACK_NO = "pack_no"  # one parcel per waybill


@dataclass(frozen=True)
class Problem:
    """One violation: a stable code, the element, and the values (never personal data)."""

    code: ProblemCode
    field: str  # the element name, e.g. "acturalPaid" or "OrderList[2].totalPrice"
    detail: str


Rule = Callable[[Record], Iterator[Problem]]


def _number(text: str | None) -> Decimal | None:
    try:
        value = Decimal(text or "")
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _guid(record: Record) -> Iterator[Problem]:
    if not GUID.fullmatch(record.head.get("guid", "")):
        yield Problem(ProblemCode.GUID_FORMAT, "guid", "36 characters, upper-case hex and -")


# Amounts and quantities; weights have their own rule (> 0).
NON_NEGATIVE = (
    "goodsValue",
    "freight",
    "discount",
    "taxTotal",
    "acturalPaid",
    "amountPaid",
    "insuredFee",
    "qty",
    "qty1",
    "qty2",
    "price",
    "totalPrice",
)


def _negative(record: Record) -> Iterator[Problem]:
    line_tag = LAYOUTS[record.kind].line
    parts = [("", record.head)] + [(f"{line_tag}[{n}].", line) for n, line in _numbered(record)]
    for prefix, fields in parts:
        for name in NON_NEGATIVE:
            value = _number(fields.get(name))
            if value is not None and value < 0:
                yield Problem(ProblemCode.NEGATIVE_AMOUNT, prefix + name, f"{value} < 0")


def _identity(record: Record) -> Iterator[Problem]:
    role = "payer" if record.kind == DocumentKind.PAYMENT else "buyer"
    if record.head.get(f"{role}IdType") != "1":
        yield Problem(ProblemCode.ID_TYPE, f"{role}IdType", "must be 1 (resident ID card)")
    number = record.head.get(f"{role}IdNumber", "")
    try:
        if validate_prc_id(number) != number:
            raise InvalidIdNumber("the ID number is not written in its normal form")
    except InvalidIdNumber as error:
        yield Problem(ProblemCode.BAD_ID_NUMBER, f"{role}IdNumber", str(error))


def _numbered(record: Record) -> Iterator[tuple[int, dict[str, str]]]:
    return enumerate(record.lines, start=1)


def _lines(record: Record) -> Iterator[Problem]:
    tag = LAYOUTS[record.kind].line
    if not record.lines:
        yield Problem(ProblemCode.MISSING_FIELD, tag, "no goods lines")
    if len(record.lines) > MAX_LINES:
        yield Problem(ProblemCode.TOO_MANY_LINES, tag, f"{len(record.lines)} > {MAX_LINES}")
    numbers = [line.get("gnum", "") for line in record.lines]
    if [_number(text) for text in numbers] != list(range(1, len(numbers) + 1)):
        yield Problem(ProblemCode.GNUM_SEQUENCE, f"{tag}.gnum", f"{','.join(numbers)} ≠ 1..n")
    for n, line in _numbered(record):
        qty, price, total = (_number(line.get(name)) for name in ("qty", "price", "totalPrice"))
        if None not in (qty, price, total) and round_money(qty * price) != total:
            yield Problem(
                ProblemCode.LINE_TOTAL,
                f"{tag}[{n}].totalPrice",
                f"{total} ≠ {qty} × {price} = {round_money(qty * price)}",
            )


def _order_amounts(record: Record) -> Iterator[Problem]:
    head = record.head
    goods, freight, discount, tax, paid = (
        _number(head.get(name))
        for name in ("goodsValue", "freight", "discount", "taxTotal", "acturalPaid")
    )
    totals = [_number(line.get("totalPrice")) for line in record.lines]
    if goods is not None and None not in totals and sum(totals, Decimal(0)) != goods:
        yield Problem(ProblemCode.GOODS_SUM, "goodsValue", f"{goods} ≠ Σ totalPrice {sum(totals)}")
    if None in (goods, freight, discount, tax, paid):
        return
    expected = goods + freight + tax - discount
    if paid != expected:
        yield Problem(
            ProblemCode.PAID_MISMATCH,
            "acturalPaid",
            f"{paid} ≠ {goods} + {freight} + {tax} − {discount} = {expected}",
        )


def _hs_codes(record: Record) -> Iterator[Problem]:
    for n, line in _numbered(record):
        if not HS_CODE.fullmatch(line.get("gcode", "")):
            yield Problem(ProblemCode.HS_CODE, f"InventoryList[{n}].gcode", "10 digits")


def _weights(record: Record) -> Iterator[Problem]:
    names = ("weight",) if record.kind == DocumentKind.WAYBILL else ("grossWeight", "netWeight")
    weights = {name: _number(record.head.get(name)) for name in names}
    for name, weight in weights.items():
        if weight is not None and weight <= 0:
            yield Problem(ProblemCode.WEIGHT, name, f"{weight} kg ≤ 0")
    gross, net = weights.get("grossWeight"), weights.get("netWeight")
    if gross is not None and net is not None and net > gross:
        yield Problem(ProblemCode.WEIGHT, "netWeight", f"{net} kg > grossWeight {gross} kg")


def _pack_no(record: Record) -> Iterator[Problem]:
    if _number(record.head.get("packNo")) != 1:
        yield Problem(ProblemCode.PACK_NO, "packNo", f"{record.head.get('packNo', '')} ≠ 1")


# S1 table 3-31: bonded (1210) needs the account book and the warehouse; direct (9610) the
# transport; NOTES §3.2.
REQUIRED_BY_TRADE_MODE = {
    BONDED: ("emsNo", "areaCode", "areaName"),
    DIRECT: ("trafNo", "voyageNo", "billNo"),
}


def _trade_mode(record: Record) -> Iterator[Problem]:
    mode = record.head.get("tradeMode", "")
    if mode not in REQUIRED_BY_TRADE_MODE:
        yield Problem(ProblemCode.TRADE_MODE, "tradeMode", f"{mode} is neither 1210 nor 9610")
        return
    for name in REQUIRED_BY_TRADE_MODE[mode]:
        if not record.head.get(name):
            yield Problem(ProblemCode.MISSING_FIELD, name, f"required for {mode}")
    if mode == BONDED:
        if record.head.get("country") != "142":
            yield Problem(ProblemCode.BONDED_COUNTRY, "country", "1210 declares 142")
        for n, line in _numbered(record):
            if not line.get("itemRecordNo"):
                field = f"InventoryList[{n}].itemRecordNo"
                yield Problem(ProblemCode.MISSING_FIELD, field, "required for 1210")


RULES: dict[DocumentKind, tuple[Rule, ...]] = {
    DocumentKind.ORDER: (_guid, _negative, _identity, _lines, _order_amounts),
    DocumentKind.PAYMENT: (_guid, _negative, _identity),
    DocumentKind.WAYBILL: (_guid, _negative, _weights, _pack_no),
    DocumentKind.INVENTORY: (
        _guid,
        _negative,
        _identity,
        _lines,
        _hs_codes,
        _weights,
        _pack_no,
        _trade_mode,
    ),
}


def record_problems(record: Record) -> list[Problem]:
    """Return every violation inside one declaration record."""
    return [problem for rule in RULES[record.kind] for problem in rule(record)]


@dataclass(frozen=True)
class Match:
    """One element that must agree between two messages about the same order (NOTES §5)."""

    mine: str  # the element in the first message of the pair
    theirs: str  # the element in the second message
    code: ProblemCode
    numeric: bool = False  # compared as numbers: "100" and "100.00" agree
    personal: bool = False  # the detail then names no values


ORDER_NO = Match("orderNo", "orderNo", ProblemCode.ORDER_NO_MISMATCH)

# The pairs compared, first message first; the problems name the second one's elements.
MATCHES: dict[tuple[DocumentKind, DocumentKind], tuple[Match, ...]] = {
    (DocumentKind.ORDER, DocumentKind.PAYMENT): (
        ORDER_NO,
        Match("ebpCode", "ebpCode", ProblemCode.ENTERPRISE_MISMATCH),
        Match("payCode", "payCode", ProblemCode.PAYMENT_LINK),
        Match("payTransactionId", "payTransactionId", ProblemCode.PAYMENT_LINK),
        # S1 table 3-3: acturalPaid "与支付凭证的支付金额一致".
        Match("acturalPaid", "amountPaid", ProblemCode.PAID_MISMATCH, numeric=True),
        Match("buyerName", "payerName", ProblemCode.PAYER_NOT_BUYER, personal=True),
        Match("buyerIdNumber", "payerIdNumber", ProblemCode.PAYER_NOT_BUYER, personal=True),
    ),
    (DocumentKind.ORDER, DocumentKind.WAYBILL): (
        ORDER_NO,
        Match("consignee", "consignee", ProblemCode.CONSIGNEE_MISMATCH, personal=True),
        Match(
            "consigneeTelephone",
            "consigneeTelephone",
            ProblemCode.CONSIGNEE_MISMATCH,
            personal=True,
        ),
        Match(
            "consigneeAddress", "consigneeAddress", ProblemCode.CONSIGNEE_MISMATCH, personal=True
        ),
        Match("freight", "freight", ProblemCode.FREIGHT_MISMATCH, numeric=True),
    ),
    (DocumentKind.ORDER, DocumentKind.INVENTORY): (
        ORDER_NO,
        Match("ebpCode", "ebpCode", ProblemCode.ENTERPRISE_MISMATCH),
        Match("ebcCode", "ebcCode", ProblemCode.ENTERPRISE_MISMATCH),
        Match("buyerName", "buyerName", ProblemCode.BUYER_MISMATCH, personal=True),
        Match("buyerIdNumber", "buyerIdNumber", ProblemCode.BUYER_MISMATCH, personal=True),
        Match("buyerTelephone", "buyerTelephone", ProblemCode.BUYER_MISMATCH, personal=True),
        Match(
            "consigneeAddress", "consigneeAddress", ProblemCode.CONSIGNEE_MISMATCH, personal=True
        ),
    ),
    (DocumentKind.WAYBILL, DocumentKind.INVENTORY): (
        ORDER_NO,
        Match("logisticsCode", "logisticsCode", ProblemCode.WAYBILL_LINK),
        Match("logisticsNo", "logisticsNo", ProblemCode.WAYBILL_LINK),
        Match("freight", "freight", ProblemCode.FREIGHT_MISMATCH, numeric=True),
        Match("insuredFee", "insuredFee", ProblemCode.FREIGHT_MISMATCH, numeric=True),
    ),
}
PAIRS = tuple(MATCHES)

# Besides the order number, what ties a payment to its order and an inventory to its waybill.
LINKS = {
    (DocumentKind.ORDER, DocumentKind.PAYMENT): ("payCode", "payTransactionId"),
    (DocumentKind.WAYBILL, DocumentKind.INVENTORY): ("logisticsCode", "logisticsNo"),
}


def related(first: Record, second: Record) -> bool:
    """Tell whether two records of a compared pair speak about the same order."""
    if first.head.get("orderNo") == second.head.get("orderNo"):
        return True
    keys = LINKS.get((first.kind, second.kind), ())
    values = [(first.head.get(key), second.head.get(key)) for key in keys]
    return bool(values) and all(mine and mine == theirs for mine, theirs in values)


def cross_problems(first: Record, second: Record) -> list[Problem]:
    """Return where two messages about one order disagree (first, second as in PAIRS)."""
    problems = [
        problem
        for match in MATCHES[(first.kind, second.kind)]
        for problem in _disagreement(match, first.head, second.head)
    ]
    if (first.kind, second.kind) == (DocumentKind.ORDER, DocumentKind.INVENTORY):
        problems += _inventory_lines(first, second)
    return problems


def _disagreement(match: Match, mine: dict[str, str], theirs: dict[str, str]) -> Iterator[Problem]:
    a, b = mine.get(match.mine, ""), theirs.get(match.theirs, "")
    if not a or not b:
        return  # an optional element left out, or a required one the schema reports missing
    if match.numeric and _number(a) is not None and _number(a) == _number(b):
        return
    if a == b:
        return
    detail = f"differs from {match.mine}" if match.personal else f"{b} ≠ {match.mine} {a}"
    yield Problem(match.code, match.theirs, detail)


# S1 table 3-31: inventory gnum "与关联的电子订单表体序号一一对应", gname "与电子订单一致".
LINE_MATCHES = (
    Match("itemName", "gname", ProblemCode.LINE_MISMATCH),
    Match("qty", "qty", ProblemCode.LINE_MISMATCH, numeric=True),
    Match("price", "price", ProblemCode.LINE_MISMATCH, numeric=True),
    Match("totalPrice", "totalPrice", ProblemCode.LINE_MISMATCH, numeric=True),
)


def _inventory_lines(order: Record, inventory: Record) -> Iterator[Problem]:
    ordered = {_number(line.get("gnum")): line for line in order.lines}
    declared = [_number(line.get("gnum")) for line in inventory.lines]
    if declared != list(ordered):
        numbers = ",".join(line.get("gnum", "") for line in inventory.lines)
        yield Problem(ProblemCode.LINE_MISMATCH, "InventoryList.gnum", f"{numbers} ≠ the order's")
    for n, line in enumerate(inventory.lines, start=1):
        counterpart = ordered.get(_number(line.get("gnum")))
        for match in LINE_MATCHES if counterpart else ():
            for problem in _disagreement(match, counterpart, line):
                yield Problem(problem.code, f"InventoryList[{n}].{problem.field}", problem.detail)
    totals = [_number(line.get("totalPrice")) for line in inventory.lines]
    goods = _number(order.head.get("goodsValue"))
    if goods is not None and None not in totals and sum(totals, Decimal(0)) != goods:
        detail = f"Σ {sum(totals, Decimal(0))} ≠ order goodsValue {goods}"
        yield Problem(ProblemCode.GOODS_SUM, "InventoryList.totalPrice", detail)


def check_declaration(
    declaration: OrderDeclaration,
    head: MessageHead,
    previous_app_time: datetime | None = None,
) -> tuple[Problem, ...]:
    """Return every violation of the four messages this declaration makes, at once."""
    declared_on = head.app_time.astimezone(CHINA_TIME).date()
    records = {
        DocumentKind.ORDER: order_record(declaration, head),
        DocumentKind.PAYMENT: payment_record(declaration, head),
        DocumentKind.WAYBILL: waybill_record(declaration, head),
        DocumentKind.INVENTORY: inventory_record(declaration, head, declared_on),
    }
    problems = [problem for record in records.values() for problem in record_problems(record)]
    for first, second in PAIRS:
        problems += cross_problems(records[first], records[second])
    if previous_app_time is not None:
        # -301014 / -401012 / -505016: a change not newer than the stored one is ignored.
        written, previous = (
            records[DocumentKind.ORDER].head["appTime"],
            china_timestamp(previous_app_time),
        )
        if written <= previous:
            detail = f"{written} ≤ previous {previous}"
            problems.append(Problem(ProblemCode.APP_TIME_NOT_LATER, "appTime", detail))
    return tuple(dict.fromkeys(problems))  # one message's rule can hold for another: say it once
