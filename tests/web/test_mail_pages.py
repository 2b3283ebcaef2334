"""The platform's mail pages: the operator's list with retries, and the demo's outbox."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import OutgoingMail
from storefront.services import mail
from tests.support.mail import sent_to
from tests.web.helpers import login_operator, login_staff


def test_the_demo_outbox_shows_messages_with_their_links(client, tenants):
    login_staff(client, tenants.a.owner)
    client.post(
        "/admin/staff/invite",
        data={"name": "王五", "email": "outbox.reader@example.com", "role": "staff"},
    )
    page = client.get("/outbox").get_data(as_text=True)
    assert "outbox.reader@example.com" in page
    assert 'class="outbox-link"' in page and "/admin/invite/" in page


def test_the_outbox_is_not_offered_in_production_or_with_smtp(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TESTING", False)  # KUAJING_ENV is production in tests
    assert client.get("/outbox").status_code == 404
    monkeypatch.setitem(app.config, "TESTING", True)
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
    assert client.get("/outbox").status_code == 404


def test_the_operator_sees_failed_mail_without_its_text_and_sends_it_again(
    client, tenants, monkeypatch
):
    class Refusing:
        def send(self, message):
            raise mail.PortError("rejected", "the server refused the recipients")

    real_get = mail.registry.get
    monkeypatch.setattr(mail.registry, "get", lambda port, tenant: Refusing())
    login_operator(client, tenants.operator)
    client.post("/platform/password/forgot", data={"email": tenants.operator.email})
    row = db.session.scalar(
        select(OutgoingMail).where(OutgoingMail.recipient == tenants.operator.email)
    )
    page = client.get("/platform/mail").get_data(as_text=True)
    assert "rejected" in page and "/platform/password/reset/" not in page
    monkeypatch.setattr(mail.registry, "get", real_get)
    client.post(f"/platform/mail/{row.id}/retry")
    db.session.expire_all()
    assert row.status == "sent" and len(sent_to(tenants.operator.email)) == 1
