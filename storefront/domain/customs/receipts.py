"""Customs receipts: which document a receipt answers and what its return status means.

NOTES §4 "Correlating receipts": the receipt guid is made by the e-port, so a receipt is
matched to the document it answers by a business key built from the receipt's own fields.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class DocumentKind(StrEnum):
    """The declarations the shop sends; the value is the message number."""

    ORDER = "311"  # CEB311Message, receipt CEB312 OrderReturn
    PAYMENT = "411"  # CEB411Message, receipt CEB412 PaymentReturn
    WAYBILL = "511"  # CEB511Message, receipt CEB512 LogisticsReturn
    INVENTORY = "621"  # CEB621Message, receipt CEB622 InventoryReturn


# NOTES §4: 312 by (ebpCode, orderNo), 412 by (payCode, payTransactionId),
# 512 by (logisticsCode, logisticsNo), 622 by copNo.
KEY_FIELDS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.ORDER: ("ebp_code", "order_no"),
    DocumentKind.PAYMENT: ("pay_code", "pay_transaction_id"),
    DocumentKind.WAYBILL: ("logistics_code", "logistics_no"),
    DocumentKind.INVENTORY: ("cop_no",),
}


def business_key(kind: DocumentKind, **fields: str) -> str:
    """Return the key that ties a document and its receipts together (NOTES §4)."""
    names = KEY_FIELDS[DocumentKind(kind)]
    unexpected = sorted(set(fields) - set(names))
    if unexpected:
        raise TypeError(f"a {kind} key is made of {', '.join(names)}, not {', '.join(unexpected)}")
    values = [(fields.get(name) or "").strip() for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise ValueError(f"a {kind} key needs {', '.join(missing)}")
    return "|".join(values)


@dataclass(frozen=True)
class Receipt:
    """One *Return element of a customs receipt, keyed to the document it answers."""

    kind: DocumentKind
    key: str  # business_key(kind, ...) from the receipt's own fields
    return_status: str  # as sent: "2", "120", "100", "-621018", ...
    return_time: str  # 17 digits YYYYMMDDhhmmssSSS
    info: str  # returnInfo
    pre_no: str = ""  # 622 only
    invt_no: str = ""  # 622 only


class Outcome(StrEnum):
    """What a return status means for the document's customs state (NOTES §4 mapping)."""

    PROGRESS = "progress"
    ACCEPTED = "accepted"
    CLEARED = "cleared"
    RELEASED = "released"
    CLOSED = "closed"
    REJECTED = "rejected"
    RESEND = "resend"


# NOTES §4 (S1 tables 3-7 ... 3-35): 1/2/3 are the e-port's own steps; 4 means the e-port
# could not forward the message, so it must be sent again.
COMMON = {1: Outcome.PROGRESS, 2: Outcome.PROGRESS, 3: Outcome.PROGRESS, 4: Outcome.RESEND}
# 311/411/511: 120 (海关入库) is the final receipt; 399 (审结) appears in the XSD text only
# and implies the entry.
THREE_DOCUMENTS = {**COMMON, 120: Outcome.ACCEPTED, 399: Outcome.ACCEPTED}
# 621: 120/300/500 are steps of the review; 399 审结, 800 放行 (the warehouse may ship), 899 结关.
INVENTORY = {
    **COMMON,
    120: Outcome.PROGRESS,
    300: Outcome.PROGRESS,
    500: Outcome.PROGRESS,
    399: Outcome.CLEARED,
    800: Outcome.RELEASED,
    899: Outcome.CLOSED,
}


def _code(return_status: str) -> int:
    text = return_status.strip()
    if not text.lstrip("-").isdigit():
        raise ValueError(f"a return status is a whole number, not {return_status!r}")
    return int(text)


def _is_rejection(code: int) -> bool:
    # NOTES §4: 100 退单, 700 退运, 501-599 扣留, negative = processing exception (table 7-2).
    return code < 0 or code in (100, 700) or 501 <= code <= 599


