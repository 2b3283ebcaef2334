"""Browser tests: Debian's Chromium driven by Playwright against the app on a loopback port.

Data here is committed (the server runs in other threads), and every table is emptied after
each test. A failing test leaves a screenshot in test-artifacts/.
"""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from storefront import create_app
from storefront.extensions import db
from tests.conftest import app_config, truncate_all
from tests.support import factories

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


@pytest.fixture(scope="session")
def live_app(database_url, app, stripe_server, tmp_path_factory):  # `app` migrated the schema
    sandbox_dir = str(tmp_path_factory.mktemp("live-sandbox"))  # no records of earlier runs
    return create_app(
        app_config(
            database_url,
            WTF_CSRF_ENABLED=True,
            STRIPE_API_BASE=stripe_server,
            SANDBOX_DIR=sandbox_dir,
            UPLOAD_FOLDER=str(tmp_path_factory.mktemp("live-uploads")),  # never the instance folder
        )
    )


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_URL"] = base  # mailed links open on this server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(5)
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def stores(live_app):
    """Two committed stores (A and B) for the browser; emptied after the test."""
    with live_app.app_context():
        db.session().expire_on_commit = False  # the test reads the rows after the commit
        built = factories.two_tenants()
        db.session.commit()
        db.session.remove()
    yield built
    truncate_all(live_app)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser, request):
    """A page in a 390x844 phone viewport, Chinese first."""
    yield from _page(browser, request, locale="zh-CN", **PHONE)


@pytest.fixture
def desktop(browser, request):
    yield from _page(browser, request, locale="zh-CN", viewport={"width": 1280, "height": 900})


def _page(browser, request, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    yield page
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed = True


def save_step(page, name: str) -> None:
    """Keep a screenshot of a step as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_newest_link(page, base: str, address: str) -> None:
    """Open the link of the newest message to `address` (sent by a job after the response)."""
    message = page.locator(".outbox-message", has_text=address).first
    for _ in range(40):  # up to ten seconds: the job runs after the response
        page.goto(f"{base}/outbox")
        if message.count():
            break
        page.wait_for_timeout(250)
    message.locator(".outbox-link").first.click()
