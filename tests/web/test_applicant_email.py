"""An applicant confirms its e-mail address by a mailed link before it may submit."""

import pytest
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Applicant, MerchantApplication
from storefront.services import applicant_email, applications
from tests.support import applications as support
from tests.support.applications import sign_up
from tests.support.mail import last_link, sent_to

PASSWORD = "applicant's first password"
CONFIRM_FIRST = "请先确认您的电子邮件"


@pytest.fixture
def applicant(client, session) -> Applicant:
    return sign_up(client, PASSWORD, "haitao-confirm.example")


def _sign_in(client, applicant: Applicant) -> None:
    response = client.post("/join/login", data={"email": applicant.email, "password": PASSWORD})
    assert response.status_code == 302


def _confirmed(applicant: Applicant) -> bool:
    db.session.expire_all()
    return applicant.email_confirmed_at is not None


def test_sign_up_mails_a_link_that_confirms_the_address_once(client, applicant):
    [message] = sent_to(applicant.email)
    assert "确认" in message.subject and "http://localhost/join/confirm/" in message.text
    link = last_link(applicant.email)
    _sign_in(client, applicant)
    page = client.get("/join/application").get_data(as_text=True)
    assert CONFIRM_FIRST in page and 'id="resend-confirmation"' in page
    assert client.get(link, follow_redirects=True).status_code == 200
    assert _confirmed(applicant)
    page = client.get("/join/application").get_data(as_text=True)
    assert CONFIRM_FIRST not in page and "resend-confirmation" not in page
    again = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "确认链接已过期" in again  # once only


def test_a_link_opened_signed_out_confirms_after_the_sign_in(client, applicant):
    opened = client.get(last_link(applicant.email))
    form = {"email": applicant.email, "password": PASSWORD}
    signed_in = client.post(opened.location, data=form)
    assert "/join/confirm/" in signed_in.location  # back to the link
    client.get(signed_in.location)
    assert _confirmed(applicant)


def test_the_link_needs_the_applicants_own_session(app, client, applicant):
    """Its address's owner clicking a link it never asked for confirms nothing alone."""
    link = last_link(applicant.email)
    opened = client.get(link)
    assert opened.status_code == 302 and "/join/login" in opened.location
    assert not _confirmed(applicant)
    stranger = support.applicant(confirmed=False)
    support.login_applicant(client, stranger)
    client.get(link)
    assert not _confirmed(applicant) and not _confirmed(stranger)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda link: link[:-3] + "abc",  # forged
        lambda link: link.replace("/confirm/", "/confirm/x"),
    ],
)
def test_a_spoiled_link_confirms_nothing(client, applicant, spoil):
    _sign_in(client, applicant)
    page = client.get(spoil(last_link(applicant.email)), follow_redirects=True)
    assert "确认链接已过期" in page.get_data(as_text=True)
    assert not _confirmed(applicant)


def test_an_expired_or_voided_link_is_refused(app, applicant, monkeypatch):
    token = last_link(applicant.email).rsplit("/", 1)[1]
    monkeypatch.setitem(app.config, "APPLICANT_CONFIRM_HOURS", -1)
    with pytest.raises(Refused) as expired:
        applicant_email.confirm_email(token, applicant)
    assert expired.value.code == ErrorCode.CONFIRM_LINK_INVALID
    monkeypatch.setitem(app.config, "APPLICANT_CONFIRM_HOURS", 48)
    applicant.set_password("a password changed since")  # voids the links sent before
    db.session.commit()
    with pytest.raises(Refused):
        applicant_email.confirm_email(token, applicant)
    assert not _confirmed(applicant)


def test_a_draft_is_saved_but_not_submitted_before_confirmation(client, applicant):
    _sign_in(client, applicant)
    with pytest.raises(Refused) as refused:
        applications.save(applicant, support.values(), support.documents(), submit=True)
    assert refused.value.code == ErrorCode.EMAIL_NOT_CONFIRMED
    assert db.session.scalar(select(MerchantApplication)) is None
    draft = applications.save(applicant, support.values(), support.documents(), submit=False)
    assert draft.review_state == "draft"


def test_the_link_is_sent_again_a_few_times_an_hour(app, client, applicant, monkeypatch):
    monkeypatch.setitem(app.config, "APPLICANT_CONFIRM_PER_HOUR", 2)
    _sign_in(client, applicant)
    for _ in range(2):
        page = client.post("/join/confirm", follow_redirects=True).get_data(as_text=True)
        assert "新的链接" in page
    page = client.post("/join/confirm", follow_redirects=True).get_data(as_text=True)
    assert "请一小时后再试" in page
    assert len(sent_to(applicant.email)) == 3  # the sign-up's and two more
    client.get(last_link(applicant.email))
    assert _confirmed(applicant)


def test_the_same_answer_for_an_address_in_use_and_no_link_for_it(client, applicant):
    page = client.post(
        "/join/",
        data={"email": applicant.email, "password": "another password 2025",
              "confirm": "another password 2025"},
        follow_redirects=True,
    )  # fmt: skip
    assert "我们已向您的电子邮件地址发送了一个链接" in page.get_data(as_text=True)
    _confirmation, exists = sent_to(applicant.email)
    assert "/join/confirm/" not in exists.text  # the address's owner is told, nothing opened
