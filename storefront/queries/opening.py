"""A new store's opening checklist (issue 13, seed 000 steps 1-2): what is still missing
before its owner may open it to shoppers. Read for the tenant in context."""

from dataclasses import dataclass

from sqlalchemy import select

from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.integrations import platform_choice, plugins_for
from storefront.models import CustomsFiling, InvoiceSettings, PluginSetting, Product, ProductFiling
from storefront.models.opening import OpeningChoice
from storefront.ports import Port
from storefront.tenancy import require_tenant_id

# The checklist's settings items and the ports each one covers (the plugin registry's
# per-tenant settings, storefront.integrations).
SETTINGS_ITEMS = {
    "payment": (Port.PAYMENT,),
    "customs": (Port.CUSTOMS_TRANSPORT, Port.CUSTOMS_SIGNER),
    "warehouse": (Port.WAREHOUSE,),
    "invoice": (Port.INVOICE,),
}
# Seed 000 step 2: only after every pre-review passed may the store sell.
REVIEW_ITEMS = ("enterprise_filing", "product", "product_filing", "invoice_issuer")


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # a SETTINGS_ITEMS or REVIEW_ITEMS key
    done: bool
    # settings items: the platform offers its own service for every port not set up yet,
    # so the owner may choose it instead of settings of the store's own
    default_offered: bool = False


def checklist() -> list[ChecklistItem]:
    """Return the checklist of the tenant in context, settings first, in a fixed order."""
    own = set(db.session.scalars(select(PluginSetting.port)))
    chosen = set(db.session.scalars(select(OpeningChoice.port)))
    items = []
    for key, ports in SETTINGS_ITEMS.items():
        open_ports = [port for port in ports if port not in own]
        offered = all(platform_default_offered(port) for port in open_ports)
        done = offered and all(port in chosen for port in open_ports)
        items.append(ChecklistItem(key, done, default_offered=offered and bool(open_ports)))
    reviewed = _reviews_done()
    items.extend(ChecklistItem(key, reviewed[key]) for key in REVIEW_ITEMS)
    return items


def missing(items: list[ChecklistItem]) -> list[str]:
    """Return the keys of the items not done."""
    return [item.key for item in items if not item.done]


def platform_default_offered(port: Port) -> bool:
    """Whether the platform serves `port` for stores that set up nothing of their own, with a
    plugin this deployment may use (sandboxes only where local plugins are allowed)."""
    default = platform_choice(port, require_tenant_id())
    return default is not None and default.plugin_id in plugins_for(port)


def _reviews_done() -> dict[str, bool]:
    approved = ReviewState.APPROVED
    checks = {
        "enterprise_filing": select(CustomsFiling.id).where(CustomsFiling.review_state == approved),
        "product": select(Product.id),
        "product_filing": select(ProductFiling.id).where(ProductFiling.review_state == approved),
        "invoice_issuer": select(InvoiceSettings.id).where(
            InvoiceSettings.review_state == approved
        ),
    }
    # each goes through the tenant filter: only the store's own rows count
    return {key: db.session.scalar(check.limit(1)) is not None for key, check in checks.items()}
