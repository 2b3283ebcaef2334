"""Render the direct-mail declaration sheet (SPEC §6) as a one-page A4 PDF."""

from decimal import Decimal
from functools import cache

from jinja2 import Environment
from weasyprint import HTML

from storefront.documents.templating import document_environment
from storefront.domain.customs.postal import PostalDeclarationSheet
from storefront.domain.money import format_money

TEMPLATE = "postal_declaration.html"


def yuan(amount: Decimal) -> str:
    """Format an amount as yuan with two decimals, e.g. "¥561.00"."""
    return f"¥{format_money(amount)}"


def percent(rate: Decimal) -> str:
    """Format a rate in percent without trailing zeros, e.g. 13.00 -> "13%"."""
    return f"{rate.normalize():f}%"


@cache
def _environment() -> Environment:
    return document_environment({"yuan": yuan, "percent": percent})


def render_postal_declaration_html(sheet: PostalDeclarationSheet) -> str:
    """Render the declaration sheet's HTML."""
    return _environment().get_template(TEMPLATE).render(sheet=sheet)


def render_postal_declaration(sheet: PostalDeclarationSheet) -> bytes:
    """Render the declaration sheet as PDF bytes, printed with the parcel's waybill."""
    return HTML(string=render_postal_declaration_html(sheet)).write_pdf()
