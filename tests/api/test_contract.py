"""The API keeps its OpenAPI document: every operation, on a live server, never a 5xx.

schemathesis reads /api/v1/openapi.json from a real WSGI server on a loopback port (backed by
the test PostgreSQL) and exercises every operation it lists, so operations added later are
covered without touching this file. Each case is sent as one of the callers the operation
admits (nobody, a shopper token, a read or write API key) of store A or B, and its path,
query and body arguments are steered, some of the time, to the store's own rows (the same
map as the isolation sweep: tests/support/routes.py), so authenticated and found-object paths
are exercised, not only 401 and 404. Checks: no 5xx, the response matches its schema.
Examples are bounded and derandomized: the same cases on every run.
"""

import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select
from werkzeug.serving import make_server

from storefront import create_app
from storefront.extensions import db
from storefront.models import Shopper
from storefront.models.api import ApiToken
from storefront.models.types import utcnow
from storefront.services.api_access import TOKEN_PREFIX, KeyScope, create_key, secret_hash
from storefront.services.api_carts import open_cart
from storefront.tenancy import tenant_context
from tests.conftest import app_config, truncate_all
from tests.support import factories
from tests.support.routes import OBJECT_IDS, PLAIN_ARGUMENTS

# positive cases follow the schema; negative ones break it (they must be refused, 4xx)
MODES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 8}
UNLIMITED = 10**9  # the contract is not about rate limits (tests/api/test_rate_limits.py is)


@dataclass
class LiveStore:
    slug: str
    tenant_id: int
    shopper_id: int
    keys: dict[str, str]  # scope -> secret
    known: dict[str, list] = field(default_factory=dict)  # argument name -> the store's values


@dataclass
class LiveApi:
    base: str
    app: object
    stores: list[LiveStore]

    def mint_token(self, store: LiveStore) -> str:
        """A fresh shopper token (a case may have revoked or signed out the last one)."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.app.app_context(), tenant_context(store.tenant_id):
            shopper = db.session.scalars(
                select(Shopper).where(Shopper.id == store.shopper_id)
            ).one()
            db.session.add(
                ApiToken(
                    shopper_id=shopper.id,
                    token_hash=secret_hash(secret),
                    session_version=shopper.session_version,
                    expires_at=utcnow() + timedelta(hours=1),
                )
            )
            db.session.commit()
            db.session.remove()
        return secret


@pytest.fixture(scope="module")
def live_api(database_url, app, stripe_server, tmp_path_factory):  # `app` migrated the schema
    live = create_app(
        app_config(
            database_url,
            STRIPE_API_BASE=stripe_server,
            SANDBOX_DIR=str(tmp_path_factory.mktemp("contract-sandbox")),
            UPLOAD_FOLDER=str(tmp_path_factory.mktemp("contract-uploads")),
            API_RATE_LIMIT_PER_KEY=UNLIMITED,
            API_RATE_LIMIT_PER_TOKEN=UNLIMITED,
            API_RATE_LIMIT_PER_ADDRESS=UNLIMITED,
        )
    )
    with live.app_context():
        db.session().expire_on_commit = False
        built = factories.two_tenants()
        db.session.commit()
        stores = [_live_store(store) for store in (built.a, built.b)]
        db.session.remove()
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveApi(f"http://127.0.0.1:{server.server_port}", live, stores)
    server.shutdown()
    thread.join(5)
    truncate_all(live)
    with live.app_context():
        db.engine.dispose()


def _live_store(store) -> LiveStore:
    """The store's credentials and, for every argument the sweeps know, its own values."""
    with tenant_context(store.tenant.id):
        keys = {
            scope: create_key(f"contract {scope}", KeyScope(scope), None)[1] for scope in KeyScope
        }
        known = {name: [make(store)] for name, make in OBJECT_IDS.items()}
        known["product_id"].append(store.non_tax_product.id)
        known["cart_id"].append(open_cart(store.shopper.id).public_id)
        db.session.commit()
    known.update({name: [value] for name, value in PLAIN_ARGUMENTS.items()})
    return LiveStore(store.tenant.slug, store.tenant.id, store.shopper.id, keys, known)


def test_every_operation_answers_within_its_schema_and_never_5xx(live_api):
    document = schemathesis.openapi.from_url(f"{live_api.base}/api/v1/openapi.json")
    operations = [result.ok() for result in document.get_all_operations()]
    assert {op.label for op in operations} == _api_routes(live_api.app)
    failures = {}
    for operation in operations:
        for mode, examples in _modes(operation):
            try:
                _exercise(live_api, operation, mode, examples)
            except (Exception, FailureGroup) as failure:  # report every operation's, then fail
                failures[f"{mode} {operation.label}"] = failure
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())


def _modes(operation) -> list[tuple[GenerationMode, int]]:
    """Positive cases for every operation; negative ones where it takes a query or a body
    (a path of free text and a cart id cannot be broken other than into a 404)."""
    if len(operation.query) or len(operation.body):
        return list(MODES.items())
    return [(GenerationMode.POSITIVE, MODES[GenerationMode.POSITIVE])]


def _api_routes(app) -> set[str]:
    """Every operation the app serves under /api/v1/stores, as "METHOD /path/{argument}"."""
    labels = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/stores"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            labels.update(f"{method} {path}" for method in rule.methods - {"HEAD", "OPTIONS"})
    return labels


def _exercise(live_api: LiveApi, operation, mode: GenerationMode, examples: int) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode), data=st.data())
    def run(case, data):
        store = data.draw(st.sampled_from(live_api.stores), label="store")
        case.path_parameters["store_slug"] = store.slug
        for arguments in (case.path_parameters, case.query):
            _steer(arguments or {}, store, data)
        if isinstance(case.body, dict):
            _steer(case.body, store, data)
        caller = data.draw(st.sampled_from(_callers(operation)), label="caller")
        secret = _secret(live_api, store, caller) if caller else None
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        response = case.call(base_url=live_api.base, headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


def _steer(arguments: dict, store: LiveStore, data) -> None:
    """Replace, some of the time, each argument the store has rows for by one of them."""
    for name in sorted(arguments):
        if name in store.known:
            choices = [arguments[name], *store.known[name]]
            arguments[name] = data.draw(st.sampled_from(choices), label=name)


def _callers(operation) -> list[str | None]:
    """The kinds of caller the operation's security admits (None: nobody signed in)."""
    callers = []
    for requirement in operation.definition.raw.get("security", [{}]):
        if not requirement:
            callers.append(None)
        elif "shopperToken" in requirement:
            callers.append("shopper")
        elif "apiKey" in requirement:
            callers.extend(["write", "read"] if "read" in requirement["apiKey"] else ["write"])
    return callers


def _secret(live_api: LiveApi, store: LiveStore, caller: str) -> str:
    return live_api.mint_token(store) if caller == "shopper" else store.keys[caller]
