"""Shared set-up for benchmarks: a throwaway PostgreSQL, a migrated app, a served app."""

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg
from flask_migrate import upgrade

from storefront import create_app
from tests.support.servers import free_port, postgres_server

ROOT = Path(__file__).resolve().parents[1]
# Apps built here keep their files (uploads, sandboxes) in a folder of their own, never in the
# instance folder the demo and the tests read.
INSTANCE = ROOT / "instance-bench"
os.environ.setdefault("KUAJING_INSTANCE_PATH", str(INSTANCE))
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
    """Yield an app on a fresh PostgreSQL with the schema migrated.

    The server loads pg_stat_statements: statements are counted where they arrive, so the
    product runs as in production (no counting hook in the application). The sandboxes start
    empty too: store 1 of an earlier run is another store, and its records would weigh on this
    run's figures.
    """
    shutil.rmtree(INSTANCE / "sandbox", ignore_errors=True)
    with postgres_server("-c shared_preload_libraries=pg_stat_statements") as url:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "PUBLIC_URL": "http://127.0.0.1",  # production requires it
                "SESSION_COOKIE_SECURE": False,
                "ENCRYPTION_KEYS": ENCRYPTION_KEY,
                **config,
            }
        )
        with app.app_context():
            upgrade()
        with psycopg.connect(_superuser(url), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION pg_stat_statements")
        yield app, url


def _superuser(url: str) -> str:
    return url.replace("postgresql+psycopg://kuajing@", "postgresql://postgres@")


class StatementCounter:
    """Statements the PostgreSQL server ran for the application's role (web and job processes),
    from pg_stat_statements; the benchmark's own reads run as the superuser and are left out."""

    _SQL = (
        "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query ~* "
        "'^\\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)'), 0) FROM pg_stat_statements "
        "WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'kuajing')"
    )

    def __init__(self, url: str) -> None:
        self.dsn = _superuser(url)

    def scalar(self, sql: str):
        """Run one read as the superuser (not counted) and return its value."""
        with psycopg.connect(self.dsn) as conn:
            return conn.execute(sql).fetchone()[0]

    def read(self) -> tuple[int, int]:
        """Return (statements other than transaction control, all round trips) so far."""
        with psycopg.connect(self.dsn) as conn:
            total, control = conn.execute(self._SQL).fetchone()
        return int(total - control), int(total)

    def most_run(self, count: int = 20) -> list[tuple[int, str]]:
        """Return the statements run most often so far, with their calls."""
        with psycopg.connect(self.dsn) as conn:
            return conn.execute(
                "SELECT calls, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements "
                "WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'kuajing') "
                "ORDER BY calls DESC LIMIT %s",
                (count,),
            ).fetchall()

    @contextmanager
    def measure(self, result: dict):
        """Put the statements and round trips run inside the block into `result`."""
        before = self.read()
        yield result
        after = self.read()
        result["statements"], result["round_trips"] = after[0] - before[0], after[1] - before[1]


def _served_env(database_url: str, env: dict | None) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "KUAJING_INSTANCE_PATH": str(INSTANCE),
        "KUAJING_ENV": "development",  # plain-http cookies on loopback
        "SECRET_KEY": "bench-only-secret",
        "ENCRYPTION_KEYS": ENCRYPTION_KEY,
        **(env or {}),
    }


@contextmanager
def gunicorn(
    database_url: str,
    workers: int = 2,
    threads: int = 4,
    env: dict | None = None,
    app: str = "wsgi:app",
):
    """Serve `app` with gunicorn on a loopback port; yield its base URL."""
    port = free_port()
    env = _served_env(database_url, env)
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
            app,
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
        try:
            process.wait(40)  # gunicorn lets requests in flight finish (graceful timeout: 30 s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def rq_workers(database_url: str, redis_url: str, count: int = 2, env: dict | None = None):
    """Run `count` job workers (`flask rq worker`) on every queue, as production does."""
    env = _served_env(database_url, {"REDIS_URL": redis_url, **(env or {})})
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


def interleaved(phases: dict, repetitions: int = 3) -> dict[str, list]:
    """Run every phase once per repetition, in turns (noise hits all alike); their results."""
    results = {name: [] for name in phases}
    for _ in range(repetitions):
        for name, phase in phases.items():
            results[name].append(phase())
    return results


def _wait(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:  # it answers, if not this path
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
