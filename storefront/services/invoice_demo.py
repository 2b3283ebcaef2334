"""The demo store's invoice settings: domestic goods invoiced once received, asynchronously,
through the sandbox provider the demo's integrations already chose."""

from decimal import Decimal

from storefront.extensions import db
from storefront.models import InvoiceSettings
from storefront.services.invoice_settings import DEFAULT_ELIGIBILITY

# A made-up code with a valid GB 32100 check character (not a real enterprise's).
DEMO_TAX_NUMBER = "91310115MA1H7K2X56"


def add_invoice_settings() -> None:
    """Give the store in context its invoice settings (flush only)."""
    db.session.add(
        InvoiceSettings(
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
    )
    db.session.flush()
