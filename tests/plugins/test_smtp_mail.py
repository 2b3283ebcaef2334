"""The SMTP mailer against a local sink: what reaches the server, and how failures read."""

import socket
from email import message_from_bytes, policy

import pytest

from plugins.smtp_mail import SmtpMailer
from storefront.ports import MailMessage, PortError, PortUnavailable
from tests.support.smtp_sink import smtp_sink

MESSAGE = MailMessage(
    ("new.staff@example.com",), "邀请您加入商家后台", "打开链接：http://x/1", "<p>打开链接</p>"
)


def _mailer(sink, **overrides) -> SmtpMailer:
    settings = {"host": "127.0.0.1", "port": str(sink.port), "security": "none"}
    settings |= {"sender": "noreply@kuajing.example", **overrides}
    return SmtpMailer.from_settings(settings)


def test_a_message_reaches_the_server_with_both_parts_after_signing_in():
    with smtp_sink(user="mailer", password="s3cret") as sink:
        message_id = _mailer(sink, username="mailer", password="s3cret").send(MESSAGE)
    assert sink.logins == ["mailer"]
    [received] = sink.messages
    assert received["from"] == "noreply@kuajing.example"
    assert received["to"] == ["new.staff@example.com"]
    mail = message_from_bytes(received["data"], policy=policy.default)
    assert mail["Subject"] == "邀请您加入商家后台" and mail["Message-ID"] == message_id
    assert mail.get_body(("plain",)).get_content().strip() == "打开链接：http://x/1"
    assert mail.get_body(("html",)).get_content().strip() == "<p>打开链接</p>"


def test_a_refused_login_is_a_settings_error_and_nothing_is_sent():
    with smtp_sink(user="mailer", password="s3cret") as sink, pytest.raises(PortError) as failed:
        _mailer(sink, username="mailer", password="wrong").send(MESSAGE)
    assert failed.value.code == "bad_settings" and sink.messages == []


def test_a_refused_recipient_is_rejected_without_naming_the_address():
    with smtp_sink(refuse={"new.staff@example.com"}) as sink, pytest.raises(PortError) as failed:
        _mailer(sink).send(MESSAGE)
    assert failed.value.code == "rejected" and "example.com" not in failed.value.message


def test_starttls_never_falls_back_to_plain_text():
    with smtp_sink() as sink, pytest.raises(PortError) as failed:  # the sink offers no STARTTLS
        _mailer(sink, security="starttls").send(MESSAGE)
    assert failed.value.code == "bad_settings" and sink.messages == []


def test_a_server_that_cannot_be_reached_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = SmtpMailer.from_settings(
        {"host": "127.0.0.1", "port": str(port), "security": "none", "sender": "a@b.example"}
    )
    with pytest.raises(PortUnavailable):
        mailer.send(MESSAGE)


def test_a_message_without_a_real_address_is_refused_before_connecting():
    mailer = SmtpMailer.from_settings({"host": "192.0.2.1", "sender": "a@b.example"})
    with pytest.raises(PortError) as failed:
        mailer.send(MailMessage(("nobody",), "s", "t"))
    assert failed.value.code == "bad_recipient"


def test_a_password_never_travels_unencrypted_beyond_this_machine():
    settings = {"host": "smtp.example.com", "security": "none", "sender": "a@b.example"}
    with pytest.raises(PortError) as refused:
        SmtpMailer.from_settings({**settings, "username": "u", "password": "p"})
    assert refused.value.code == "bad_settings"
