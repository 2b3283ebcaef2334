"""Every refusal code reaches people in words (Chinese first), and none escapes as a 500."""

import re

import pytest
from flask_babel import force_locale

from admin.console.messages import console_messages
from storefront.domain.errors import INTERNAL_CODES, ErrorCode, Refused
from storefront.shop import auth
from storefront.shop.messages import shop_messages

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_code_has_a_page_that_words_it_or_is_internal(app):
    with app.test_request_context():
        shown = shop_messages().keys() | console_messages().keys()
    assert sorted(set(ErrorCode) - shown - INTERNAL_CODES) == []


@pytest.mark.parametrize("table", [shop_messages, console_messages])
def test_every_worded_code_reads_in_chinese(app, table):
    with app.test_request_context(), force_locale("zh"):
        untranslated = [code for code, text in table().items() if not CHINESE.search(text)]
    assert untranslated == []


@pytest.fixture
def refusing_sign_in(monkeypatch):
    """A sign-in whose service refuses with a code the sign-in page does not map."""

    def refuse(*args):
        raise Refused(ErrorCode.NOT_PAYABLE, "no longer payable")

    monkeypatch.setattr(auth, "authenticate_shopper", refuse)
    return {"email": "shopper@example.com", "password": "long enough password"}


def test_an_unmapped_refusal_is_a_json_409(client, tenants, refusing_sign_in):
    response = client.post(
        f"/s/{tenants.a.tenant.slug}/login",
        data=refusing_sign_in,
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (error["code"], error["fields"]) == ("not_payable", {})
    assert CHINESE.search(error["message"])


def test_an_unmapped_refusal_is_a_409_page(client, tenants, refusing_sign_in):
    response = client.post(f"/s/{tenants.a.tenant.slug}/login", data=refusing_sign_in)
    assert response.status_code == 409
    assert "<html" in response.get_data(as_text=True)
