"""A merchant applies, the operator decides, an approval makes the store (seed 000 step 1)."""

import io

import pytest
from flask import g
from sqlalchemy import func, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewAction, ReviewState
from storefront.extensions import db
from storefront.jobs import dispatch_committed_events
from storefront.models import Applicant, MerchantApplication, StaffUser, Tenant
from storefront.queries.applications import history_of
from storefront.services import applications, demo_applications, reviews
from storefront.services.applications import KIND, ApplicationRefused
from storefront.tenancy import system_context
from tests.support import applications as support
from tests.support import factories
from tests.support.mail import sent_to


def _mails(address: str):
    """What was mailed to `address` once the request's deferred jobs ran (as after a response)."""
    dispatch_committed_events()
    for job, tenant_id, args in g.pop("deferred_jobs", []):
        job.in_process(tenant_id, *args)
    return sent_to(address)


@pytest.fixture(autouse=True)
def _request(app, session):
    """The operator decides in a request: the mails link to the site's own address."""
    with app.test_request_context(base_url="https://kuajing.example"):
        yield


def _decide(application, action, reason=""):
    reviews.decide(
        KIND, application.id, action, reason, "op@example.com", application.review_version
    )


def test_a_complete_application_is_submitted_with_its_documents(session):
    _person, application = support.submitted("haitao-mall")
    assert application.review_state == ReviewState.SUBMITTED
    assert application.credit_code == support.VALID_CODE
    assert all(application.document_ids().values())
    assert reviews.pending_counts()[KIND] == 1


def test_a_draft_may_be_incomplete_but_a_submission_may_not(session):
    person = support.applicant()
    draft = applications.save(person, support.values(company_name=""), {}, submit=False)
    assert draft.review_state == ReviewState.DRAFT
    with pytest.raises(ApplicationRefused) as refused:
        applications.save(person, support.values(company_name=""), {}, submit=True)
    missing = refused.value.errors
    assert set(missing) == {"company_name", *support.documents()}
    assert db.session.get(MerchantApplication, draft.id).review_state == ReviewState.DRAFT


def test_every_wrong_field_is_reported_at_once_and_nothing_is_kept(session):
    person = support.applicant()
    wrong = support.values("api", credit_code="91350100M000100Y44")
    uploads = {"agreement": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "agreement.pdf")}
    with pytest.raises(ApplicationRefused) as refused:
        applications.save(person, wrong, uploads, submit=False)
    assert refused.value.errors == {
        "credit_code": [ErrorCode.CREDIT_CODE_CHECK],
        "store_slug": [ErrorCode.SLUG_RESERVED],
        "agreement": [ErrorCode.UPLOAD_TYPE],
    }
    assert db.session.scalar(select(func.count()).select_from(MerchantApplication)) == 0


def test_an_address_is_held_by_a_store_or_an_application_in_review(session, tenants):
    with pytest.raises(ApplicationRefused) as refused:
        support.submitted(tenants.a.tenant.slug)
    assert refused.value.errors == {"store_slug": [ErrorCode.SLUG_TAKEN]}
    support.submitted("haitao-mall")
    with pytest.raises(ApplicationRefused) as refused:
        applications.save(support.applicant(), support.values("Haitao-Mall"), {}, submit=False)
    assert refused.value.errors == {"store_slug": [ErrorCode.SLUG_TAKEN]}


def test_a_rejected_application_frees_its_address(session):
    _person, application = support.submitted("haitao-mall")
    _decide(application, ReviewAction.REJECT, "营业执照已过期")
    other = applications.save(support.applicant(), support.values("haitao-mall"), {}, False)
    assert other.store_slug == "haitao-mall"


def test_the_applicant_cannot_change_what_the_operator_is_reviewing(session):
    person, application = support.submitted()
    with pytest.raises(Refused) as refused:
        applications.save(person, support.values(application.store_slug), {}, submit=False)
    assert refused.value.code == ErrorCode.UNDER_REVIEW


def test_asked_for_changes_the_applicant_corrects_and_resubmits(session):
    person, application = support.submitted()
    _decide(application, ReviewAction.ASK_CHANGES, "请上传清晰的营业执照")
    assert application.review_state == ReviewState.NEEDS_CHANGES
    assert "请上传清晰的营业执照" in _mails(person.email)[-1].text
    licence = {"business_licence": support.documents()["business_licence"]}
    before = application.business_licence_id
    applications.save(person, support.values(application.store_slug), licence, submit=True)
    assert application.review_state == ReviewState.SUBMITTED
    assert application.review_version == 2
    assert application.business_licence_id != before
    steps = [step.action for step in history_of(application)]
    assert steps == ["submit", "ask_changes", "submit"]


def test_approval_creates_the_store_not_yet_open_and_its_owner(session):
    person, application = support.submitted("haitao-mall")
    _decide(application, ReviewAction.APPROVE)
    with system_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "haitao-mall"))
        owner = db.session.scalar(select(StaffUser).where(StaffUser.email == person.email))
    assert tenant.name == application.store_name and tenant.opened_at is None
    assert application.tenant_id == tenant.id
    assert owner.tenant_id == tenant.id and owner.is_owner
    assert owner.check_password(factories.PASSWORD)  # the password chosen when applying
    mail = _mails(person.email)[-1]
    assert "/admin/login" in mail.text and "haitao-mall" not in mail.subject


def test_an_approved_application_is_closed(session):
    person, application = support.submitted()
    _decide(application, ReviewAction.APPROVE)
    with pytest.raises(Refused) as refused:
        applications.save(person, support.values(application.store_slug), {}, submit=True)
    assert refused.value.code == ErrorCode.APPLICATION_DECIDED


def test_an_approval_whose_address_was_taken_meanwhile_is_refused_whole(session):
    _person, application = support.submitted("haitao-mall")
    factories.tenant("haitao-mall")
    with pytest.raises(Refused) as refused:
        _decide(application, ReviewAction.APPROVE)
    assert refused.value.code == ErrorCode.SLUG_TAKEN
    found = db.session.get(MerchantApplication, application.id)
    assert found.review_state == ReviewState.SUBMITTED and found.tenant_id is None


def test_sign_up_does_not_tell_which_addresses_have_accounts(session, tenants):
    applications.sign_up(" New@Example.com ", "a long enough passphrase")
    assert db.session.scalar(select(Applicant).where(Applicant.email == "new@example.com"))
    applications.sign_up(tenants.a.owner.email, "a long enough passphrase")  # no error
    assert (
        db.session.scalar(select(Applicant).where(Applicant.email == tenants.a.owner.email)) is None
    )
    assert "已有账号" in _mails(tenants.a.owner.email)[-1].text  # Chinese first


def test_the_demo_submits_one_application_once(session):
    demo_applications.add_submitted_application("demo passphrase 2025")
    demo_applications.add_submitted_application("demo passphrase 2025")
    [application] = db.session.scalars(select(MerchantApplication)).all()
    assert application.review_state == ReviewState.SUBMITTED
    assert all(application.document_ids().values())


def test_an_application_submitted_unconfirmed_is_not_approved(session):
    """One submitted before confirmations were asked for waits until its address is proven."""
    person, application = support.submitted()
    person.email_confirmed_at = None
    db.session.flush()
    with pytest.raises(Refused) as refused:
        _decide(application, ReviewAction.APPROVE)
    assert refused.value.code == ErrorCode.EMAIL_NOT_CONFIRMED
    with system_context():
        owner = db.session.scalar(select(StaffUser.id).where(StaffUser.email == person.email))
    assert owner is None
    assert db.session.get(MerchantApplication, application.id).review_state == "submitted"
