"""SQLAlchemy models, one aggregate per module. Importing this package registers them all."""

from storefront.models.accounts import LoginAttempt, PlatformOperator, StaffUser
from storefront.models.catalog import Product, Supplier
from storefront.models.notifications import Notification
from storefront.models.shoppers import Address, BuyerIdentity, Shopper
from storefront.models.tax import LimitPolicyRow, TaxTemplate
from storefront.models.tenant import Tenant

__all__ = [
    "Address",
    "BuyerIdentity",
    "LimitPolicyRow",
    "LoginAttempt",
    "Notification",
    "PlatformOperator",
    "Product",
    "Shopper",
    "StaffUser",
    "Supplier",
    "TaxTemplate",
    "Tenant",
]
