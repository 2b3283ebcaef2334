"""`flask recon ...` from a new shell on a demo database: two demo orders declared and released
through the folder transport, then reconciled (one summary line), exported as CSV and XLSX
with a totals row, the same run twice giving the same line."""

import csv
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from openpyxl import load_workbook

from tests.web.test_customs_commands import SETTINGS, answer_outbox, run

CHINA = timezone(timedelta(hours=8))


def test_run_and_export_the_released_demo_orders(tmp_path):
    (tmp_path / "settings.py").write_text(SETTINGS)
    run(tmp_path, "db", "upgrade")
    run(tmp_path, "demo", "load")
    run(tmp_path, "customs", "declare", "--all")
    folder = tmp_path / "customs"
    answer_outbox(folder, {"311", "411", "511"})
    run(tmp_path, "customs", "receive")
    answer_outbox(folder, {"621"})
    run(tmp_path, "customs", "receive")
    today = datetime.now(UTC).astimezone(CHINA).date().isoformat()
    period = ("--from", today, "--to", today)

    line = run(tmp_path, "recon", "run", *period)
    assert line.count("\n") == 1
    assert line.startswith("2 orders, ") and "mismatches: paid_not_declared 0" in line
    assert run(tmp_path, "recon", "run", *period) == line  # reproducible

    out = tmp_path / "recon.csv"
    run(tmp_path, "recon", "export", *period, "--format", "csv", "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 2 + 1 and rows[-1][0] == "Total"
    i = rows[0].index("Total paid")
    assert Decimal(rows[-1][i]) == sum(Decimal(row[i]) for row in rows[1:-1]) > 0

    book = tmp_path / "recon.xlsx"
    run(tmp_path, "recon", "export", *period, "--format", "xlsx", "--out", str(book))
    sheet = load_workbook(book).active
    values = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2" and len(values) == 4
    assert "Tax actually deducted" in values[0]  # both records, one row per order

    wrong = run_failing(tmp_path, "recon", "run", "--from", today, "--to", "2000-01-01")
    assert "--to is before --from" in wrong


def run_failing(tmp_path, *args: str) -> str:
    from tests.web.test_commands import flask

    result = flask(tmp_path, *args)
    assert result.returncode != 0
    return result.stderr
