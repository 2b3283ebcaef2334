"""Tenant isolation in one place, fail closed, behind two walls.

First wall, the ORM: every statement that touches a tenant-owned model (``TenantScoped``) gets
the current tenant's criteria added by a session hook; with no tenant set it is refused. New
rows get ``tenant_id`` stamped on flush, and a row of another tenant can be neither inserted
nor moved. Raw SQL text and Core inserts naming tenant tables are refused outside
``system_context()``, the only way to cross tenants (grep for it).

Second wall, PostgreSQL row-level security: every transaction carries the tenant in context
(``kuajing.tenant_id``, or ``kuajing.system``) and a policy on each tenant table shows and
accepts only that tenant's rows, so SQL that slips past the ORM still sees nothing else.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from weakref import WeakKeyDictionary

from sqlalchemy import String, cast, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, with_loader_criteria
from sqlalchemy.pool import Pool
from sqlalchemy.schema import ForeignKey
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.elements import TextClause

_current_tenant: ContextVar[int | None] = ContextVar("current_tenant", default=None)
_HELD_OBJECT = "kuajing_held_object"  # execution option of ORM reloads of held objects
_KNOWN_TENANT = "_kuajing_tenant_id"  # a loaded row's tenant, kept when a commit expires it
_system: ContextVar[bool] = ContextVar("system_context", default=False)


class TenantNotSet(RuntimeError):
    """A tenant-owned table was queried or written with no tenant in context."""


class CrossTenantWrite(RuntimeError):
    """A row of one tenant was written while another tenant is in context."""


class UnscopedStatement(RuntimeError):
    """Raw SQL or a Core insert on tenant tables outside system_context()."""


class TenantScoped:
    """Mixin for every tenant-owned model: a NOT NULL tenant_id filtered centrally."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        _tenant_tables.cache_clear()  # a new tenant-owned model joins the set

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenants.id"), nullable=False, index=True)


def current_tenant_id() -> int | None:
    """Return the tenant in context, or None."""
    return _current_tenant.get()


def require_tenant_id() -> int:
    """Return the tenant in context or raise TenantNotSet."""
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise TenantNotSet("no tenant in context for a tenant-owned query")
    return tenant_id


@contextmanager
def tenant_context(tenant_id: int) -> Iterator[int]:
    """Run the block as the given tenant (jobs, commands, tests)."""
    token = _current_tenant.set(tenant_id)
    system_token = _system.set(False)
    try:
        yield tenant_id
    finally:
        _system.reset(system_token)
        _current_tenant.reset(token)


@contextmanager
def system_context() -> Iterator[None]:
    """Run the block across tenants: the only way to bypass the tenant filter."""
    token = _system.set(True)
    try:
        yield
    finally:
        _system.reset(token)


def enter_tenant(tenant_id: int):
    """Set the tenant for the rest of a request; return the token for `leave_tenant`."""
    return _current_tenant.set(tenant_id)


def leave_tenant(token) -> None:
    _current_tenant.reset(token)


