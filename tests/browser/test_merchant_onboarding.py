"""A merchant applies with its documents (confirming its e-mail address by the link from the
demo outbox), the operator asks for changes, the merchant resubmits, the operator approves, and
the new owner finds an empty store and its checklist (issue 13)."""

import pytest

from tests.browser.conftest import open_newest_link
from tests.support.applications import FORM, PDF, PNG
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser
EMAIL = "boss@haitao.example"
SECRET = "haitao passphrase 2025"


@pytest.fixture
def documents(tmp_path):
    """Real small files as a merchant would pick them."""
    files = {
        "business_licence": ("营业执照.pdf", PDF),
        "legal_person_id": ("id-card.png", PNG),
        "tax_registration": ("tax-registration.pdf", PDF),
        "agreement": ("agreement.pdf", PDF),
    }
    for name, data in files.values():
        (tmp_path / name).write_bytes(data)
    return {purpose: str(tmp_path / name) for purpose, (name, _data) in files.items()}


def _apply(page, server, documents) -> None:
    page.goto(f"{server}/join/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", SECRET)
    page.fill("input[name=confirm]", SECRET)
    page.click("#sign-up button[type=submit]")
    page.wait_for_url("**/join/login")
    _sign_in(page, f"{server}/join/login", EMAIL, SECRET)
    page.wait_for_url("**/join/application")
    assert page.locator("#confirm-email").count() == 1  # not yet proven: a draft only
    assert page.locator("#submit").is_disabled()
    for name, value in FORM.items():
        page.fill(f"input[name={name}]", value)
    for purpose, path in documents.items():
        page.set_input_files(f"input[name={purpose}]", path)
    page.click("#save")
    page.wait_for_selector(".alert-success")
    open_newest_link(page, server, EMAIL)  # the sign-up's confirmation link
    page.wait_for_url("**/join/application")
    assert page.locator("#confirm-email").count() == 0
    page.click("#submit")
    page.wait_for_selector('.review-summary [data-state="submitted"]')


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")


def _decide(page, server, button: str, reason: str = "") -> None:
    page.goto(f"{server}/platform/reviews/application")
    page.click("a[href*='/platform/reviews/application/']")
    assert page.locator(".review-documents iframe").count() == 3  # the PDFs inline
    assert page.locator(".review-documents img").count() == 1  # the ID card's picture
    assert "138****8000" in page.content() and "13800138000" not in page.content()
    page.fill("textarea[name=reason]", reason)
    page.click(f"input[name={button}]")
    page.wait_for_selector(".alert-success")


def test_a_merchant_goes_from_sign_up_to_an_empty_store(
    browser, live_server, live_app, stores, documents, tmp_path, monkeypatch
):
    monkeypatch.setitem(live_app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    merchant = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    operator = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page, desk = merchant.new_page(), operator.new_page()
    try:
        _apply(page, live_server, documents)
        _sign_in(desk, f"{live_server}/platform/login", stores.operator.email, PASSWORD)
        _decide(desk, live_server, "ask_changes", "营业执照照片不清晰,请重新上传")

        page.reload()
        assert "营业执照照片不清晰" in page.content()
        page.set_input_files("input[name=business_licence]", documents["business_licence"])
        page.click("#submit")
        page.wait_for_selector('.review-summary [data-state="submitted"]')

        _decide(desk, live_server, "approve")
        page.reload()
        page.wait_for_selector("#approved")

        _sign_in(page, f"{live_server}/admin/login", EMAIL, SECRET)
        page.wait_for_selector("#opening-checklist")
        assert page.locator('#opening-checklist [data-done="no"]').count() == 8
        assert page.locator("#open-store").is_disabled()
        page.goto(f"{live_server}/admin/products")
        assert page.locator("td.empty").count() == 1  # no products yet
        assert page.locator("a[href$='/admin/products/new']").count() >= 1  # ready for one
        page.goto(f"{live_server}/s/haitao-mall/")
        assert page.locator("#store-opening-soon").count() == 1
    finally:
        merchant.close()
        operator.close()
