"""Embedding origins for tests: each store allows a host site of its own."""

from storefront.services.embedding import allow_origin
from storefront.tenancy import tenant_context

A_SITE, B_SITE = "https://a-shop.example.com", "https://b-shop.example.com"


def allow_own_sites(tenants, *more_for_a: str):
    """Let store A be embedded by A_SITE (and `more_for_a`), store B by B_SITE."""
    for store, origins in ((tenants.a, (A_SITE, *more_for_a)), (tenants.b, (B_SITE,))):
        with tenant_context(store.tenant.id):
            for origin in origins:
                allow_origin(origin, "test")
    return tenants
