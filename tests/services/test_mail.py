"""The platform's mail: queued in the use case, sent by a job after commit, failures kept."""

import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.jobs import dispatch_committed_events
from storefront.models import OutgoingMail
from storefront.ports import PortError, PortUnavailable
from storefront.services import mail
from tests.support.mail import sent_to


def _commit() -> None:
    """Commit as a request does: its after-commit jobs run once it ends (in-process here)."""
    db.session.commit()
    dispatch_committed_events()


def _row(mail_id: int) -> OutgoingMail:
    db.session.expire_all()
    return db.session.scalar(select(OutgoingMail).where(OutgoingMail.id == mail_id))


def test_a_message_is_sent_after_commit_and_its_text_dropped(session):
    queued = mail.send_mail("after.commit@example.com", "主题", "正文 http://x/1", "<p>正文</p>")
    assert sent_to("after.commit@example.com") == []  # not before the commit
    _commit()
    [message] = sent_to("after.commit@example.com")
    assert (message.subject, message.text, message.html) == (
        "主题",
        "正文 http://x/1",
        "<p>正文</p>",
    )
    row = _row(queued.id)
    assert (row.status, row.attempts, row.text, row.html) == ("sent", 1, None, None)
    assert row.sent_at is not None and row.provider_id


def test_a_rolled_back_use_case_sends_nothing(session):
    mail.send_mail("rolled.back@example.com", "主题", "正文")
    db.session.rollback()
    assert sent_to("rolled.back@example.com") == []


def test_delivering_twice_sends_once(session):
    queued = mail.send_mail("twice@example.com", "主题", "正文")
    _commit()
    mail.deliver(queued.id)
    assert len(sent_to("twice@example.com")) == 1


class _Failing:
    def __init__(self, error: PortError) -> None:
        self.error = error

    def send(self, message):
        raise self.error


def test_a_refused_message_stays_failed_with_its_error_until_retried(session, monkeypatch):
    real_get = mail.registry.get
    monkeypatch.setattr(
        mail.registry, "get", lambda port, tenant: _Failing(PortError("rejected", "refused"))
    )
    queued = mail.send_mail("bounced@example.com", "主题", "正文")
    _commit()
    row = _row(queued.id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "rejected: refused")
    assert row.text == "正文"  # kept for the retry
    monkeypatch.setattr(mail.registry, "get", real_get)
    mail.retry(queued.id)
    dispatch_committed_events()
    assert _row(queued.id).status == "sent" and len(sent_to("bounced@example.com")) == 1


def test_an_outage_is_recorded_and_raised_for_the_queue_to_retry(session, monkeypatch):
    queued = mail.send_mail("outage@example.com", "主题", "正文")
    db.session.flush()
    down = _Failing(PortUnavailable("unavailable", "down"))
    monkeypatch.setattr(mail.registry, "get", lambda port, tenant: down)
    with pytest.raises(PortUnavailable):
        mail.deliver(queued.id)
    assert _row(queued.id).status == "failed"