def outcome(kind: DocumentKind, return_status: str) -> Outcome:
    """Return what `return_status` means for a document of `kind` (NOTES §4)."""
    code = _code(return_status)
    if _is_rejection(code):
        return Outcome.REJECTED
    table = INVENTORY if DocumentKind(kind) is DocumentKind.INVENTORY else THREE_DOCUMENTS
    # A status the spec does not list for this kind moves nothing: the document stays pending.
    return table.get(code, Outcome.PROGRESS)


# Receipts stamped in the same millisecond are applied in the order customs works through
# them: e-port steps, then review, then the verdict, then release and closing.
RANK = {1: 0, 2: 1, 3: 2, 4: 3, 120: 4, 300: 5, 500: 6, 399: 7, 800: 9, 899: 10}
VERDICT_RANK = 8


def _rank(return_status: str) -> int:
    code = _code(return_status)
    return VERDICT_RANK if _is_rejection(code) else RANK.get(code, VERDICT_RANK)


def in_processing_order(receipts: Iterable[Receipt]) -> list[Receipt]:
    """Sort receipts by returnTime, then by lifecycle step; equal ones keep their order."""
    return sorted(receipts, key=lambda receipt: (receipt.return_time, _rank(receipt.return_status)))


class TaxBillStatus(StrEnum):
    """The electronic tax bill's status (CEB816 TaxHeadRd/status; spec §3.17 table 3-59)."""

    GENERATED = "1"  # 已生成
    SUMMARISED = "2"  # 已汇总: taken into the periodic (汇总征税) payment
    VOID = "3"  # 作废: deducts nothing


@dataclass(frozen=True)
class TaxBillLine:
    """One goods line of a tax bill (CEB816 TaxListRd)."""

    gnum: int
    gcode: str  # 10-digit HS code
    tax_price: Decimal  # 完税总价格, the dutiable price of the line
    customs_tax: Decimal
    value_added_tax: Decimal
    consumption_tax: Decimal


@dataclass(frozen=True)
class TaxBill:
    """Customs' electronic tax bill for an inventory (CEB816 TaxHeadRd): the tax deducted."""

    invt_no: str  # the customs inventory number of the CEB622 receipts
    tax_no: str  # 电子税单编号: a later bill of the same number replaces the earlier one
    customs_tax: Decimal
    value_added_tax: Decimal
    consumption_tax: Decimal
    status: TaxBillStatus
    return_time: str  # 17 digits YYYYMMDDhhmmssSSS, China time
    ent_duty_no: str = ""  # 缴款书编号
    note: str = ""
    lines: tuple[TaxBillLine, ...] = ()

    @property
    def total(self) -> Decimal:
        """Return the tax the bill deducts: tariff + VAT + consumption tax."""
        return self.customs_tax + self.value_added_tax + self.consumption_tax


def _current_bills(bills: Iterable[TaxBill]) -> dict[str, list[TaxBill]]:
    by_number: dict[str, list[TaxBill]] = {}
    for bill in sorted(bills, key=lambda bill: bill.return_time):
        by_number.setdefault(bill.tax_no, []).append(bill)
    return by_number


def tax_deducted(bills: Iterable[TaxBill]) -> Decimal:
    """Return the tax actually deducted: per tax number its latest bill, nothing if void.

    NOTES §3.3 (CEB816), spec §3.17: a bill carries taxNo, returnTime and a status; a later
    bill of the same taxNo (a new returnTime) replaces the earlier one, e.g. when tax is
    given back to the buyer, and status 3 (作废) voids it.
    """
    return sum(
        (
            Decimal(0) if history[-1].status is TaxBillStatus.VOID else history[-1].total
            for history in _current_bills(bills).values()
        ),
        Decimal(0),
    )


def tax_refunded(bills: Iterable[TaxBill]) -> Decimal:
    """Return the tax given back to the buyer: per tax number, first bill minus the latest."""
    refunded = Decimal(0)
    for history in _current_bills(bills).values():
        first = next((bill for bill in history if bill.status is not TaxBillStatus.VOID), None)
        if first is None:
            continue
        now = Decimal(0) if history[-1].status is TaxBillStatus.VOID else history[-1].total
        refunded += max(first.total - now, Decimal(0))
    return refunded
