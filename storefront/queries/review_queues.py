"""The platform operator's review queues: any registered kind's items across every tenant
(always inside system_context), and one item with its history and store (SPEC §9)."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select

from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import Tenant
from storefront.models.review_decisions import ReviewDecision
from storefront.models.uploads import StoredFile
from storefront.tenancy import current_tenant_id, system_context

Prepare = Callable[[Select], Select]


@dataclass(frozen=True)
class QueueFilters:
    state: str | None = ReviewState.SUBMITTED  # None: every state
    search: str = ""


def review_queue(
    model: type,
    filters: QueueFilters,
    page: int,
    per_page: int,
    prepare: Prepare = lambda statement: statement,
    matches: Callable[[str], object] | None = None,
):
    """Return one page of every tenant's items of `model`, oldest submission first.

    `prepare` adds the kind's joins and eager loads; `matches(search)` says which rows a
    search finds, besides those of stores whose name contains it.
    """
    statement = prepare(select(model))
    tenant_id = getattr(model, "tenant_id", None)
    if tenant_id is not None:
        statement = statement.outerjoin(Tenant, Tenant.id == tenant_id)
    if filters.state:
        statement = statement.where(model.review_state == filters.state)
    if filters.search:
        found = [matches(filters.search)] if matches else []
        if tenant_id is not None:
            found.append(Tenant.name.icontains(filters.search, autoescape=True))
        statement = statement.where(or_(*found)) if found else statement.where(false())
    statement = statement.order_by(model.submitted_at.nulls_last(), model.id)
    with system_context():
        return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def item_for_review_or_404(model: type, subject_id: int, prepare: Prepare = lambda s: s):
    """Return any tenant's item of `model`, or 404."""
    with system_context():
        return db.first_or_404(prepare(select(model).where(model.id == subject_id)))


def review_history(kind: str, subject_id: int) -> list[ReviewDecision]:
    """Return an item's review steps, oldest first.

    Callers load the item first (merchants through the tenant filter); with a tenant in
    context only that tenant's steps are read, whatever id is asked for.
    """
    statement = select(ReviewDecision).where(
        ReviewDecision.kind == kind, ReviewDecision.subject_id == subject_id
    )
    tenant_id = current_tenant_id()
    if tenant_id is not None:
        statement = statement.where(ReviewDecision.tenant_id == tenant_id)
    return list(db.session.scalars(statement.order_by(ReviewDecision.id)))


def history_for_review(kind: str, subject_id: int) -> list[ReviewDecision]:
    """Return any tenant's item's review steps, oldest first (the operator's page)."""
    with system_context():
        return review_history(kind, subject_id)


def store_names(items) -> dict[int, str]:
    """Map the stores of these items to their names."""
    ids = {item.tenant_id for item in items if getattr(item, "tenant_id", None)}
    if not ids:
        return {}
    return dict(db.session.execute(select(Tenant.id, Tenant.name).where(Tenant.id.in_(ids))).all())


def stored_files(file_ids) -> dict[int, StoredFile]:
    """Return uploaded documents by id, whatever their tenant (the operator reviews them)."""
    ids = [file_id for file_id in file_ids if file_id is not None]
    if not ids:
        return {}
    with system_context():
        rows = db.session.scalars(select(StoredFile).where(StoredFile.id.in_(ids)))
        return {row.id: row for row in rows}
