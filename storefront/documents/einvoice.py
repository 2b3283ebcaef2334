"""An issued e-invoice (数电票, SPEC §7) as a PDF in the tax bureau's layout and as XML.

The PDF prints what the bureau's layout prints (title, 20-digit number, date, QR code, buyer and
seller, lines, totals in figures and in capitals, remark, drawer) on an A5 landscape page for up
to eight lines; longer invoices continue with the lines' header repeated. The XML is our own
structured export (root EInvoice, namespace XML_NAMESPACE), read back by `read_invoice_xml`.
"""

from datetime import date
from decimal import Decimal
from functools import cache

import segno
from jinja2 import Environment
from lxml import etree
from weasyprint import HTML

from storefront.documents.templating import document_environment
from storefront.domain.invoices.document import (
    InvoiceDocument,
    Party,
    RedConfirmation,
    qr_payload,
)
from storefront.domain.invoices.lines import InvoiceLine

TEMPLATE = "einvoice.html"
XML_NAMESPACE = "urn:kuajing:einvoice:1"
NS = {"e": XML_NAMESPACE}
TYPES = {False: "normal", True: "special"}  # 普通发票, 增值税专用发票
PARTY_FIELDS = (("Name", "name"), ("TaxId", "tax_id"), ("Address", "address"), ("Phone", "phone"))
# (element, InvoiceLine field, is a Decimal); absent optional values are left out of the XML.
LINE_FIELDS = (
    ("Name", "name", False),
    ("TaxCode", "tax_code", False),
    ("Spec", "spec", False),
    ("Unit", "unit", False),
    ("Quantity", "quantity", True),
    ("UnitPrice", "unit_price", True),
    ("Amount", "amount", True),
    ("TaxRate", "tax_rate", True),
    ("Tax", "tax", True),
)


def money(amount: Decimal) -> str:
    """Format an amount as printed on the invoice: two decimals, minus sign on red."""
    return f"{amount:.2f}"


def quantity(value: Decimal | None) -> str:
    """Format a quantity without trailing zeros ("2", "-1.5"); a discount line's None as ""."""
    return "" if value is None else f"{value.normalize():f}"


def unit_price(value: Decimal | None) -> str:
    """Format a tax-excluded unit price: at least two decimals, at most its own (≤ 15)."""
    if value is None:
        return ""
    trimmed = f"{value.normalize():f}"
    decimals = len(trimmed.partition(".")[2])
    return f"{value:.{max(decimals, 2)}f}"


def percent(rate: Decimal) -> str:
    """Format a tax rate in percent without trailing zeros, e.g. 13.00 -> "13%"."""
    return f"{rate.normalize():f}%"


def qr_data_uri(doc: InvoiceDocument) -> str:
    """Return the invoice's QR code (its qr_payload) as a PNG data URI, one pixel a module."""
    # A quiet zone is kept by the template's padding; error level M as the bureau's codes.
    return segno.make(qr_payload(doc), error="m", micro=False).png_data_uri(scale=1, border=0)


@cache
def _environment() -> Environment:
    filters = {"money": money, "quantity": quantity, "unit_price": unit_price, "percent": percent}
    return document_environment(filters, {"qr_data_uri": qr_data_uri})


def render_invoice_html(doc: InvoiceDocument) -> str:
    """Render the invoice's HTML."""
    return _environment().get_template(TEMPLATE).render(doc=doc)


def render_invoice_pdf(doc: InvoiceDocument) -> bytes:
    """Render the invoice as PDF bytes in the 数电 layout."""
    return HTML(string=render_invoice_html(doc)).write_pdf()


