"""The supervised-area report's downloads (seed 001 §12): the XLSX read back (number and date
cells, frozen headers, totals equal to the rows) and the PDF's text and fonts."""

import csv
import io
import re
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from storefront.documents.area_report import (
    area_report_csv,
    area_report_xlsx,
    render_area_report_html,
    render_area_report_pdf,
    unit_name,
    yuan,
)
from storefront.queries.area_reports import Figures, ReportView, SummaryRow, totals

MILK = SimpleNamespace(sku="CB-100", name="澳洲奶粉 800g")
WATCH = SimpleNamespace(sku="CB-3000", name='=HYPERLINK("x")')  # typed by a merchant


def _movement(product, direction, quantity, value, at, reference):
    return SimpleNamespace(
        product=product,
        direction=direction,
        quantity=quantity,
        value=D(value),
        at=at,
        reference=reference,
        hs_code="0402290000",
        record_no="DEMO-" + product.sku,
        unit="142",
    )


DETAIL = (
    _movement(MILK, "in", 100, "6000.00", datetime(2026, 1, 31, 16, 0, tzinfo=UTC), "RK-001"),
    _movement(WATCH, "in", 5, "15000.00", datetime(2026, 2, 2, 16, 0, tzinfo=UTC), "RK-002"),
    _movement(MILK, "out", 2, "200.00", datetime(2026, 2, 28, 15, 59, tzinfo=UTC), "KJ0001"),
)
SUMMARY = (
    SummaryRow("CB-100", MILK.name, "0402290000", "DEMO-CB-100", "142",
               Figures(100, D("6000.00"), 2, D("200.00"))),
    SummaryRow("CB-3000", WATCH.name, "9102210000", "DEMO-CB-3000", "007",
               Figures(5, D("15000.00"), 0, D("0.00"))),
)  # fmt: skip
REPORT = SimpleNamespace(
    month=date(2026, 2, 1),
    generated_at=datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
    generated_by="system",
)
VIEW = ReportView(REPORT, "跨境优选 Demo Store", SUMMARY, totals(SUMMARY), DETAIL)


def excel(*parts: int) -> datetime:
    """A cell's date as read back: China time with no zone (Excel has none)."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def workbook():
    return load_workbook(io.BytesIO(area_report_xlsx(VIEW)))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("area") / "report.pdf"
    path.write_bytes(render_area_report_pdf(VIEW))
    return str(path)


def test_workbook_holds_summary_detail_and_what_it_is(workbook):
    assert workbook.sheetnames == ["汇总 Summary", "明细 Detail", "报告 Report"]
    about = {row[0]: row[1] for row in workbook["报告 Report"].iter_rows(values_only=True)}
    assert about["所属月份 Month"] == "2026-02"
    assert about["企业 Store"] == "跨境优选 Demo Store"
    assert about["生成时间 Generated (UTC+8)"] == excel(2026, 3, 1, 9, 0)


def test_summary_cells_are_numbers_and_the_totals_row_sums_them(workbook):
    sheet = workbook["汇总 Summary"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2))
    body, total = rows[:-1], rows[-1]
    assert [cell.value for cell in body[0]][:5] == [
        "CB-100",
        MILK.name,
        "0402290000",
        "DEMO-CB-100",
        "142 瓶",
    ]
    assert [cell.value for cell in body[0][5:]] == [100, 6000, 2, 200, 98, 5800]
    assert body[0][6].number_format == "#,##0.00" and body[0][5].number_format == "0"
    assert total[0].value == "合计 Total" and total[0].font.b
    for column in range(5, 11):
        assert total[column].value == sum(row[column].value for row in body)
    assert total[6].value == 21000 and total[10].value == 20800


def test_detail_rows_have_date_cells_in_china_time_and_totals(workbook):
    sheet = workbook["明细 Detail"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    first = rows[0]
    assert first[0] == excel(2026, 2, 1, 0, 0)  # midnight in China
    assert first[1:5] == ("入区", "RK-001", "CB-100", MILK.name)
    assert first[8:] == (100, 6000, None, None)
    last_movement = rows[2]
    assert last_movement[0] == excel(2026, 2, 28, 23, 59)
    assert last_movement[1] == "出区" and last_movement[8:] == (None, None, 2, 200)
    assert rows[-1][0] == "合计 Total" and rows[-1][8:] == (105, 21000, 2, 200)
    assert sheet.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm"


def test_csv_holds_the_detail_and_its_totals():
    text = area_report_csv(VIEW).decode("utf-8")
    assert text.startswith("\ufeff时间 Time (UTC+8),方向 Direction")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [
        "2026-02-01 00:00", "入区", "RK-001", "CB-100", MILK.name, "0402290000",
        "DEMO-CB-100", "142 瓶", "100", "6000.00", "", "",
    ]  # fmt: skip
    assert rows[3][8:] == ["", "", "2", "200.00"]
    assert rows[-1] == ["合计 Total", *[""] * 7, "105", "21000.00", "2", "200.00"]
    assert rows[2][4] == '\'=HYPERLINK("x")'


def test_merchant_text_cannot_become_a_formula(workbook):
    names = [row[4] for row in workbook["明细 Detail"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in names


def _text(pdf: str) -> str:
    return " ".join(_run("pdftotext", "-layout", pdf, "-").split())


def test_pdf_prints_the_title_the_month_and_both_tables(pdf):
    text = _text(pdf)
    for shown in (
        "跨境电子商务监管场所进出货物月报",
        "所属月份 Month: 2026-02",
        "跨境优选 Demo Store",
        "总单 Summary",
        "明细单 Detail",
        "2026-03-01 09:00",
        "RK-001",
        "KJ0001",
        "2026-02-28 23:59",
        "入区",
        "出区",
    ):
        assert shown in text, shown
    assert (
        "CB-100 澳洲奶粉 800g 0402290000 DEMO-CB-100 142 瓶 100 6,000.00 2 200.00 98 5,800.00"
        in text
    )
    assert "合计 Total 105 21,000.00 2 200.00 103 20,800.00" in text


def test_pdf_font_is_the_embedded_chinese_font(pdf):
    rows = _run("pdffonts", pdf).splitlines()[2:]
    fonts = [(row.split()[0].split("+")[-1], row.split()[-5]) for row in rows]
    assert fonts, rows
    assert all(re.match(r"Noto-?Sans-?CJK-?SC\b", name) for name, _ in fonts), rows
    assert all(embedded == "yes" for _, embedded in fonts), rows


def test_an_empty_month_says_so():
    empty = ReportView(REPORT, "Store", (), Figures(), ())
    html = render_area_report_html(empty)
    assert "本月无货物进出" in html


def test_markup_in_merchant_text_is_escaped():
    view = ReportView(REPORT, "<b>Shop</b> & Co", SUMMARY, totals(SUMMARY), DETAIL)
    html = render_area_report_html(view)
    assert "&lt;b&gt;Shop&lt;/b&gt; &amp; Co" in html and "<b>Shop</b>" not in html


@pytest.mark.parametrize(("code", "shown"), [("007", "007 个"), ("142", "142 瓶"), ("999", "999")])
def test_units_are_named(code, shown):
    assert unit_name(code) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(D("0"), "0.00"), (D("-0.5"), "-0.50"), (D("1234567.891"), "1,234,567.89")],
)
def test_money_has_two_decimals_and_separators(amount, shown):
    assert yuan(amount) == shown
