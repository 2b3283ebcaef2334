"""A sample tax registration certificate (税务登记证) for the demo store's invoice issuer.

The demo's operator reviews the issuer with its certificate inline (seed 000 step 2(2)); the
demo has no real one, so it prints a page that says it is a sample, with the demo's details.
"""

from functools import cache

from weasyprint import HTML

from storefront.documents.templating import document_environment

TEMPLATE = "sample_certificate.html"


@cache
def _environment():
    return document_environment()


def render_sample_certificate(name: str, tax_number: str, address: str) -> bytes:
    """Render a PDF page marked as a sample, naming the issuer, its tax number and address."""
    html = (
        _environment()
        .get_template(TEMPLATE)
        .render(name=name, tax_number=tax_number, address=address)
    )
    return HTML(string=html).write_pdf()