def render_invoice_xml(doc: InvoiceDocument) -> bytes:
    """Return the invoice as our structured XML (UTF-8, decimals as strings)."""
    root = etree.Element(f"{{{XML_NAMESPACE}}}EInvoice", nsmap={None: XML_NAMESPACE})
    header = _sub(root, "Header")
    for name, text in (
        ("Kind", doc.kind),
        ("Type", TYPES[doc.special]),
        ("Title", doc.title),
        ("Number", doc.number),
        ("IssuedOn", doc.issued_on.isoformat()),
        ("Drawer", doc.drawer),
    ):
        _sub(header, name, text)
    for tag, party in (("Seller", doc.seller), ("Buyer", doc.buyer)):
        block = _sub(root, tag)
        for name, field in PARTY_FIELDS:
            _sub(block, name, getattr(party, field))
    lines = _sub(root, "Lines")
    for number, line in enumerate(doc.lines, start=1):
        element = _sub(lines, "Line")
        element.set("number", str(number))
        element.set("kind", line.kind)
        for name, field, is_decimal in LINE_FIELDS:
            value = getattr(line, field)
            if value is not None:
                _sub(element, name, f"{value:f}" if is_decimal else value)
    totals = _sub(root, "Totals")
    for name, value in (
        ("Amount", doc.total_amount),
        ("Tax", doc.total_tax),
        ("Total", doc.total),
    ):
        _sub(totals, name, f"{value:f}")
    _sub(totals, "TotalInCapitals", doc.total_in_capitals)
    _sub(root, "Remark", doc.remark)
    _sub(root, "QRCode", qr_payload(doc))
    if doc.confirmation is not None:
        red = _sub(root, "RedConfirmation")
        _sub(red, "BlueNumber", doc.blue_number)
        _sub(red, "FormNumber", doc.confirmation.number)
        _sub(red, "ReasonCode", doc.confirmation.reason)
        _sub(red, "ReasonName", doc.confirmation.reason_name)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def read_invoice_xml(data: bytes) -> InvoiceDocument:
    """Read an invoice back from the XML `render_invoice_xml` wrote."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
    )
    root = etree.fromstring(data, parser)
    if root.tag != f"{{{XML_NAMESPACE}}}EInvoice":
        raise ValueError(f"not an EInvoice document: {root.tag}")
    red = root.find("e:RedConfirmation", NS)
    kind = _text(root, "e:Header/e:Kind")
    return InvoiceDocument(
        kind=kind,
        number=_text(root, "e:Header/e:Number"),
        issued_on=date.fromisoformat(_text(root, "e:Header/e:IssuedOn")),
        seller=_party(root.find("e:Seller", NS)),
        buyer=_party(root.find("e:Buyer", NS)),
        lines=tuple(_line(element) for element in root.iterfind("e:Lines/e:Line", NS)),
        total_amount=Decimal(_text(root, "e:Totals/e:Amount")),
        total_tax=Decimal(_text(root, "e:Totals/e:Tax")),
        total=Decimal(_text(root, "e:Totals/e:Total")),
        remark=_text(root, "e:Remark"),
        drawer=_text(root, "e:Header/e:Drawer"),
        special=_text(root, "e:Header/e:Type") == TYPES[True],
        blue_number=_text(red, "e:BlueNumber") if red is not None else "",
        confirmation=None if red is None else _confirmation(red),
    )


def _sub(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{XML_NAMESPACE}}}{name}")
    element.text = text
    return element


def _text(element, path: str) -> str:
    found = element.find(path, NS)
    if found is None:
        raise ValueError(f"the invoice XML lacks {path.replace('e:', '')}")
    return found.text or ""


def _party(element) -> Party:
    if element is None:
        raise ValueError("the invoice XML lacks a party")
    return Party(**{field: _text(element, f"e:{name}") for name, field in PARTY_FIELDS})


def _line(element) -> InvoiceLine:
    values = {}
    for name, field, is_decimal in LINE_FIELDS:
        found = element.find(f"e:{name}", NS)
        text = None if found is None else found.text or ""
        values[field] = Decimal(text) if is_decimal and text is not None else text
    return InvoiceLine(kind=element.get("kind"), **values)


def _confirmation(element) -> RedConfirmation:
    return RedConfirmation(
        number=_text(element, "e:FormNumber"), reason=_text(element, "e:ReasonCode")
    )
