"""The one review mechanism (SPEC §9) on a real kind, product filings: decisions need the
version the operator saw, reject and ask-for-changes need a reason, every step is written
once, events leave after the commit, and two operators deciding at once make one decision."""

import pytest
from sqlalchemy import func, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.events import EventName
from storefront.domain.reviews import ReviewAction, ReviewState
from storefront.extensions import db
from storefront.models import OutboxEvent, ProductFiling, ReviewDecision
from storefront.services import reviews
from storefront.services.customs_filings import PRODUCT_KIND, save_product_filing
from storefront.services.errors import NotFound
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

A = ReviewAction
OPERATOR = "reviewer@platform.example"
THREADS = 6


def _submitted(tenant_id: int) -> ProductFiling:
    """A product filing of the tenant, submitted once (version 1)."""
    with tenant_context(tenant_id):
        supplier, template = factories.supplier(), factories.template()
        product = factories.product(supplier, "99.00", template, "cross_border_retail", filed=False)
        filing = ProductFiling(product_id=product.id, **_filed(product))
        reviews.submit(PRODUCT_KIND, filing, "owner@store.example", "staff")
        return filing


def _filed(product) -> dict:
    row = factories.product_filing(product)  # an approved row, copied as the merchant files it
    values = {c.key: getattr(row, c.key) for c in ProductFiling.__table__.columns}
    db.session.delete(row)
    db.session.flush()
    drop = {"id", "tenant_id", "product_id", "review_state", "review_version", "submitted_at"}
    return {key: value for key, value in values.items() if key not in drop | {"last_reason"}}


def _steps(filing_id: int) -> list[tuple]:
    with system_context():
        rows = db.session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.kind == PRODUCT_KIND, ReviewDecision.subject_id == filing_id)
            .order_by(ReviewDecision.id)
        )
        return [(r.action, r.from_state, r.to_state, r.version, r.reason) for r in rows]


def _state(filing_id: int) -> tuple:
    db.session.expire_all()
    with system_context():
        row = db.session.scalar(select(ProductFiling).where(ProductFiling.id == filing_id))
        return row.review_state, row.review_version, row.last_reason


def test_the_operator_decides_once_and_each_step_is_written_once(tenants):
    filing = _submitted(tenants.b.tenant.id)
    reviews.decide(PRODUCT_KIND, filing.id, A.ASK_CHANGES, " 请补充成分表 ", OPERATOR, 1)
    assert _state(filing.id) == ("needs_changes", 1, "请补充成分表")
    with tenant_context(tenants.b.tenant.id):
        reviews.submit(PRODUCT_KIND, _reload(filing.id), "owner@store.example", "staff")
    reviews.decide(PRODUCT_KIND, filing.id, A.APPROVE, "", OPERATOR, 2)
    assert _state(filing.id) == ("approved", 2, "")
    assert _steps(filing.id) == [
        ("submit", "draft", "submitted", 1, ""),
        ("ask_changes", "submitted", "needs_changes", 1, "请补充成分表"),
        ("submit", "needs_changes", "submitted", 2, ""),
        ("approve", "submitted", "approved", 2, ""),
    ]


def _reload(filing_id: int) -> ProductFiling:
    return db.session.scalar(select(ProductFiling).where(ProductFiling.id == filing_id))


def test_a_decision_on_a_version_the_operator_did_not_see_is_refused(tenants):
    filing = _submitted(tenants.b.tenant.id)
    for stale in (0, 2):
        with pytest.raises(Refused) as refused:
            reviews.decide(PRODUCT_KIND, filing.id, A.APPROVE, "", OPERATOR, stale)
        assert refused.value.code == ErrorCode.REVIEW_STALE
    assert _state(filing.id) == ("submitted", 1, "")
    assert len(_steps(filing.id)) == 1  # the submission only


@pytest.mark.parametrize("action", [A.REJECT, A.ASK_CHANGES])
def test_reject_and_ask_for_changes_are_refused_without_a_reason(tenants, action):
    filing = _submitted(tenants.b.tenant.id)
    with pytest.raises(Refused) as refused:
        reviews.decide(PRODUCT_KIND, filing.id, action, "  \n ", OPERATOR, 1)
    assert refused.value.code == ErrorCode.REVIEW_REASON_REQUIRED
    assert _state(filing.id) == ("submitted", 1, "") and len(_steps(filing.id)) == 1