@cache
def _tenant_tables() -> frozenset:
    found, pending = set(), list(TenantScoped.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if hasattr(model, "__table__"):
            found.add(model.__table__)
    return frozenset(found)


@cache
def _tenant_table_pattern(names: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b", re.IGNORECASE)


def _text_names_tenant_table(statement: TextClause) -> bool:
    names = frozenset(table.name for table in _tenant_tables())
    return bool(_tenant_table_pattern(names).search(statement.text))


def _touches_tenant_data(state) -> bool:
    """Look at every table of the statement (joins, subqueries, select_from), not the entities:
    `select(func.count()).select_from(Model)` names no entity but reads tenant rows."""
    statement = state.statement
    # statements are immutable: one built once (a store's row by slug, read before its tenant
    # is known) is walked once per process
    known = _TOUCHES.get(statement)
    if known is None:
        known = _TOUCHES[statement] = _names_tenant_table(state)
    return known


_TOUCHES: "WeakKeyDictionary" = WeakKeyDictionary()


def _names_tenant_table(state) -> bool:
    if any(issubclass(mapper.class_, TenantScoped) for mapper in state.all_mappers):
        return True
    tables = sql_util.find_tables(
        state.statement,
        check_columns=True,
        include_aliases=True,
        include_joins=True,
        include_selects=True,
        include_crud=True,
    )
    return not _tenant_tables().isdisjoint(tables)


@event.listens_for(Session, "do_orm_execute")
def _filter_by_tenant(state) -> None:
    if _system.get():
        return
    if isinstance(state.statement, TextClause):
        if _text_names_tenant_table(state.statement):
            raise UnscopedStatement("raw SQL on tenant tables runs only in system_context()")
        return
    if state.is_insert and _touches_tenant_data(state):
        raise UnscopedStatement("Core inserts into tenant tables run only in system_context()")
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        # The criteria travel with the parent statement (propagate_to_loaders): reloading
        # an object already held, or its relationships, is not a new read across tenants.
        if not _loaded_from_current_tenant(state):
            state.update_execution_options(**{_HELD_OBJECT: True})
        return
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        if _touches_tenant_data(state):
            raise TenantNotSet("no tenant in context for a tenant-owned query")
        return
    # With a tenant in context every statement gets its criteria: they constrain only the
    # tenant-owned entities a statement has, so looking for them first (a walk of the whole
    # statement) would cost more than the option itself, on every statement of a request.
    state.statement = _with_tenant_criteria(state.statement, tenant_id)


def _with_tenant_criteria(statement, tenant_id: int):
    """Return `statement` with the tenant's criteria, kept per statement and tenant.

    A statement built once per process (a hot page's) so stays one object per tenant, and
    SQLAlchemy computes its cache key once instead of walking it on every execution; one built
    per request is dropped with it.
    """
    filtered = _FILTERED.get(statement)
    if filtered is None:
        filtered = _FILTERED[statement] = {}
    chosen = filtered.get(tenant_id)
    if chosen is None:
        if len(filtered) >= _KEPT_TENANTS:
            filtered.clear()  # bounded: a process serving many stores starts the set again
        chosen = filtered[tenant_id] = statement.options(_tenant_criteria(tenant_id))
    return chosen


_FILTERED: "WeakKeyDictionary" = WeakKeyDictionary()
_KEPT_TENANTS = 64


@cache
def _tenant_criteria(tenant_id: int):
    """The loader criteria of one tenant, built once per process (one per tenant: small)."""
    return with_loader_criteria(
        TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
    )


def _loaded_from_current_tenant(state) -> bool:
    """A row of the tenant in context reloaded, or its relationship loaded: PostgreSQL shows it
    to that tenant as it is, with no switch to the system setting and back (two round trips)."""
    tenant_id = _current_tenant.get()
    held = state.lazy_loaded_from or state.load_options._refresh_state
    return (
        tenant_id is not None
        and held is not None
        and isinstance(held.obj(), TenantScoped)
        and _known_tenant(held) == tenant_id
    )


def _known_tenant(held) -> int | None:
    # the loaded values only (.dict): reading an expired attribute here would load it. A commit
    # expires tenant_id too, but a row's tenant never changes (before_flush refuses it), so it
    # is also kept under a key the ORM does not expire
    return held.dict.get("tenant_id", held.dict.get(_KNOWN_TENANT))


@event.listens_for(TenantScoped, "load", propagate=True)
@event.listens_for(TenantScoped, "refresh", propagate=True)
def _remember_tenant(target, *args) -> None:
    target.__dict__[_KNOWN_TENANT] = target.__dict__.get("tenant_id")


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session, flush_context, instances) -> None:
    if _system.get():
        _check_system_rows(session)
        return
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            tenant_id = require_tenant_id()
            if obj.tenant_id is None:
                obj.tenant_id = tenant_id
            elif obj.tenant_id != tenant_id:
                raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")
            obj.__dict__[_KNOWN_TENANT] = tenant_id
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and obj.tenant_id != require_tenant_id():
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant")


def _check_system_rows(session) -> None:
    for obj in session.new:
        if isinstance(obj, TenantScoped) and obj.tenant_id is None:
            raise TenantNotSet(f"{type(obj).__name__} needs an explicit tenant_id")


# -- the second wall: PostgreSQL row-level security (migration 0012 creates the policies) --

_SHARED = "kuajing_rls"  # what this connection's transaction last told PostgreSQL
_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN")
_SET_TENANT = (
    "SELECT set_config('kuajing.system', %s, true), set_config('kuajing.tenant_id', %s, true)"
)


def tenant_settings(tenant_id_column) -> tuple:
    """Columns that tell PostgreSQL the tenant of the row a statement reads, as the hook below
    does: a request's first statement (its store's row) then shares its tenant in the same
    round trip. Call `settings_shared` with that row's tenant once it is read."""
    return (
        func.set_config("kuajing.system", "off", True),
        func.set_config("kuajing.tenant_id", cast(tenant_id_column, String), True),
    )


def settings_shared(connection, tenant_id: int) -> None:
    """Note that this connection's transaction already runs as `tenant_id` (tenant_settings)."""
    connection.info[_SHARED] = (False, tenant_id)


@event.listens_for(Engine, "before_cursor_execute")
def _share_tenant_with_postgres(conn, cursor, statement, parameters, context, executemany):
    """Tell PostgreSQL the tenant in context, once per transaction and change of context."""
    if conn.dialect.name != "postgresql" or statement.lstrip().upper().startswith(_CONTROL):
        return  # transaction control reads no rows (and may run in an aborted transaction)
    held = context is not None and context.execution_options.get(_HELD_OBJECT, False)
    wanted = (held or _system.get(), _current_tenant.get())
    if conn.info.get(_SHARED) == wanted:
        return
    system, tenant_id = wanted
    values = ("on" if system else "off", "" if tenant_id is None else str(tenant_id))
    if getattr(cursor, "name", None):  # a server-side cursor only declares its query: the
        with cursor.connection.cursor() as plain:  # settings must run on a plain cursor
            plain.execute(_SET_TENANT, values)
    else:
        cursor.execute(_SET_TENANT, values)
    conn.info[_SHARED] = wanted


@event.listens_for(Engine, "begin")
def _start_unshared(conn) -> None:
    # a new transaction has no settings: the same as no tenant and no system context
    conn.info[_SHARED] = (False, None)


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
@event.listens_for(Engine, "rollback_savepoint")
def _forget_shared_tenant(conn, *args) -> None:
    # set_config(..., true) lasts until the transaction (or savepoint) ends
    conn.info.pop(_SHARED, None)


@event.listens_for(Pool, "checkout")
def _forget_on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    connection_record.info.pop(_SHARED, None)
