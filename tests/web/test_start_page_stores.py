"""The public start page lists only stores that take orders; the others keep their own pages."""

from storefront.extensions import db
from storefront.models.types import utcnow

ZH = {"Accept-Language": "zh-CN"}


def _listed(client) -> str:
    return client.get("/", headers=ZH).get_data(as_text=True)


def test_stores_opening_soon_or_suspended_are_not_listed(client, tenants):
    a, b = tenants.a.tenant, tenants.b.tenant
    home = f'href="/s/{a.slug}/"'
    assert home in _listed(client) and f'href="/s/{b.slug}/"' in _listed(client)
    a.opened_at = None  # approved from an application, its owner has not opened it yet
    db.session.flush()
    assert home not in _listed(client)
    own = client.get(f"/s/{a.slug}/", headers=ZH)  # its own page stays: opening soon
    assert 'id="store-opening-soon"' in own.get_data(as_text=True)
    a.opened_at, a.suspended_at = utcnow(), utcnow()
    db.session.flush()
    body = _listed(client)
    assert home not in body and f'href="/s/{b.slug}/"' in body
    closed = client.get(f"/s/{a.slug}/", headers=ZH).get_data(as_text=True)
    assert a.name in closed and "不接受订单" in closed  # its own closed page
    a.suspended_at = None
    db.session.flush()
    assert home in _listed(client)
