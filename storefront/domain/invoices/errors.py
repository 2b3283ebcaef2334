"""What can be wrong with an invoice draft or its input: stable codes and one exception."""

from enum import StrEnum


class Problem(StrEnum):
    """A rule of seed 003 注意事项 2-4 (SPEC §7) that a draft or its input breaks."""

    NO_LINES = "no_lines"
    KIND = "kind"  # a draft is "blue" or "red", a line "goods" or "discount"
    BAD_ITEM = "bad_item"  # quantity ≤ 0, a negative price, a rate outside 0-100, no name
    BAD_DISCOUNT = "bad_discount"  # negative, more than the line, or not whole fen
    NOT_BLUE = "not_blue"  # only a blue invoice can be reversed
    PRECISION = "precision"  # amounts and taxes 2 decimals; unit prices ≤ 15 decimals, 21 chars
    LINE_PRICE = "line_price"  # |unit price × quantity − amount| > 0.01 (注意事项 3)
    LINE_TAX = "line_tax"  # |amount × rate − tax| > 0.06 (注意事项 3)
    INVOICE_TAX = "invoice_tax"  # |Σ amount × rate − Σ tax| > 1.27 (注意事项 3)
    TOTAL_AMOUNT = "total_amount"  # 合计金额 ≠ Σ line amounts (注意事项 4.3)
    TOTAL_TAX = "total_tax"  # 合计税额 ≠ Σ line taxes (注意事项 4.4)
    TOTAL = "total"  # 价税合计 ≠ 合计金额 + 合计税额 (注意事项 4.2)
    TOTAL_SIGN = "total_sign"  # blue totals > 0, red totals < 0 (注意事项 4.1)
    LINE_SIGN = "line_sign"  # red goods: quantity < 0, unit price ≥ 0 (注意事项 1); see checks
    DISCOUNT_IN_RED = "discount_in_red"  # a red invoice folds its discounts back (注意事项 2)
    DISCOUNT_NAME = "discount_name"  # "折扣(X.XXX%)" or "折扣行数Y(X.XXX%)"
    DISCOUNT_PLACE = "discount_place"  # right after the Y goods lines it discounts
    DISCOUNT_RATE = "discount_rate"  # the tax rate of the lines it discounts
    DISCOUNT_PERCENT = "discount_percent"  # X.XXX = discount ÷ amount discounted, tax included
    DISCOUNT_EXCEEDS = "discount_exceeds"  # folding it back leaves a negative amount or tax


class InvalidDraft(ValueError):
    """Input no invoice can be drafted from; `code` says which rule, the message where."""

    def __init__(self, code: Problem, message: str) -> None:
        super().__init__(message)
        self.code = code
