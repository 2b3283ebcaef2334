"""An owner invites a colleague by e-mail; the colleague opens the link from the demo outbox,
sets a password and lands in the merchant console (issue 13, staff management)."""

import pytest

from tests.browser.conftest import open_newest_link, save_step
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_an_invited_colleague_joins_the_console(browser, desktop, live_server, stores):
    owner = stores.a.owner
    desktop.goto(f"{live_server}/admin/login")
    desktop.fill("input[name=email]", owner.email)
    desktop.fill("input[name=password]", PASSWORD)
    desktop.click("button[type=submit]")
    desktop.goto(f"{live_server}/admin/staff")
    desktop.click("#invite-staff")
    desktop.fill("input[name=name]", "王小明")
    desktop.fill("input[name=email]", "xiaoming@example.com")
    desktop.select_option("select[name=role]", "staff")
    desktop.click("main form button[type=submit]")  # not the bar's sign-out button
    assert "xiaoming@example.com" in desktop.locator("#invites").inner_text()
    save_step(desktop, "staff-invitation-sent")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    colleague = context.new_page()
    try:
        open_newest_link(colleague, live_server, "xiaoming@example.com")
        assert "加入商家后台" in colleague.content()
        colleague.fill("input[name=name]", "王小明")
        colleague.fill("input[name=password]", "a long colleague password")
        colleague.fill("input[name=confirm]", "a long colleague password")
        colleague.click("button[type=submit]")
        colleague.wait_for_url(f"{live_server}/admin/")
        assert "王小明" in colleague.content()
        save_step(colleague, "staff-invitation-accepted")
        assert "/admin/staff/invite" not in colleague.content()  # staff manage no one
    finally:
        context.close()
    desktop.reload()
    assert "xiaoming@example.com" in desktop.locator("#staff").inner_text()
