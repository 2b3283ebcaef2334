"""The platform operator's review (SPEC §9): the one writer of every reviewable row's state.

Each reviewable kind (merchant application, enterprise filing, product filing, invoice issuer)
registers its model here once; its owner submits through `submit` inside its own use case, and
the operator decides through `decide`. Every step is written to the history (ReviewDecision).
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.events import EventName
from storefront.domain.reviews import DECISIONS, ReviewAction, ReviewState, next_state
from storefront.extensions import db
from storefront.models.review_decisions import ReviewDecision
from storefront.models.types import utcnow
from storefront.queries import review_queues
from storefront.services import outbox
from storefront.services.errors import NotFound
from storefront.tenancy import current_tenant_id, system_context

ACTOR_KINDS = frozenset({"operator", "staff", "applicant"})


@dataclass(frozen=True)
class ReviewKind:
    """A registered reviewable kind: its model (with the Reviewable columns) and its hook."""

    kind: str
    model: type
    title: str  # what the operator's queue calls it (a lazy translated string)
    on_decided: Callable[[object, ReviewDecision], None] | None = None


# Kinds are code, like models: registered when their service module is imported.
_KINDS: dict[str, ReviewKind] = {}


def register_kind(
    kind: str,
    model: type,
    *,
    title: str,
    on_decided: Callable[[object, ReviewDecision], None] | None = None,
) -> None:
    """Make `model` reviewable as `kind`; `on_decided(subject, decision)` runs in the decision's
    transaction (flush only), e.g. an approved application creates its store."""
    known = _KINDS.get(kind)
    if known is not None and known.model is not model:
        raise ValueError(f"review kind {kind!r} is registered for {known.model.__name__}")
    _KINDS[kind] = ReviewKind(kind, model, title, on_decided)


def kinds() -> dict[str, ReviewKind]:
    """Return the registered kinds, in registration order."""
    return dict(_KINDS)


def kind_of(kind: str) -> ReviewKind:
    """Return a registered kind, or raise NotFound (an unknown kind in a URL is a 404)."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise NotFound(f"review kind {kind}") from None


def submit(kind: str, subject, who: str, actor_kind: str) -> None:
    """Send `subject` to the operator's queue as a new version (flush only: the caller's use
    case commits). Refused when its state does not allow a submission."""
    kind_of(kind)
    previous = ReviewState(subject.review_state or ReviewState.DRAFT)
    target = next_state(previous, ReviewAction.SUBMIT, "")
    subject.review_version = (subject.review_version or 0) + 1
    subject.review_state, subject.submitted_at = target, utcnow()
    db.session.add(subject)
    _flush_beyond_tenants()  # a new subject gets its id
    _record(kind, subject, ReviewAction.SUBMIT, previous, "", who, actor_kind)
    _flush_beyond_tenants()


def _flush_beyond_tenants() -> None:
    """Flush; with no tenant in context (an applicant) in system context, the only one
    row-level security lets write and see rows of no tenant (migration 0020)."""
    if current_tenant_id() is not None:
        db.session.flush()
        return
    with system_context():
        db.session.flush()


def decide(
    kind: str, subject_id: int, action: ReviewAction, reason: str, who: str, seen_version: int
) -> None:
    """Approve, reject or ask for changes on any tenant's item (the operator's use case).

    `seen_version` is the version the operator looked at: an item submitted again since then
    is refused (REVIEW_STALE), so nobody decides on values they have not seen. The row is
    locked, so of two operators deciding at once the second sees the first's decision.
    """
    registered = kind_of(kind)
    if action not in DECISIONS:
        raise Refused(ErrorCode.REVIEW_NOT_ALLOWED, f"{action} is not a decision")
    reason = reason.strip()
    model = registered.model
    with system_context():  # the operator reviews every tenant's items
        subject = db.session.scalar(
            select(model)
            .where(model.id == subject_id)
            .with_for_update()
            .execution_options(populate_existing=True)  # decide on the locked row's values
        )
        if subject is None:
            raise NotFound(model.__name__)
        if subject.review_version != seen_version:
            raise Refused(ErrorCode.REVIEW_STALE, f"version {subject.review_version}")
        previous = ReviewState(subject.review_state)
        subject.review_state = next_state(previous, action, reason)
        subject.last_reason = reason
        decision = _record(kind, subject, action, previous, reason, who, "operator")
        if registered.on_decided is not None:
            registered.on_decided(subject, decision)
        if decision.tenant_id is not None:  # the outbox is per tenant; applications have none
            outbox.record(
                EventName.REVIEW_DECIDED,
                tenant_id=decision.tenant_id,
                kind=kind,
                subject_id=subject.id,
                action=action,
                to_state=decision.to_state,
                version=decision.version,
            )
        db.session.commit()


def _record(kind, subject, action, previous, reason, who, actor_kind) -> ReviewDecision:
    if actor_kind not in ACTOR_KINDS:
        raise ValueError(f"unknown actor kind {actor_kind!r}")
    decision = ReviewDecision(
        kind=kind,
        subject_id=subject.id,
        tenant_id=getattr(subject, "tenant_id", None),
        action=action,
        from_state=previous,
        to_state=subject.review_state,
        reason=reason,
        actor=who,
        actor_kind=actor_kind,
        version=subject.review_version,
        at=utcnow(),
    )
    db.session.add(decision)
    return decision


def history(kind: str, subject_id: int) -> list[ReviewDecision]:
    """Return an item's review steps, oldest first (only the tenant's own with one in context;
    callers load the item first, merchants through the tenant filter)."""
    return review_queues.review_history(kind, subject_id)


def pending_counts() -> dict[str, int]:
    """Count the submitted items waiting for the operator, per registered kind (all tenants)."""
    counts = {}
    with system_context():
        for kind, registered in _KINDS.items():
            model = registered.model
            counts[kind] = db.session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.review_state == ReviewState.SUBMITTED)
            )
    return counts
