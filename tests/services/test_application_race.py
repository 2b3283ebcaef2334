"""Operators approving one application at the same moment make exactly one store."""

import pytest
from sqlalchemy import func, select

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewAction
from storefront.extensions import db
from storefront.models import StaffUser, Tenant
from storefront.services import reviews
from storefront.services.applications import KIND
from storefront.tenancy import system_context
from tests.support import applications as support
from tests.support.race import all_at_once, race_app

THREADS = 4


@pytest.fixture
def racing(database_url, app, tmp_path):
    with race_app(database_url, THREADS, UPLOAD_FOLDER=str(tmp_path)) as racing_app:
        yield racing_app


def test_approving_twice_at_once_creates_one_store_and_one_owner(racing):
    with racing.app_context():
        _person, application = support.submitted("haitao-mall")
        application_id = application.id
        db.session.remove()

    def approve(i, barrier):
        with racing.test_request_context(base_url="https://kuajing.example"):
            barrier.wait()
            try:
                reviews.decide(KIND, application_id, ReviewAction.APPROVE, "", f"op{i}@x.cn", 1)
            except Refused as refused:
                return refused.code
            finally:
                db.session.remove()
            return "approved"

    results = all_at_once(THREADS, approve)
    assert results.count("approved") == 1
    assert set(results) - {"approved"} == {ErrorCode.REVIEW_NOT_ALLOWED}
    with racing.app_context(), system_context():
        stores = db.session.scalar(
            select(func.count()).select_from(Tenant).where(Tenant.slug == "haitao-mall")
        )
        owners = db.session.scalar(select(func.count()).select_from(StaffUser))
        db.session.remove()
    assert (stores, owners) == (1, 1)
