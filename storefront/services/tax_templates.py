"""Tax templates of the current merchant, the tax preview, and store settings."""

from decimal import Decimal

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.limits import BUILTIN_POLICIES, QuoteLine, quote_order, to_json_dict
from storefront.domain.tax import TaxRates, TaxTag
from storefront.extensions import db
from storefront.models import LimitPolicyRow, Product, TaxTemplate, Tenant
from storefront.queries import taken

RATE_KEYS = ("tariff_rate", "consumption_rate", "vat_rate", "postal_rate")


class TemplateInUse(Exception):
    """Products still use the template; their names are listed."""

    def __init__(self, product_names: list[str]) -> None:
        super().__init__(", ".join(product_names))
        self.product_names = product_names


def save_template(template: TaxTemplate | None, data: dict) -> TaxTemplate:
    """Create or update a template; names are unique in the store."""
    name = data["name"].strip()
    if taken(TaxTemplate.name, name, template):
        raise Refused(ErrorCode.DUPLICATE_TAX_TEMPLATE, name)
    template = template or TaxTemplate()
    template.name = name
    for key in RATE_KEYS:
        setattr(template, key, data[key])
    db.session.add(template)
    db.session.commit()
    return template


def delete_template(template: TaxTemplate) -> None:
    """Delete an unused template, or raise TemplateInUse naming the products."""
    names = db.session.scalars(
        select(Product.name).where(Product.tax_template_id == template.id).order_by(Product.name)
    ).all()
    if names:
        raise TemplateInUse(list(names))
    db.session.delete(template)
    db.session.commit()


def preview(rates: dict[str, Decimal], amount: Decimal, freight: Decimal) -> dict[str, dict]:
    """Quote one line of `amount` for every tag under the platform default policy."""
    tax_rates = TaxRates.from_percent(
        tariff=rates["tariff_rate"],
        consumption=rates["consumption_rate"],
        vat=rates["vat_rate"],
        postal=rates["postal_rate"],
    )
    policy = BUILTIN_POLICIES["seed"]
    return {
        tag.value: to_json_dict(
            quote_order(
                tag=tag,
                rates=tax_rates,
                lines=[QuoteLine(price=amount, quantity=1)],
                freight=freight,
                policy=policy,
            )
        )
        for tag in TaxTag
    }


def save_store_settings(tenant: Tenant, data: dict) -> None:
    """Save the store's name, language and limit policy."""
    if db.session.get(LimitPolicyRow, data["limit_policy_code"]) is None:
        raise Refused(ErrorCode.UNKNOWN_LIMIT_POLICY, data["limit_policy_code"])
    tenant.name = data["name"].strip()
    tenant.default_locale = data["default_locale"]
    tenant.limit_policy_code = data["limit_policy_code"]
    tenant.commission_rate = data["commission_rate"]
    db.session.commit()
