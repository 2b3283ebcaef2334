"""The store: its name, currency, language and the purchase-limit policy it applies."""

from flask import g
from pydantic import BaseModel, Field

from storefront.api import bp
from storefront.api.auth import PUBLIC_READ
from storefront.api.operation import operation
from storefront.api.schemas import MoneyText
from storefront.domain.money import format_money
from storefront.services.cart import tenant_policy


class LimitsPolicy(BaseModel):
    """The cross-border purchase limits of the store's policy (SPEC §3)."""

    code: str = Field(description="seed or cn-2019")
    order_limit: MoneyText = Field(description="Goods and freight of one order")
    annual_limit: MoneyText = Field(description="One person's total in a calendar year")
    annual_counts_tax: bool = Field(description="Whether tax counts toward the annual total")
    direct_mail_limit: MoneyText
    direct_mail_scope: str = Field(description="day: a person's day total; order: one order")
    single_item_over_order_limit: bool = Field(
        description="Whether one unit alone may exceed the order limit (taxed in full)"
    )


class Store(BaseModel):
    slug: str
    name: str
    currency: str = Field(description="Prices and totals are in this currency (CNY)")
    default_locale: str
    limits: LimitsPolicy


@bp.route("/stores/<store_slug>", methods=["GET"])
@operation(access=PUBLIC_READ, responses={200: Store}, tags=("store",))
def store_info():
    """The store: name, currency and the purchase limits it applies."""
    tenant, policy = g.tenant, tenant_policy(g.tenant)
    limits = LimitsPolicy(
        code=policy.code,
        order_limit=format_money(policy.order_limit),
        annual_limit=format_money(policy.annual_limit),
        annual_counts_tax=policy.annual_counts_tax,
        direct_mail_limit=format_money(policy.direct_mail_limit),
        direct_mail_scope=policy.direct_mail_scope,
        single_item_over_order_limit=policy.single_item_over_order_limit,
    )
    return Store(
        slug=tenant.slug,
        name=tenant.name,
        currency="CNY",
        default_locale=tenant.default_locale,
        limits=limits,
    )
