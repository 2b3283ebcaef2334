"""No ID number, phone, e-mail or password hash in the logs of a failing request."""

import contextlib
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import PendingRollbackError

from storefront.log_redaction import redact
from storefront.tenancy import system_context
from tests.support.factories import VALID_IDS
from tests.web.helpers import login_shopper

# Makes the real INSERT fail inside PostgreSQL, the way a constraint or an outage would.
REFUSE_INSERTS = """
CREATE FUNCTION refuse_insert() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_insert();
"""


@pytest.fixture
def failing_requests(app, monkeypatch, caplog):
    """Unhandled errors are answered and logged as in production, not raised to the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    caplog.set_level(logging.INFO)
    return caplog


def _refuse_inserts(session, table: str) -> None:
    with system_context():
        session.execute(text(REFUSE_INSERTS.format(table=table)))


def test_a_failing_identity_insert_logs_no_personal_data(
    client, session, tenants, failing_requests
):
    a = tenants.a
    login_shopper(client, a.tenant, a.shopper)
    _refuse_inserts(session, "buyer_identities")
    # the signed-in error page reads the failed session again: its own error is not ours
    with contextlib.suppress(PendingRollbackError):
        response = client.post(
            f"/s/{a.tenant.slug}/account/identities/new",
            data={"real_name": "李四", "id_number": VALID_IDS[1], "phone": "13900139000"},
        )
        assert response.status_code == 500
    logged = failing_requests.text
    assert "refused for the test" in logged  # the error itself is logged
    assert VALID_IDS[1] not in logged and "13900139000" not in logged
    assert "李四" not in logged  # SQL parameters are never rendered


def test_a_failing_registration_logs_no_password_hash_or_e_mail(
    client, session, tenants, failing_requests
):
    _refuse_inserts(session, "shoppers")
    response = client.post(
        f"/s/{tenants.a.tenant.slug}/register",
        data={
            "name": "王五",
            "email": "wang@example.com",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
        },
    )
    assert response.status_code == 500
    logged = failing_requests.text
    assert "refused for the test" in logged
    assert "scrypt:" not in logged and "pbkdf2:" not in logged
    assert "wang@example.com" not in logged


def test_any_logger_has_personal_data_and_secrets_replaced(caplog):
    logging.getLogger("some.library").warning(
        "payer %s phone +86 13800138000 mail li@example.com hash %s key %s api %s %s",
        "１１０１０５１９４９１２３１００２Ｘ",
        "scrypt:32768:8:1$abcDEF$0123abcd",
        "sk_live_abc123",
        "kjt_Ab-9zQ_x",
        "kjk_-Zz0aa",
    )
    logged = caplog.text
    secrets = ("１１０１０５", "13800138000", "li@example.com", "abcDEF$0123", "sk_live")
    for secret in (*secrets, "Ab-9zQ_x", "-Zz0aa"):
        assert secret not in logged
    assert "[ID number]" in logged and "[phone]" in logged and "[password hash]" in logged


def test_order_numbers_and_amounts_are_kept():
    line = "order KJ202611221234567890 total 877.45 payment pi_123"
    assert redact(line) == line
