"""An amount in Chinese capitals (人民币大写), as printed in an invoice's 价税合计（大写）.

The rules are those of the People's Bank's 支付结算办法 (附一, 正确填写票据和结算凭证的基本规定):
- a group of zeros inside the integer is written as one 零 (1005 -> 壹仟零伍), also across the
  万 and 亿 groups (100010000 -> 壹亿零壹万, 107000 -> 壹拾万零柒仟: the rules allow the 零 after
  a zero 万位 to be left out; we write it as for any inner zero); trailing zeros are not written
  (100000 -> 壹拾万);
- 元 is followed by 整 when there are neither 角 nor 分; an amount with 分 never ends with 整;
  a 角 is written without 整 (the rules allow both);
- a zero 角 between 元 and 分 is written 零 (1005.07 -> 壹仟零伍元零柒分); a zero 元位 before a
  角 is not (1680.32 -> 壹仟陆佰捌拾元叁角贰分, the rules allow both); below one yuan the amount
  starts with its first non-zero figure (0.07 -> 柒分);
- a leading ten is written 壹拾 (financial writing: 10 -> 壹拾元整), never a bare 拾.
A negative amount (a red invoice) is prefixed 负.
"""

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four figures
LIMIT = Decimal(10) ** 16  # yuan: far beyond any invoice; 亿 appears once below it


def amount_in_capitals(amount: Decimal) -> str:
    """Write an amount of yuan with at most two decimals in Chinese capitals."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"not a finite Decimal amount: {amount!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"an amount in capitals has at most two decimals: {amount}")
    if abs(amount) >= LIMIT:
        raise ValueError(f"an amount in capitals stays below 10^16 yuan: {amount}")
    fen_total = int(abs(amount) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    words = _integer(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    if not cents:
        words = (words or "零元") + "整"
    return "负" + words if amount < 0 and fen_total else words


def _integer(number: int) -> str:
    figures = str(number)
    words, zero_pending = "", False
    for index, figure in enumerate(figures):
        position = len(figures) - 1 - index
        if figure == "0":
            zero_pending = True
        else:
            words += ("零" if zero_pending else "") + DIGITS[int(figure)] + PLACES[position % 4]
            zero_pending = False
        words += _group_unit(number, position)
    return words


def _group_unit(number: int, position: int) -> str:
    # 万 closes a non-zero group of four at positions 4 and 12; 亿 closes the figures above
    # position 8 (never zero once there), so 10001 亿 reads 壹万零壹亿 and 10^12 壹万亿.
    if position % 8 == 4 and (number // 10**position) % 10**4:
        return "万"
    return "亿" if position == 8 else ""
