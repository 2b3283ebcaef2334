"""Shared set-up for benchmarks: a throwaway PostgreSQL, a migrated app, a served app."""

import os
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from flask_migrate import upgrade

from storefront import create_app
from tests.support.servers import free_port, postgres_server

ROOT = Path(__file__).resolve().parents[1]
# One Fernet key for the set-up app and the served app: both read the ID numbers.
ENCRYPTION_KEY = "lZ0hJbq2q1Wv0m0o9mKq3eH2qkq6Zx3GzE4bQq1p9Xo="


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    model = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return (
        f"{platform.node()} · {os.cpu_count()} cpu ({model[1] if model else cpu}) · "
        f"Python {platform.python_version()} · {platform.platform()}"
    )


@contextmanager
def migrated_app(**config):
    """Yield an app on a fresh PostgreSQL with the schema migrated."""
    with postgres_server() as url:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "SESSION_COOKIE_SECURE": False,
                "ENCRYPTION_KEYS": ENCRYPTION_KEY,
                **config,
            }
        )
        with app.app_context():
            upgrade()
        yield app, url


@contextmanager
def gunicorn(database_url: str, workers: int = 2, threads: int = 4, env: dict | None = None):
    """Serve the app with gunicorn on a loopback port; yield its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KUAJING_INSTANCE_PATH": str(ROOT / "instance-bench"),
        "KUAJING_ENV": "development",  # plain-http cookies on loopback
        "SECRET_KEY": "bench-only-secret",
        "ENCRYPTION_KEYS": ENCRYPTION_KEY,
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def _wait(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def repeat(step, seconds: float) -> float:
    """Run `step` (it returns units done, seconds taken) until `seconds` are spent; units/s."""
    units = spent = 0.0
    while spent < seconds:
        done, took = step()
        units, spent = units + done, spent + took
    return units / spent


def compare(
    label: str, product: list[float], reference: str, alone: list[float], unit: str, digits=0
) -> str:
    """Return the median rate, its reference's, and how many times longer the product takes."""
    rate, base = statistics.median(product), statistics.median(alone)
    ratio = base / rate
    return (
        f"{label}: {rate:,.{digits}f} {unit} · {reference}: {base:,.{digits}f} {unit} · "
        f"×{ratio:.{digits + 1}f}"
    )
