"""What each staff role may do in the merchant console: one explicit table.

The owner may do everything. Staff run the daily business (orders, shipping, customs,
products, invoices, reconciliation) but do not manage people, money leaving the store, or the
store's contracts with outside services: staff accounts and invitations, integration
(payment, customs, warehouse, invoice) settings, embedding, API keys and webhook endpoints
(their signing secrets, where order events go), the invoice issuer's settings, refunds.
"""

from enum import StrEnum


class Permission(StrEnum):
    MANAGE_STAFF = "manage_staff"
    MANAGE_INTEGRATIONS = "manage_integrations"
    MANAGE_INVOICE_SETTINGS = "manage_invoice_settings"
    REFUND = "refund"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "owner": frozenset(Permission),
    "staff": frozenset(),
}


def may(role: str, permission: Permission) -> bool:
    """Return whether a staff member with `role` may do what `permission` guards."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
