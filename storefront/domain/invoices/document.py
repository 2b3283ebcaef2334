"""An issued fully digitalised e-invoice (数电票) as printed and exported (SPEC §7).

The document holds what the tax bureau's layout prints: the 20-digit number (no invoice code),
the issue date, the seller and buyer blocks, the lines (`InvoiceLine`, discount lines included),
the totals, the remark and the drawer; a red invoice also names the blue invoice it reverses and
its red-letter confirmation form (红字发票信息确认单) with the reason.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from storefront.domain.invoices.capitals import amount_in_capitals
from storefront.domain.invoices.lines import Draft, InvoiceLine

KINDS = ("blue", "red")
# SPEC §7: the reasons a red-letter confirmation form may give.
REASONS = {"01": "开票有误", "02": "销货退回", "03": "服务中止", "04": "销售折让"}
NUMBER_LENGTH = 20  # 数电票: the number the tax bureau assigns has 20 digits
TITLES = {False: "电子发票（普通发票）", True: "电子发票（增值税专用发票）"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Party:
    """The seller or the buyer as printed: tax_id is the unified social credit code or "".

    A personal title (个人抬头) has no tax id; an enterprise buyer and the seller have one.
    """

    name: str
    tax_id: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RedConfirmation:
    """The red-letter confirmation form a red invoice is issued against."""

    number: str
    reason: str  # "01".."04", see REASONS

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown red-letter reason {self.reason!r}: one of {list(REASONS)}")
        if not self.number:
            raise ValueError("a red-letter confirmation form has a number")

    @property
    def reason_name(self) -> str:
        """Name the reason in Chinese, e.g. "02" -> "销货退回"."""
        return REASONS[self.reason]


@dataclass(frozen=True)
class InvoiceDocument:
    """One issued invoice, blue or red (red: negative totals, blue_number and confirmation)."""

    kind: str
    number: str
    issued_on: date
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    total_amount: Decimal
    total_tax: Decimal
    total: Decimal
    remark: str = ""
    drawer: str = ""
    special: bool = False  # 增值税专用发票; otherwise 普通发票
    blue_number: str = ""
    confirmation: RedConfirmation | None = None

    def __post_init__(self) -> None:
        problems = document_problems(self)
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def title(self) -> str:
        """Return the printed title, e.g. "电子发票（普通发票）"."""
        return TITLES[self.special]

    @property
    def total_in_capitals(self) -> str:
        """Return 价税合计（大写）."""
        return amount_in_capitals(self.total)


def from_draft(
    draft: Draft,
    *,
    number: str,
    issued_on: date,
    seller: Party,
    buyer: Party,
    drawer: str = "",
    remark: str = "",
    special: bool = False,
    blue_number: str = "",
    confirmation: RedConfirmation | None = None,
) -> InvoiceDocument:
    """Make the issued document of a draft; a red one's remark starts with remark_for_red."""
    if draft.kind == "red" and confirmation is not None:
        red_remark = remark_for_red(blue_number, confirmation.number)
        remark = f"{red_remark} {remark}" if remark else red_remark
    return InvoiceDocument(
        kind=draft.kind,
        number=number,
        issued_on=issued_on,
        seller=seller,
        buyer=buyer,
        lines=draft.lines,
        total_amount=draft.total_amount,
        total_tax=draft.total_tax,
        total=draft.total,
        remark=remark,
        drawer=drawer,
        special=special,
        blue_number=blue_number,
        confirmation=confirmation,
    )


def document_problems(doc: InvoiceDocument) -> tuple[str, ...]:
    """List every way the document cannot be an issued invoice (empty when it can)."""
    problems = []
    if doc.kind not in KINDS:
        problems.append(f"kind is blue or red, not {doc.kind!r}")
    if not _is_number(doc.number):
        problems.append(f"the invoice number has {NUMBER_LENGTH} digits: {doc.number!r}")
    if not doc.seller.tax_id:
        problems.append("the seller has a tax id")
    if not doc.lines:
        problems.append("an invoice has lines")
    if doc.total != doc.total_amount + doc.total_tax:
        problems.append("total = total amount + total tax")
    if any(value != value.quantize(CENT) for value in (doc.total_amount, doc.total_tax)):
        problems.append("totals have two decimals")
    # SPEC §7: totals equal the sum of the lines; blue totals > 0, red totals < 0.
    if doc.total_amount != sum((line.amount for line in doc.lines), Decimal("0.00")):
        problems.append("the total amount is the sum of the lines' amounts")
    if doc.total_tax != sum((line.tax for line in doc.lines), Decimal("0.00")):
        problems.append("the total tax is the sum of the lines' taxes")
    if (doc.kind == "blue" and doc.total <= 0) or (doc.kind == "red" and doc.total >= 0):
        problems.append(f"a {doc.kind} invoice's total has its kind's sign: {doc.total}")
    problems += _red_problems(doc)
    return tuple(problems)


def _red_problems(doc: InvoiceDocument) -> list[str]:
    is_red = doc.kind == "red"
    if not is_red:
        return (
            ["only a red invoice names a blue one"] if doc.blue_number or doc.confirmation else []
        )
    problems = []
    if not _is_number(doc.blue_number):
        problems.append(f"a red invoice names the blue one's 20-digit number: {doc.blue_number!r}")
    if doc.confirmation is None:
        problems.append("a red invoice has a red-letter confirmation form")
    elif remark_for_red(doc.blue_number, doc.confirmation.number) not in doc.remark:
        # SPEC §7: the red invoice's remark names the blue invoice's number and the form's.
        problems.append("a red invoice's remark names the blue invoice and the form")
    return problems


def _is_number(text: str) -> bool:
    return len(text) == NUMBER_LENGTH and text.isascii() and text.isdigit()


def remark_for_red(blue_number: str, form_number: str) -> str:
    """Write the remark a red invoice carries: the blue invoice's number and the form's."""
    return f"被红冲蓝字数电发票号码：{blue_number} 红字发票信息确认单编号：{form_number}"


def qr_payload(doc: InvoiceDocument) -> str:
    """Return the QR code's text: "01,32,,<number>,<total>,<YYYYMMDD>,,<check>".

    The check value is OURS, not the tax bureau's (its algorithm is not public): the last six
    characters, uppercase hex, of the SHA-256 of the payload's other fields as printed
    ("01,32,,<number>,<total>,<YYYYMMDD>,,"). It lets a reader of our QR code detect a misread
    or edited field; a real provider's PDF carries the bureau's own value.
    """
    fields = f"01,32,,{doc.number},{doc.total:.2f},{doc.issued_on:%Y%m%d},,"
    check = hashlib.sha256(fields.encode("utf-8")).hexdigest()[-6:].upper()
    return fields + check
