"""The store a shopper's request is for: its row and limit policy, in one round trip.

Every store request needs the store's row (id, name, language, suspension) and its limit
policy. Both are read by one statement per request, never trusted from memory: a merchant's
or operator's change (a new policy, a suspension, a renamed store) is seen by the very next
request of every web and job process, and a writer has nothing to invalidate. What the
process keeps (per app, keyed by slug) is the view built from those rows, reused while the
rows read are the same: no ORM object, no second query for the policy. The view also keeps
the store's embedding origins once read; their changes bump a column of the store's row
(`embedding_version`), so a changed list comes with a new view.
"""

from dataclasses import fields
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, select

from storefront.domain.limits import LimitPolicy
from storefront.extensions import db
from storefront.models import LimitPolicyRow, Tenant
from storefront.queries.embedding import allowed_origins
from storefront.tenancy import settings_shared, tenant_settings

_CACHE = "kuajing_store_views"
_POLICY_FIELDS = tuple(field.name for field in fields(LimitPolicy))


class StoreView:
    """A read-only copy of one store's row (every column) with its limit policy.

    Shared by the requests of one process: it is never attached to a session, so a commit
    expires nothing and nothing can write it back.
    """

    __slots__ = ("_origins", "_values", "policy")

    def __init__(self, values: dict, policy: LimitPolicy) -> None:
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "policy", policy)
        object.__setattr__(self, "_origins", None)

    def __getattr__(self, name: str):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"a StoreView is read-only ({name})")

    def __repr__(self) -> str:
        return f"<StoreView {self._values['slug']}>"


@cache
def _statement(postgres: bool):
    """The store row and policy by slug, built once per process: building it per request took
    a sizeable share of a request's CPU, and a statement kept is one the tenant filter
    inspects once (storefront.tenancy)."""
    tenant_columns = list(Tenant.__table__.columns)
    policy_columns = [LimitPolicyRow.__table__.c[name] for name in _POLICY_FIELDS]
    statement = (
        select(*tenant_columns, *policy_columns)
        .join_from(Tenant, LimitPolicyRow, LimitPolicyRow.code == Tenant.limit_policy_code)
        .where(Tenant.active, Tenant.slug == bindparam("slug"))
    )
    if postgres:  # the request runs as this store from here: no settings round trip of its own
        statement = statement.add_columns(*tenant_settings(Tenant.id))
    return statement


def active_store(slug: str) -> StoreView | None:
    """Return the active store at `slug` as of now, or None (one query, no ORM objects)."""
    # on the session's connection, as Core: the tenants table is the platform's (nothing for
    # the tenant filter to add), and the ORM's execution took a third of this read's CPU. What
    # the session holds unflushed is flushed first, as the ORM would (nothing, in a request).
    db.session.flush()
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    row = connection.execute(_statement(postgres), {"slug": slug}).one_or_none()
    if row is None:
        return None
    if postgres:
        settings_shared(connection, row.id)
        row = row[:-2]
    views = current_app.extensions.setdefault(_CACHE, {})
    cached = views.get(slug)
    if cached is not None and cached[0] == tuple(row):
        return cached[1]
    names = [column.key for column in Tenant.__table__.columns]
    values = dict(zip(names, row[: len(names)], strict=True))
    view = StoreView(values, LimitPolicy(*row[len(names) :]))
    views[slug] = (tuple(row), view)
    return view


def embedding_origins(store: StoreView) -> tuple[str, ...]:
    """Return the origins allowed to embed `store`, read once per view: every change of the
    list bumps the store's embedding version (services.embedding), so the next request reads a
    changed row and builds a new view, which reads the list again."""
    origins = store._origins
    if origins is None:  # two threads may both read it: the same list, no harm
        origins = allowed_origins(store.id)
        object.__setattr__(store, "_origins", origins)
    return origins
