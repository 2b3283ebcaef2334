"""`flask tax quote`: check any figure of the tax engine from the command line."""

import json
import re
import sys
from decimal import Decimal, InvalidOperation

import click
from flask.cli import AppGroup

from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, quote_order, to_json_dict
from storefront.domain.money import parse_money
from storefront.domain.tax import InvalidRates, TaxRates, TaxTag

tax_cli = AppGroup("tax", help="Cross-border tax: quote an order as the checkout would.")
LINE = re.compile(r"^(?P<price>[^x×]+)(?:[x×](?P<quantity>\d+))?$")


class BadInput(Exception):
    """Input that makes the command exit with status 2 and one line on stderr."""


def _decimal(name: str, text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise BadInput(f"--{name}: not a number: {text!r}") from error


def _money(name: str, text: str) -> Decimal:
    try:
        return parse_money(text)
    except ValueError as error:
        raise BadInput(f"--{name}: {error}") from error


def _line(text: str) -> QuoteLine:
    match = LINE.match(text.strip())
    if not match:
        raise BadInput(f"--line: expected PRICE or PRICExQTY, got {text!r}")
    quantity = int(match["quantity"] or 1)
    if quantity < 1:
        raise BadInput(f"--line: the quantity is at least 1 in {text!r}")
    return QuoteLine(price=_money("line", match["price"]), quantity=quantity)


@tax_cli.command("quote", with_appcontext=False)
@click.option(
    "--tag",
    help="cross_border_retail, domestic_dropship, overseas_consolidation or direct_mail.",
)
@click.option("--tariff", help="Tariff rate in percent.")
@click.option("--ct", help="Consumption-tax rate in percent (below 100).")
@click.option("--vat", help="VAT rate in percent.")
@click.option("--postal", help="Postal articles tax rate in percent.")
@click.option("--freight", default="0", show_default=True, help="Freight of the order (yuan).")
@click.option(
    "--line",
    "lines",
    multiple=True,
    help="A line as PRICE or PRICExQTY (yuan; quantity defaults to 1). Repeatable.",
)
@click.option("--policy", default="seed", show_default=True, help="Limit policy: seed or cn-2019.")
@click.option(
    "--annual-used", default="0", show_default=True, help="The person's annual total so far (yuan)."
)
@click.option(
    "--day-used",
    default="0",
    show_default=True,
    help="The person's direct-mail total today so far (yuan).",
)
def quote_command(tag, tariff, ct, vat, postal, freight, lines, policy, annual_used, day_used):
    """Print one order's tax, totals and limit violations as JSON."""
    try:
        _require(tag=tag, tariff=tariff, ct=ct, vat=vat, postal=postal, line=lines)
        quote = quote_order(
            tag=_tag(tag),
            rates=TaxRates.from_percent(
                tariff=_decimal("tariff", tariff),
                consumption=_decimal("ct", ct),
                vat=_decimal("vat", vat),
                postal=_decimal("postal", postal),
            ),
            lines=[_line(text) for text in lines],
            freight=_money("freight", freight),
            policy=_policy(policy),
            annual_used=_money("annual-used", annual_used),
            day_used=_money("day-used", day_used),
        )
    except (BadInput, InvalidRates) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(json.dumps(to_json_dict(quote), ensure_ascii=False))


def _require(**options) -> None:
    missing = [f"--{name}" for name, value in options.items() if not value]
    if missing:
        raise BadInput(f"missing option(s): {', '.join(missing)}")


def _tag(text: str) -> TaxTag:
    try:
        return TaxTag(text)
    except ValueError as error:
        known = ", ".join(tag.value for tag in TaxTag)
        raise BadInput(f"--tag: unknown tag {text!r} (one of {known})") from error


def _policy(code: str):
    if code not in BUILTIN_POLICIES:
        raise BadInput(f"--policy: unknown policy {code!r} (one of {', '.join(BUILTIN_POLICIES)})")
    return BUILTIN_POLICIES[code]
