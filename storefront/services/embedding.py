"""Embedding (SPEC §10): the origins a store allows to frame it and to call its API.

The list feeds the store pages' CSP frame-ancestors, the embedded store's postMessage target
and the API's CORS answers: one list, read through `allowed_origins` / `is_allowed`.
"""

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from storefront.domain.embedding import MAX_ORIGINS, normalise_origin
from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import EmbedOrigin, Tenant
from storefront.queries.embedding import allowed_origins
from storefront.services.errors import NotFound
from storefront.services.locks import locked
from storefront.tenancy import require_tenant_id


def is_allowed(tenant_id: int, origin: str | None) -> bool:
    """Tell whether `origin` (as a browser sends it: exact, normalised) may embed the store."""
    return bool(origin) and origin in allowed_origins(tenant_id)


def allow_origin(text: str, who: str) -> EmbedOrigin:
    """Add an origin to the current store's list; raise Refused if invalid, known or too many."""
    origin = normalise_origin(text)
    locked(Tenant, require_tenant_id())  # one change at a time, so the count holds
    known = db.session.scalars(select(EmbedOrigin.origin)).all()
    if origin in known:
        raise Refused(ErrorCode.DUPLICATE_ORIGIN, origin)
    if len(known) >= MAX_ORIGINS:
        raise Refused(ErrorCode.TOO_MANY_ORIGINS, f"{MAX_ORIGINS} at most")
    # who added it, for the console's list: a long name and e-mail would not fit the column
    row = EmbedOrigin(origin=origin, created_by=_fitted(who, EmbedOrigin.created_by))
    db.session.add(row)
    _note_change()
    try:
        db.session.commit()
    except IntegrityError as error:  # added by another request at the same moment
        db.session.rollback()
        raise Refused(ErrorCode.DUPLICATE_ORIGIN, origin) from error
    return row


def remove_origin(origin_id: int) -> str:
    """Remove one of the current store's origins and return it; any other id is not found."""
    origin = db.session.scalar(select(EmbedOrigin.origin).where(EmbedOrigin.id == origin_id))
    if origin is None:
        raise NotFound(f"embed origin {origin_id}")
    db.session.execute(delete(EmbedOrigin).where(EmbedOrigin.id == origin_id))
    _note_change()
    db.session.commit()
    return origin


def _note_change() -> None:
    """Bump the store's embedding version in the change's transaction: every web process
    re-reads its view of the store's row per request and so reads the new list (queries.stores)."""
    db.session.execute(
        update(Tenant)
        .where(Tenant.id == require_tenant_id())
        .values(embedding_version=Tenant.embedding_version + 1)
    )


def _fitted(text: str, column) -> str:
    """Return `text` cut to the column's length, marked with an ellipsis when cut."""
    length = column.type.length
    return text if len(text) <= length else text[: length - 1] + "…"
