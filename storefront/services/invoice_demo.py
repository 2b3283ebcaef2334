"""The demo store's invoice settings: domestic goods invoiced once received, asynchronously,
through the sandbox provider the demo's integrations already chose; its invoice issuer sent
with a sample certificate and its products, and approved by the demo's operator."""

from decimal import Decimal
from io import BytesIO

from storefront.documents.sample_certificate import render_sample_certificate
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import InvoiceSettings
from storefront.services import invoice_issuer, reviews
from storefront.services.invoice_settings import DEFAULT_ELIGIBILITY, current_settings

# A made-up code with a valid GB 32100 check character (not a real enterprise's).
DEMO_TAX_NUMBER = "91310115MA1H7K2X56"


def add_invoice_settings(owner: str) -> None:
    """Give the store in context its invoice settings and send its issuer for review, with a
    sample certificate and every product it may list, as `owner` (flush only)."""
    settings = InvoiceSettings(
        payee_name="跨境优选商城（上海）有限公司",
        tax_number=DEMO_TAX_NUMBER,
        address="上海市浦东新区世纪大道100号",
        phone="021-68880000",
        drawer="店主 Owner",
        tax_rate=Decimal("13"),
        tax_code="1090511030000000000",
        short_name="日用杂品",
        trigger="received",
        mode="async",
        platform_code="OTHER",
        eligibility=dict(DEFAULT_ELIGIBILITY),
        updated_by="demo",
    )
    db.session.add(settings)
    db.session.flush()
    pdf = render_sample_certificate(settings.payee_name, settings.tax_number, settings.address)
    certificate = invoice_issuer.Certificate(BytesIO(pdf), "税务登记证.pdf")
    invoice_issuer.attach_certificate(settings, certificate, owner)
    products = invoice_issuer.invoiceable_products(settings.tax_code)
    invoice_issuer.replace_products({product.id for product, _code in products})
    invoice_issuer.send_if_due(settings, True, owner)


def approve_invoice_issuer(operator: str) -> None:
    """Record `operator`'s approval of the submitted issuer of the store in context (commits)."""
    settings = current_settings()
    action = ReviewAction.APPROVE
    reviews.decide(
        invoice_issuer.ISSUER_KIND, settings.id, action, "", operator, settings.review_version
    )
