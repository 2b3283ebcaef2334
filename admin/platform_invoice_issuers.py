"""How the operator's review pages show invoice issuers (seed 000 step 2(2)): the issuer's
details, its tax registration certificate inline and the products it may invoice; the queue
searches by issuer name or tax ID."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from admin.review_views import QueueView, register_queue_view
from storefront.models import InvoiceSettings
from storefront.queries.invoice_issuers import listed_products
from storefront.services.invoice_issuer import ISSUER_KIND


def _fields(issuer: InvoiceSettings) -> list[tuple[str, object]]:
    products = "; ".join(
        f"{product.name} ({product.sku}) {code}" for product, code in listed_products(issuer)
    )
    return [
        (_l("Payee name"), issuer.payee_name),
        (_l("Tax register number (unified social credit code)"), issuer.tax_number),
        (_l("Address"), issuer.address),
        (_l("Phone"), issuer.phone),
        (_l("Default tax rate (%)"), issuer.tax_rate),
        (_l("Tax classification code"), issuer.tax_code or "—"),
        (_l("Tax classification short name"), issuer.short_name or "—"),
        (_l("Products the invoice issuer may invoice"), products or "—"),
    ]


register_queue_view(
    QueueView(
        kind=ISSUER_KIND,
        search_hint=_l("Store, issuer name or tax ID"),
        headings=(_l("Payee name"), _l("Tax register number (unified social credit code)")),
        cells=lambda issuer: (issuer.payee_name, issuer.tax_number),
        name=lambda issuer: issuer.payee_name,
        fields=_fields,
        matches=lambda search: or_(
            InvoiceSettings.payee_name.icontains(search, autoescape=True),
            InvoiceSettings.tax_number.icontains(search.upper(), autoescape=True),
        ),
        documents=lambda issuer: [(_l("Tax registration certificate"), issuer.certificate_file_id)],
    )
)
