"""`flask invoice draft`: an order's blue invoice, or a blue invoice's red one, as JSON."""

import json
import sys
from decimal import Decimal, InvalidOperation

import click
from flask.cli import AppGroup

from storefront.domain.invoices import Draft, InvalidDraft, InvoiceLine, ItemIn, draft_blue
from storefront.domain.invoices import draft_red as reverse
from storefront.domain.money import format_money, format_unit_price, parse_money

invoice_cli = AppGroup("invoice", help="Electronic invoices: draft one as issuance would.")
ORDER_KEYS = {"tax_rate", "lines"}
ITEM_KEYS = {"name", "quantity", "unit_price", "discount", "short_name"}
INVOICE_KEYS = {"kind", "tax_rate", "lines", "total_amount", "total_tax", "total"}
LINE_KEYS = {"kind", "name", "quantity", "unit_price", "amount", "tax"}


class BadInput(Exception):
    """Input that makes the command exit with status 2 and one line on stderr."""


@invoice_cli.command("draft", with_appcontext=False)
@click.option(
    "--red", is_flag=True, help="Read a blue invoice (this command's output) and reverse it."
)
def draft_command(red: bool) -> None:
    """Read an order as JSON on stdin and print its blue invoice as JSON (--red: read a blue
    invoice and print the red one reversing it). A JSON array in gives an array out."""
    convert = _red if red else _blue
    try:
        document = _read(sys.stdin.buffer.read())
        if isinstance(document, list):
            result = [_at(f"[{index}]: ", convert, part) for index, part in enumerate(document)]
        else:
            result = _at("", convert, document)
    except BadInput as error:
        _refuse(str(error))
    click.echo(json.dumps(result, ensure_ascii=False))


def _refuse(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _read(data: bytes):
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal, parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise BadInput("stdin is not UTF-8") from error
    except ValueError as error:  # not JSON, or an integer of more digits than Python reads
        raise BadInput(f"stdin is not JSON: {error}") from error
    except RecursionError as error:
        raise BadInput("stdin nests too deeply") from error


def _no_constant(name: str):
    raise BadInput(f"not a number: {name}")


def _at(where: str, convert, document):
    try:
        return convert(document)
    except BadInput as error:
        raise BadInput(f"{where}{error}") from error
    except ArithmeticError as error:  # a number beyond what Decimal's context holds
        raise BadInput(f"{where}a number is out of range") from error


def _blue(order) -> dict:
    rate = _rate(_object(order, ORDER_KEYS, "an order"))
    items = [_item(index, line, rate) for index, line in enumerate(_lines(order))]
    return _as_json(_draft(draft_blue, items), rate)


def _red(invoice) -> dict:
    rate = _rate(_object(invoice, INVOICE_KEYS, "a blue invoice"))
    lines = tuple(_invoice_line(index, line, rate) for index, line in enumerate(_lines(invoice)))
    blue = Draft(
        kind=invoice.get("kind"),
        lines=lines,
        total_amount=_number("total_amount", invoice.get("total_amount")),
        total_tax=_number("total_tax", invoice.get("total_tax")),
        total=_number("total", invoice.get("total")),
    )
    return _as_json(_draft(reverse, blue), rate)


def _draft(make, argument) -> Draft:
    try:
        return make(argument)
    except InvalidDraft as error:
        raise BadInput(f"{error.code}: {error}") from error


def _object(value, keys: set[str], what: str) -> dict:
    if not isinstance(value, dict):
        raise BadInput(f"expected {what} (a JSON object)")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise BadInput(f"unknown key(s) in {what}: {', '.join(unknown)}")
    return value


def _lines(document: dict) -> list:
    lines = document.get("lines")
    if not isinstance(lines, list) or not lines:
        raise BadInput("lines: a non-empty JSON array")
    return lines


def _item(index: int, line, rate: Decimal) -> ItemIn:
    where = f"lines[{index}]"
    line = _object(line, ITEM_KEYS, where)
    return ItemIn(
        name=_text(f"{where}.name", line.get("name")),
        quantity=_number(f"{where}.quantity", line.get("quantity")),
        unit_price=_price(f"{where}.unit_price", line.get("unit_price")),
        tax_rate=rate,
        discount=_price(f"{where}.discount", line.get("discount", "0")),
        short_name=_text(f"{where}.short_name", line.get("short_name", ""), empty=True),
    )


def _invoice_line(index: int, line, rate: Decimal) -> InvoiceLine:
    where = f"lines[{index}]"
    line = _object(line, LINE_KEYS, where)
    quantity, price = line.get("quantity"), line.get("unit_price")
    return InvoiceLine(
        kind=_text(f"{where}.kind", line.get("kind")),
        name=_text(f"{where}.name", line.get("name")),
        quantity=None if quantity is None else _number(f"{where}.quantity", quantity),
        unit_price=None if price is None else _number(f"{where}.unit_price", price),
        amount=_number(f"{where}.amount", line.get("amount")),
        tax=_number(f"{where}.tax", line.get("tax")),
        tax_rate=rate,
    )


def _text(where: str, value, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        raise BadInput(f"{where}: a {'' if empty else 'non-empty '}string")
    return value


def _number(where: str, value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise BadInput(f"{where}: a number or a string of one")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as error:
        raise BadInput(f"{where}: not a number: {value!r}") from error
    if not number.is_finite():
        raise BadInput(f"{where}: not a finite number: {value!r}")
    return number


def _price(where: str, value) -> Decimal:
    try:
        return parse_money(str(_number(where, value)))
    except ValueError as error:
        raise BadInput(f"{where}: {error}") from error


def _rate(document: dict) -> Decimal:
    return _number("tax_rate", document.get("tax_rate"))


def _as_json(draft: Draft, rate: Decimal) -> dict:
    return {
        "kind": draft.kind,
        "tax_rate": _plain(rate),
        "lines": [_line_json(line) for line in draft.lines],
        "total_amount": format_money(draft.total_amount),
        "total_tax": format_money(draft.total_tax),
        "total": format_money(draft.total),
    }


def _line_json(line: InvoiceLine) -> dict:
    price = None if line.unit_price is None else format_unit_price(line.unit_price)
    return {
        "kind": line.kind,
        "name": line.name,
        "quantity": None if line.quantity is None else _plain(line.quantity),
        "unit_price": price,
        "amount": format_money(line.amount),
        "tax": format_money(line.tax),
    }


def _plain(number: Decimal) -> str:
    """Write a quantity or rate without exponent or trailing zeros: 2, -2, 1.5, 13."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
