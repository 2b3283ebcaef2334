"""The platform operator's review (SPEC §9, seed 000 steps 1-2): one state table for every kind.

Merchant applications, customs enterprise filings, product filings and invoice issuers all move
through the same states; storefront.services.reviews is the only writer of a row's state.
"""

from enum import StrEnum

from storefront.domain.errors import ErrorCode, Refused


class ReviewState(StrEnum):
    DRAFT = "draft"  # saved by its owner, not yet sent to the operator
    SUBMITTED = "submitted"  # waiting in the operator's queue
    NEEDS_CHANGES = "needs_changes"  # the operator asked its owner to correct it
    APPROVED = "approved"
    REJECTED = "rejected"


class ReviewAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    ASK_CHANGES = "ask_changes"


S, A = ReviewState, ReviewAction
# (state, action) -> next state; a pair not in the table is refused.
TRANSITIONS: dict[tuple[ReviewState, ReviewAction], ReviewState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.NEEDS_CHANGES, A.SUBMIT): S.SUBMITTED,
    (S.REJECTED, A.SUBMIT): S.SUBMITTED,
    # an approved item that its owner changes goes back to review (seed 000 step 2: only what
    # passed the review may be used, and the change has not passed it)
    (S.APPROVED, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.ASK_CHANGES): S.NEEDS_CHANGES,
}

# Decisions that must say why (SPEC §9: the operator rejects "with a reason").
REASON_REQUIRED = frozenset({A.REJECT, A.ASK_CHANGES})
# The operator's decisions; SUBMIT is the owner's.
DECISIONS = (A.APPROVE, A.ASK_CHANGES, A.REJECT)


def next_state(state: ReviewState, action: ReviewAction, reason: str) -> ReviewState:
    """Return the state `action` leads to from `state`, or refuse the move."""
    target = TRANSITIONS.get((ReviewState(state), ReviewAction(action)))
    if target is None:
        raise Refused(ErrorCode.REVIEW_NOT_ALLOWED, f"{action} from {state}")
    if action in REASON_REQUIRED and not reason.strip():
        raise Refused(ErrorCode.REVIEW_REASON_REQUIRED, f"{action} without a reason")
    return target