def test_a_decided_item_takes_no_second_decision_and_submit_is_no_decision(tenants):
    filing = _submitted(tenants.b.tenant.id)
    reviews.decide(PRODUCT_KIND, filing.id, A.REJECT, "资料不符", OPERATOR, 1)
    for action in (A.APPROVE, A.SUBMIT):
        with pytest.raises(Refused) as refused:
            reviews.decide(PRODUCT_KIND, filing.id, action, "", OPERATOR, 1)
        assert refused.value.code == ErrorCode.REVIEW_NOT_ALLOWED
    assert _state(filing.id)[0] == "rejected" and len(_steps(filing.id)) == 2


def test_an_unknown_kind_or_item_is_not_found(tenants):
    with pytest.raises(NotFound):
        reviews.decide("warehouse", 1, A.APPROVE, "", OPERATOR, 1)
    with pytest.raises(NotFound):
        reviews.decide(PRODUCT_KIND, 10**9, A.APPROVE, "", OPERATOR, 1)


def test_the_decision_raises_one_event_for_the_items_store(tenants):
    filing = _submitted(tenants.b.tenant.id)
    reviews.decide(PRODUCT_KIND, filing.id, A.APPROVE, "", OPERATOR, 1)
    with tenant_context(tenants.b.tenant.id):
        [event] = db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.name == EventName.REVIEW_DECIDED)
        ).all()
    assert event.data == {
        "kind": PRODUCT_KIND,
        "subject_id": str(filing.id),
        "action": "approve",
        "to_state": "approved",
        "version": "1",
    }


def test_a_merchant_reads_only_its_own_items_history(tenants):
    theirs = _submitted(tenants.b.tenant.id)
    ours = _submitted(tenants.a.tenant.id)
    with tenant_context(tenants.a.tenant.id):
        assert reviews.history(PRODUCT_KIND, theirs.id) == []
        assert [step.action for step in reviews.history(PRODUCT_KIND, ours.id)] == ["submit"]


def test_pending_counts_count_submitted_items_of_every_store(tenants):
    before = reviews.pending_counts()[PRODUCT_KIND]
    _submitted(tenants.a.tenant.id)
    _submitted(tenants.b.tenant.id)
    counts = reviews.pending_counts()
    assert counts[PRODUCT_KIND] == before + 2
    assert set(counts) >= {PRODUCT_KIND, "enterprise_filing"}


def test_a_merchants_change_while_submitted_is_no_new_version(app, tenants):
    filing = _submitted(tenants.a.tenant.id)
    with (
        app.test_request_context(),
        tenant_context(tenants.a.tenant.id),
        pytest.raises(Refused) as refused,
    ):
        save_product_filing(filing.product_id, {"hs_code": "3304100000"}, "x@y.cn")
    assert refused.value.code == ErrorCode.UNDER_REVIEW
    assert _state(filing.id) == (ReviewState.SUBMITTED, 1, "")


@pytest.fixture
def racing(database_url, app):
    with race_app(database_url, THREADS) as racing_app:
        yield racing_app


def test_operators_deciding_at_once_make_exactly_one_decision(racing):
    with racing.app_context():
        tenant = factories.tenant()
        filing_id = _submitted(tenant.id).id
        db.session.commit()
        db.session.remove()
    actions = [A.APPROVE, A.REJECT, A.ASK_CHANGES] * THREADS

    def decide(i, barrier):
        with racing.app_context():
            barrier.wait()
            try:
                reviews.decide(PRODUCT_KIND, filing_id, actions[i], "原因", f"op{i}@x.cn", 1)
            except Refused as refused:
                return refused.code
            finally:
                db.session.remove()
            return "decided"

    results = all_at_once(THREADS, decide)
    assert sorted(results).count("decided") == 1
    assert set(results) - {"decided"} == {ErrorCode.REVIEW_NOT_ALLOWED}
    with racing.app_context(), system_context():
        decisions = db.session.scalar(
            select(func.count())
            .select_from(ReviewDecision)
            .where(ReviewDecision.subject_id == filing_id, ReviewDecision.action != "submit")
        )
        db.session.remove()
    assert decisions == 1
