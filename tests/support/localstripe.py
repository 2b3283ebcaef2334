"""Start and stop the local Stripe-compatible server for tests."""

import subprocess
import sys
import urllib.request
from contextlib import contextmanager

from tests.support.servers import _wait_for_port, free_port


@contextmanager
def local_stripe():
    """Yield the base URL of a fresh local Stripe server on loopback."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "plugins.stripe_payments.localserver", "--port", str(port)],
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
