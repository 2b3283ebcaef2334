"""`flask invoice draft` from a new shell: no settings, no database; JSON on stdin and stdout."""

import json
import os
import subprocess
import sys

from tests.web.test_translations import ROOT

ORDER = {
    "tax_rate": "13",
    "lines": [{"name": "保湿面霜", "quantity": 2, "unit_price": "129.00", "discount": "25.80"}],
}


def flask(tmp_path, *args: str, stdin: str) -> subprocess.CompletedProcess:
    """Run `flask` in the project folder as a new shell would: no settings, no app chosen."""
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    clean["KUAJING_INSTANCE_PATH"] = str(tmp_path)  # an instance folder with no settings.py
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_blue_draft_and_its_red_need_no_settings(tmp_path):
    blue = flask(tmp_path, "invoice", "draft", stdin=json.dumps(ORDER))
    assert blue.returncode == 0, blue.stderr
    body = json.loads(blue.stdout)
    assert [line["name"] for line in body["lines"]] == ["保湿面霜", "折扣(10.000%)"]
    assert (body["total_amount"], body["total_tax"], body["total"]) == ("205.49", "26.71", "232.20")
    red = flask(tmp_path, "invoice", "draft", "--red", stdin=blue.stdout)
    assert red.returncode == 0, red.stderr
    line = json.loads(red.stdout)["lines"][0]
    assert (line["quantity"], line["unit_price"], line["amount"]) == ("-2", "102.745", "-205.49")


def test_bad_input_is_one_line_and_status_2(tmp_path):
    result = flask(tmp_path, "invoice", "draft", stdin='{"tax_rate": "13", "lines": [')
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: stdin is not JSON")
    assert len(result.stderr.strip().splitlines()) == 1
