"""Start and stop the local Stripe-compatible server for tests."""

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

from tests.support.servers import _wait_for_port, free_port


@contextmanager
def local_stripe(state: str | None = None, port: int | None = None):
    """Yield the base URL of a local Stripe server on loopback (fresh, or from `state`)."""
    port = port or free_port()
    command = [sys.executable, "-m", "plugins.stripe_payments.localserver", "--port", str(port)]
    process = subprocess.Popen(
        command + (["--state", state] if state else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def reset(base_url: str) -> None:
    request = urllib.request.Request(f"{base_url}/_config/data", method="DELETE")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback
        pass


def _post_json(url: str, body: dict) -> tuple[int, dict]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def confirm_card(base_url: str, client_secret: str, number: str) -> tuple[int, dict]:
    """Do what Stripe.js does with a typed card: confirm the intent with its client secret."""
    intent = client_secret.split("_secret_")[0]
    card = {"number": number.replace(" ", ""), "exp_month": "12", "exp_year": "2030", "cvc": "123"}
    return _post_json(
        f"{base_url}/_local/payment_intents/{intent}/confirm_card",
        {"key": "pk_test_local", "client_secret": client_secret, "card": card},
    )


def authenticate(base_url: str, client_secret: str, success: bool) -> tuple[int, dict]:
    """Answer the 3-D Secure challenge as the shopper does in Stripe.js's dialog."""
    intent = client_secret.split("_secret_")[0]
    outcome = "true" if success else "false"
    return _post_json(
        f"{base_url}/v1/payment_intents/{intent}/_authenticate?success={outcome}",
        {"key": "pk_test_local", "client_secret": client_secret},
    )


def approve_wallet(base_url: str, reference: str) -> None:
    """Approve a WeChat Pay / Alipay payment on the local wallet page (the shopper's phone)."""
    data = urllib.parse.urlencode({"payer": "张三"}).encode()
    request = urllib.request.Request(f"{base_url}/_local/wallet/{reference}", data=data)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=5).close()
    except urllib.error.HTTPError as redirected:  # Alipay sends the shopper back to the shop
        if redirected.code != 302:
            raise


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
