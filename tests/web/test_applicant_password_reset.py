"""An applicant who forgot its password asks for a link on the application's sign-in page."""

import pytest

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Applicant
from storefront.services import password_reset
from tests.support.applications import sign_up
from tests.support.mail import last_link, sent_to

PASSWORD = "applicant's first password"
NEW = "a brand new reset password"
SAME_ANSWER = "如果有账号使用此邮箱"


@pytest.fixture
def applicant(client, session) -> Applicant:
    return sign_up(client, PASSWORD, "haitao-reset.example")


def _sign_in(client, applicant, password: str = PASSWORD):
    return client.post("/join/login", data={"email": applicant.email, "password": password})


def _reset(client, link: str, password: str = NEW):
    return client.post(link, data={"password": password, "confirm": password})


def test_the_sign_in_page_offers_the_link_in_chinese(client, session):
    body = client.get("/join/login").get_data(as_text=True)
    assert 'href="/join/password/forgot"' in body and "忘记密码" in body


def test_a_link_sets_the_password_once_and_ends_other_sessions(app, client, applicant):
    device = app.test_client()
    _sign_in(device, applicant)
    email = applicant.email
    assert device.get("/join/application").status_code == 200
    page = client.post("/join/password/forgot", data={"email": email.upper()})
    assert page.status_code == 302 and page.location.endswith("/join/login")
    assert SAME_ANSWER in client.get("/join/login").get_data(as_text=True)
    [_confirmation, message] = sent_to(email)  # the sign-up's own link, then the reset
    assert "重置" in message.subject and "开店申请" in message.text and email in message.text
    link = last_link(email)
    assert link.startswith("/join/password/reset/")
    assert _reset(client, link).status_code == 302
    db.session.expire_all()
    assert applicant.check_password(NEW) and not applicant.check_password(PASSWORD)
    assert device.get("/join/application").status_code == 302  # signed out everywhere
    again = _reset(client, link, "yet another password here")
    assert "已过期或已被使用" in again.get_data(as_text=True)  # once only
    assert _sign_in(client, applicant, NEW).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, applicant):
    page = client.post(
        "/join/password/forgot",
        data={"email": "nobody-applicant@haitao.example"},
        follow_redirects=True,
    )
    assert SAME_ANSWER in page.get_data(as_text=True)
    assert sent_to("nobody-applicant@haitao.example") == []


def test_a_staff_address_gets_no_applicant_link(client, tenants):
    client.post("/join/password/forgot", data={"email": tenants.a.owner.email})
    assert sent_to(tenants.a.owner.email) == []


def test_an_expired_link_is_refused(app, client, applicant, monkeypatch):
    client.post("/join/password/forgot", data={"email": applicant.email})
    token = last_link(applicant.email).rsplit("/", 1)[1]
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", -1)
    with pytest.raises(Refused) as expired:
        password_reset.reset_password(token, NEW)
    assert expired.value.code == ErrorCode.RESET_LINK_INVALID


def test_a_deactivated_applicant_gets_no_link(client, applicant):
    applicant.active = False
    db.session.flush()
    signed_up = sent_to(applicant.email)  # the confirmation link of the sign-up
    client.post("/join/password/forgot", data={"email": applicant.email})
    assert sent_to(applicant.email) == signed_up
