"""The review state table (SPEC §9): every (state, action) pair, and the reasons decisions need."""

import itertools

import pytest

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewAction, ReviewState, next_state

S, A = ReviewState, ReviewAction
# What each pair leads to; None: refused. Every pair is listed, so a change to the table
# must change this one too.
EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.APPROVE): None,
    (S.DRAFT, A.REJECT): None,
    (S.DRAFT, A.ASK_CHANGES): None,
    (S.SUBMITTED, A.SUBMIT): None,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.ASK_CHANGES): S.NEEDS_CHANGES,
    (S.NEEDS_CHANGES, A.SUBMIT): S.SUBMITTED,
    (S.NEEDS_CHANGES, A.APPROVE): None,
    (S.NEEDS_CHANGES, A.REJECT): None,
    (S.NEEDS_CHANGES, A.ASK_CHANGES): None,
    (S.APPROVED, A.SUBMIT): S.SUBMITTED,  # a changed approved item is reviewed again
    (S.APPROVED, A.APPROVE): None,
    (S.APPROVED, A.REJECT): None,
    (S.APPROVED, A.ASK_CHANGES): None,
    (S.REJECTED, A.SUBMIT): S.SUBMITTED,
    (S.REJECTED, A.APPROVE): None,
    (S.REJECTED, A.REJECT): None,
    (S.REJECTED, A.ASK_CHANGES): None,
}


def test_the_expectations_cover_every_pair():
    assert set(EXPECTED) == set(itertools.product(ReviewState, ReviewAction))


@pytest.mark.parametrize(("pair", "target"), EXPECTED.items(), ids=lambda v: str(v))
def test_each_pair_moves_or_is_refused(pair, target):
    state, action = pair
    if target is None:
        with pytest.raises(Refused) as refused:
            next_state(state, action, "a reason")
        assert refused.value.code == ErrorCode.REVIEW_NOT_ALLOWED
    else:
        assert next_state(state, action, "a reason") == target


@pytest.mark.parametrize("action", [A.REJECT, A.ASK_CHANGES])
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_reject_and_ask_for_changes_need_a_reason(action, reason):
    with pytest.raises(Refused) as refused:
        next_state(S.SUBMITTED, action, reason)
    assert refused.value.code == ErrorCode.REVIEW_REASON_REQUIRED


@pytest.mark.parametrize("action", [A.APPROVE, A.SUBMIT])
def test_approval_and_submission_need_no_reason(action):
    state = S.SUBMITTED if action == A.APPROVE else S.DRAFT
    assert next_state(state, action, "") in (S.APPROVED, S.SUBMITTED)


def test_a_move_the_table_refuses_says_so_before_the_missing_reason():
    with pytest.raises(Refused) as refused:
        next_state(S.APPROVED, A.REJECT, "")
    assert refused.value.code == ErrorCode.REVIEW_NOT_ALLOWED
