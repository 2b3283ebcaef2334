"""How the operator's review pages show customs filings (seed 000 step 2, seed 001 §4): the
product filings' queue searches by product name or HS code, as seed 000 describes."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from admin.review_views import QueueView, register_queue_view
from storefront.domain.customs.filings import COUNTRIES, TRANSPORT_MODES, UNITS
from storefront.models import CustomsFiling, Product, ProductFiling
from storefront.services.customs_filings import ENTERPRISE_KIND, PRODUCT_KIND

NONE = "—"


def _coded(code: str, names: dict) -> str:
    return f"{code} {names.get(code, '')}".strip() if code else NONE


def _product_fields(filing: ProductFiling) -> list[tuple[str, object]]:
    product = filing.product
    return [
        (_l("Product"), f"{product.name} ({product.sku})"),
        (_l("HS code"), filing.hs_code),
        (_l("Filing number"), filing.record_no),
        (_l("Country of origin"), _coded(filing.origin_country, COUNTRIES)),
        (_l("Declared unit"), _coded(filing.unit, UNITS)),
        (_l("First legal unit"), _coded(filing.unit1, UNITS)),
        (_l("First legal quantity per declared unit"), filing.qty1_per_unit),
        (_l("Second legal unit"), _coded(filing.unit2, UNITS)),
        (_l("Second legal quantity per declared unit"), filing.qty2_per_unit or NONE),
        (_l("Gross weight per unit (kg)"), filing.gross_weight),
        (_l("Net weight per unit (kg)"), filing.net_weight),
        (_l("Brand, specification, ingredients"), filing.model),
        (_l("Bar code"), filing.bar_code or NONE),
        (_l("Postal tax number (direct mail)"), filing.postal_tax_number or NONE),
    ]


def _enterprise_fields(filing: CustomsFiling) -> list[tuple[str, object]]:
    f = filing
    return [
        (_l("E-commerce enterprise code"), f.enterprise_code),
        (_l("E-commerce enterprise name"), f.enterprise_name),
        (_l("E-commerce platform code"), f.platform_code),
        (_l("E-commerce platform name"), f.platform_name),
        (_l("Payment enterprise code"), f.payment_code),
        (_l("Payment enterprise name"), f.payment_name),
        (_l("Logistics enterprise code"), f.logistics_code),
        (_l("Logistics enterprise name"), f.logistics_name),
        (_l("Declaration agent code"), f.agent_code),
        (_l("Declaration agent name"), f.agent_name),
        (_l("Customs code (declaring customs)"), f.customs_code),
        (_l("Port code (entry customs)"), f.port_code),
        (_l("Trade mode"), f.trade_mode),
        (_l("Transport mode"), _coded(f.traf_mode, TRANSPORT_MODES)),
        (_l("Bonded account book number (1210)"), f.ems_no or NONE),
        (_l("Bonded area enterprise code (1210)"), f.area_code or NONE),
        (_l("Bonded area enterprise name (1210)"), f.area_name or NONE),
        (_l("Vessel, flight or vehicle (9610)"), f.traf_no or NONE),
        (_l("Voyage or flight number (9610)"), f.voyage_no or NONE),
        (_l("Bill of lading number (9610)"), f.bill_no or NONE),
        (_l("Supervision site code"), f.loct_no or NONE),
        (_l("Data exchange (DXP) user id"), f.dxp_id or NONE),
    ]


register_queue_view(
    QueueView(
        kind=PRODUCT_KIND,
        search_hint=_l("Product name or HS code"),
        headings=(_l("Product"), _l("HS code"), _l("Filing number")),
        cells=lambda filing: (filing.product.name, filing.hs_code, filing.record_no),
        name=lambda filing: filing.product.name,
        fields=_product_fields,
        prepare=lambda statement: statement.join(
            Product, Product.id == ProductFiling.product_id
        ).options(selectinload(ProductFiling.product)),
        matches=lambda search: or_(
            Product.name.icontains(search, autoescape=True),
            ProductFiling.hs_code.startswith(search, autoescape=True),
        ),
    )
)
register_queue_view(
    QueueView(
        kind=ENTERPRISE_KIND,
        search_hint=_l("Store, enterprise name or code"),
        headings=(_l("E-commerce enterprise name"), _l("Trade mode")),
        cells=lambda filing: (
            f"{filing.enterprise_name} ({filing.enterprise_code})",
            filing.trade_mode,
        ),
        name=lambda filing: filing.enterprise_name,
        fields=_enterprise_fields,
        matches=lambda search: or_(
            CustomsFiling.enterprise_name.icontains(search, autoescape=True),
            CustomsFiling.enterprise_code.icontains(search, autoescape=True),
        ),
    )
)
