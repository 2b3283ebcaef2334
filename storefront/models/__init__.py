"""SQLAlchemy models, one aggregate per module. Importing this package registers them all."""

from storefront.models.accounts import LoginCounter, PlatformOperator, StaffUser
from storefront.models.api import ApiCart, ApiKey, ApiToken, IdempotencyRecord
from storefront.models.applications import Applicant, MerchantApplication
from storefront.models.area import AreaReport, BondedStockMovement
from storefront.models.catalog import Product, Supplier
from storefront.models.commission import CommissionRecord, Promoter
from storefront.models.customs import (
    CustomsDeclaration,
    CustomsDocument,
    CustomsEvent,
    CustomsFiling,
    CustomsReceipt,
    CustomsTaxBill,
    ProductFiling,
)
from storefront.models.embedding import EmbedOrigin
from storefront.models.hooks import WebhookDelivery, WebhookEndpoint
from storefront.models.integrations import PluginSetting, PluginSettingChange
from storefront.models.invoices import (
    Invoice,
    InvoiceEvent,
    InvoiceFile,
    InvoiceIssuerProduct,
    InvoiceRequest,
    InvoiceSettings,
    InvoiceTitle,
    ProductInvoicing,
)
from storefront.models.ledger import QuotaMovement, QuotaPerson
from storefront.models.mail import OutgoingMail
from storefront.models.notifications import Notification
from storefront.models.opening import OpeningChoice
from storefront.models.orders import Checkout, Order, OrderEvent, OrderLine
from storefront.models.outbox import OutboxEvent
from storefront.models.payments import Payment, ProviderEvent, ProviderSettlement, Refund
from storefront.models.reconciliation import ReconMismatch, ReconRecord, ReconRun
from storefront.models.refusals import CheckoutRefusal
from storefront.models.review_decisions import ReviewDecision
from storefront.models.reviews import Review
from storefront.models.shoppers import Address, BuyerIdentity, Shopper
from storefront.models.staff_access import StaffInvite, TenantStatusEvent
from storefront.models.tax import LimitPolicyRow, TaxTemplate
from storefront.models.tenant import Tenant
from storefront.models.uploads import StoredFile

__all__ = [
    "Address",
    "ApiCart",
    "ApiKey",
    "ApiToken",
    "Applicant",
    "AreaReport",
    "BondedStockMovement",
    "BuyerIdentity",
    "Checkout",
    "CheckoutRefusal",
    "CommissionRecord",
    "CustomsDeclaration",
    "CustomsDocument",
    "CustomsEvent",
    "CustomsFiling",
    "CustomsReceipt",
    "CustomsTaxBill",
    "EmbedOrigin",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceEvent",
    "InvoiceFile",
    "InvoiceIssuerProduct",
    "InvoiceRequest",
    "InvoiceSettings",
    "InvoiceTitle",
    "LimitPolicyRow",
    "LoginCounter",
    "MerchantApplication",
    "Notification",
    "OpeningChoice",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OutboxEvent",
    "OutgoingMail",
    "Payment",
    "PlatformOperator",
    "PluginSetting",
    "PluginSettingChange",
    "Product",
    "ProductFiling",
    "ProductInvoicing",
    "Promoter",
    "ProviderEvent",
    "ProviderSettlement",
    "QuotaMovement",
    "QuotaPerson",
    "ReconMismatch",
    "ReconRecord",
    "ReconRun",
    "Refund",
    "Review",
    "ReviewDecision",
    "Shopper",
    "StaffInvite",
    "StaffUser",
    "StoredFile",
    "Supplier",
    "TaxTemplate",
    "Tenant",
    "TenantStatusEvent",
    "WebhookDelivery",
    "WebhookEndpoint",
]
