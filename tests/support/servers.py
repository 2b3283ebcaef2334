"""Throwaway PostgreSQL and Redis servers on loopback for a test run.

`python -m tests.support.servers start` starts both and prints shell exports;
`python -m tests.support.servers stop STATE` stops them. The context managers do the same
for a pytest session that was given no servers.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
APP_ROLE = "kuajing"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> None:
    # initdb and postgres refuse to run as root
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True)


def start_postgres(extra_options: str = "") -> dict:
    """Start a fresh server with an `app` database; return its state (url, data dir).

    `extra_options` are more `-c name=value` settings (a benchmark loads pg_stat_statements).
    """
    root = Path(tempfile.mkdtemp(prefix="kuajing-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    _as_postgres(
        str(PG_BIN / "initdb"),
        "-D",
        str(data),
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "-U",
        "postgres",
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 " + extra_options
    )
    _as_postgres(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(data),
        "-w",
        "-l",
        str(root / "log"),
        "-o",
        options,
        "start",
    )
    # The application's own role, no superuser (superusers bypass row-level security); it may
    # create databases, for the migration tests.
    server = ("-h", "127.0.0.1", "-p", str(port), "-U", "postgres")
    _as_postgres(str(PG_BIN / "createuser"), *server, "--createdb", APP_ROLE)
    _as_postgres(str(PG_BIN / "createdb"), *server, "-O", APP_ROLE, "app")
    return {"url": f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{port}/app", "root": str(root)}


def stop_postgres(state: dict) -> None:
    root = Path(state["root"])
    _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop")
    shutil.rmtree(root, ignore_errors=True)


def start_redis() -> dict:
    """Start a fresh Redis without persistence; return its state (url, pid, dir)."""
    workdir, port = tempfile.mkdtemp(prefix="kuajing-redis-"), free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_for_port(port)
    return {"url": f"redis://127.0.0.1:{port}/0", "pid": process.pid, "root": workdir}


def stop_redis(state: dict) -> None:
    with suppress(ProcessLookupError):
        os.kill(state["pid"], signal.SIGTERM)
    shutil.rmtree(state["root"], ignore_errors=True)


@contextmanager
def postgres_server(extra_options: str = ""):
    state = start_postgres(extra_options)
    try:
        yield state["url"]
    finally:
        stop_postgres(state)


@contextmanager
def redis_server():
    state = start_redis()
    try:
        yield state["url"]
    finally:
        stop_redis(state)


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["start"]:
        state = {"postgres": start_postgres(), "redis": start_redis()}
        fd, path = tempfile.mkstemp(prefix="kuajing-servers-", suffix=".json")
        os.write(fd, json.dumps(state).encode())
        os.close(fd)
        print(f"export TEST_DATABASE_URL={state['postgres']['url']}")
        print(f"export TEST_REDIS_URL={state['redis']['url']}")
        print(f"export KUAJING_TEST_SERVERS={path}")
    elif argv[:1] == ["stop"] and len(argv) == 2:
        state = json.loads(Path(argv[1]).read_text())
        stop_redis(state["redis"])
        stop_postgres(state["postgres"])
        Path(argv[1]).unlink()
    else:
        sys.exit("usage: python -m tests.support.servers start | stop STATE_FILE")


if __name__ == "__main__":
    main(sys.argv[1:])
