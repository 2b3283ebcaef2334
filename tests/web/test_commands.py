"""Commands from a new shell: those that need no database run without any settings, and a
configuration error is one line, not a traceback (issue 8 item 11)."""

import os
import subprocess
import sys

from tests.web.test_translations import ROOT

QUOTE = ["tax", "quote", "--tag", "cross_border_retail", "--tariff", "5", "--ct", "6"]
QUOTE += ["--vat", "7", "--postal", "8", "--line", "1980"]


def flask(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `flask` in the project folder as a new shell would: no settings, no app chosen."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}
    clean["KUAJING_INSTANCE_PATH"] = str(tmp_path)  # an instance folder with no settings.py
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_tax_quote_needs_no_database_and_no_settings(tmp_path):
    result = flask(tmp_path, *QUOTE)
    assert result.returncode == 0, result.stderr
    assert '"tax_due": "191.68"' in result.stdout


def test_a_new_key_needs_no_settings(tmp_path):
    result = flask(tmp_path, "keys", "new")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip()) == 44


def test_a_configuration_error_is_one_line(tmp_path):
    for env in ({}, {"SECRET_KEY": "x"}):
        result = flask(tmp_path, "orders", "sweep", **env)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Configuration error:"), result.stderr


def test_demo_settings_let_commands_find_the_demo_database(tmp_path):
    (tmp_path / "settings.py").write_text("KUAJING_ENV = 'development'\nSECRET_KEY = 'x'\n")
    result = flask(tmp_path, "db", "current")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kuajing.db").exists()
