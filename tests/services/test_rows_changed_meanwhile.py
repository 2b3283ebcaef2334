"""A use case that locks its row decides on the row as locked, not on the copy its request read
earlier: a change committed in between (another request, another operator) is seen."""

import pytest
from sqlalchemy import func, select, update

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import (
    MerchantApplication,
    StaffInvite,
    StaffUser,
    Tenant,
    TenantStatusEvent,
)
from storefront.models.types import utcnow
from storefront.queries import applications as application_queries
from storefront.services import applications, password_reset, staff, store_opening, suspension
from storefront.tenancy import system_context, tenant_context
from tests.support import applications as support
from tests.support import factories


def _meanwhile(model, row_id: int, **values) -> None:
    """Change the row in the database only, as another transaction that committed would:
    the copy this session already holds keeps its old values."""
    with system_context():
        db.session.execute(
            update(model).where(model.id == row_id).values(**values),
            execution_options={"synchronize_session": False},
        )


def test_a_save_does_not_change_an_application_submitted_since_the_page_read_it(app, session):
    person = support.applicant()
    applications.save(person, support.values(), support.documents(), submit=False)
    read = application_queries.application_of(person.id)  # what the page's view loads first
    _meanwhile(MerchantApplication, read.id, review_state=ReviewState.SUBMITTED, review_version=1)
    with app.test_request_context(), pytest.raises(Refused) as refused:
        applications.save(person, support.values(store_name="换了名字"), {}, submit=False)
    assert refused.value.code == ErrorCode.UNDER_REVIEW
    db.session.expire_all()
    assert application_queries.application_of(person.id).store_name == "海淘优选"


def test_an_invitation_revoked_while_its_link_is_opened_is_not_accepted(
    app, session, tenants, monkeypatch
):
    with tenant_context(tenants.a.tenant.id), app.test_request_context():
        invite = staff.invite_staff(
            {"name": "李四", "email": "late@example.com", "role": "staff"}, tenants.a.owner
        )
    find = staff.find_invite

    def found_then_revoked(token):
        found = find(token)
        _meanwhile(StaffInvite, found.id, revoked_at=utcnow())  # the owner withdrew it
        return found

    monkeypatch.setattr(staff, "find_invite", found_then_revoked)
    monkeypatch.setattr(staff, "token_hash", lambda token: invite.token_hash)
    with pytest.raises(Refused) as refused:
        staff.accept_invite("the link's token", "李四", "a fresh staff password")
    assert refused.value.code == ErrorCode.INVITE_REVOKED


def test_a_store_suspended_by_another_operator_meanwhile_is_not_suspended_twice(session, tenants):
    store = tenants.a.tenant
    db.session.scalar(select(Tenant).where(Tenant.id == store.id))  # the page showed the store
    _meanwhile(Tenant, store.id, suspended_at=utcnow())
    assert suspension.suspend(store.id, "twice", tenants.operator) is False
    with tenant_context(store.id):
        events = db.session.scalar(select(func.count()).select_from(TenantStatusEvent))
    assert events == 0


def test_a_store_opened_by_another_owner_meanwhile_is_not_opened_again(session):
    store = factories.tenant()
    store.opened_at = None  # approved from an application, not yet opened (a default opens)
    db.session.flush()
    with tenant_context(store.id):
        db.session.scalar(select(Tenant).where(Tenant.id == store.id))  # the request's store
        _meanwhile(Tenant, store.id, opened_at=utcnow())
        assert store_opening.open_store("owner@example.com") is False


def test_a_reset_link_used_meanwhile_by_its_signed_in_account_is_not_used_again(session, tenants):
    owner = tenants.a.owner  # signed in: the request loaded the account before the link's use
    token = password_reset._serializer().dumps(
        ["staff", owner.tenant_id, owner.id, owner.session_version]
    )
    _meanwhile(StaffUser, owner.id, session_version=owner.session_version + 1)  # the link used
    with pytest.raises(Refused) as refused:
        password_reset.reset_password(token, "another fresh password")
    assert refused.value.code == ErrorCode.RESET_LINK_INVALID
