"""The direct-mail declaration sheet PDF (SPEC §6): content, font, one page, the exemption."""

import re
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from storefront.documents.postal_declaration import (
    percent,
    render_postal_declaration,
    render_postal_declaration_html,
    yuan,
)
from storefront.domain.customs.postal import PostalDeclarationSheet, PostalLine
from storefront.domain.identity import mask_prc_id

FULL_ID = "11010519491231002X"

LINES = (
    PostalLine("保湿面霜", "50g", 2, Decimal("250.00"), Decimal("500.00"), "09000000", "日本"),
    PostalLine("维生素片", "120粒", 3, Decimal("200.00"), Decimal("600.00"), "01010700", "美国"),
)

# SPEC §2 worked example: direct mail at 51%, goods 1100 -> tax 561.00.
TAXED = PostalDeclarationSheet(
    order_number="DM202405010001",
    parcel_number="SF1234567890",
    store_name="东京好物店",
    sender_address="日本东京都千代田区丸之内1-1",
    consignee_name="张三",
    consignee_phone="13800138000",
    consignee_address="上海市浦东新区世纪大道100号",
    masked_id_number=mask_prc_id(FULL_ID),
    lines=LINES,
    goods_total=Decimal("1100.00"),
    postal_rate=Decimal("51"),
    tax_assessed=Decimal("561.00"),
    tax_due=Decimal("561.00"),
    declared_on=date(2024, 5, 1),
)

# 13% of 90.00 is 11.70: 50.00 or less is not collected (SPEC §2).
EXEMPT = replace(
    TAXED,
    order_number="DM202405010002",
    parcel_number="",
    lines=(PostalLine("护手霜", "30g", 1, Decimal("90.00"), Decimal("90.00"), "09000000", "法国"),),
    goods_total=Decimal("90.00"),
    postal_rate=Decimal("13.00"),
    tax_assessed=Decimal("11.70"),
    tax_due=Decimal("0.00"),
)

EXEMPTION_WORDS = "税额 ≤ 50 元免征"


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _pdf(sheet: PostalDeclarationSheet, folder) -> str:
    path = folder / f"{sheet.order_number}.pdf"
    path.write_bytes(render_postal_declaration(sheet))
    return str(path)


def _text(pdf: str) -> str:
    # Collapse the layout's runs of spaces and line breaks so phrases compare as printed.
    return " ".join(_run("pdftotext", "-layout", pdf, "-").split())


@pytest.fixture(scope="module")
def taxed_pdf(tmp_path_factory) -> str:
    return _pdf(TAXED, tmp_path_factory.mktemp("postal"))


@pytest.fixture(scope="module")
def exempt_pdf(tmp_path_factory) -> str:
    return _pdf(EXEMPT, tmp_path_factory.mktemp("postal"))


@pytest.mark.parametrize(
    "label",
    [
        "个人邮递物品申报单",
        "订单号 Order No.",
        "收件人 Consignee",
        "寄件人 Sender",
        "身份证号 ID No.",
        "行邮税号",
        "Postal tax No.",
        "物品总值 Goods total",
        "行邮税率 Postal tax rate",
        "应征税额 Tax assessed",
        "实缴税额 Tax due",
        "申报人签字 Declarant signature",
    ],
)
def test_labels_are_chinese_first_with_english(taxed_pdf, label):
    assert label in _text(taxed_pdf)


def test_sheet_shows_parcel_parties_and_figures(taxed_pdf):
    text = _text(taxed_pdf)
    for shown in (
        "DM202405010001",
        "SF1234567890",
        "东京好物店",
        "张三",
        "13800138000",
        "上海市浦东新区世纪大道100号",
        "¥1100.00",
        "51%",
        "2024-05-01",
    ):
        assert shown in text
    assert text.count("¥561.00") == 2  # assessed and due
    assert EXEMPTION_WORDS not in text


@pytest.mark.parametrize("line", LINES, ids=lambda line: line.postal_tax_number)
def test_each_line_is_printed(taxed_pdf, line):
    text = _text(taxed_pdf)
    row = (
        f"{line.name} {line.spec} {line.origin_country} {line.postal_tax_number} "
        f"{line.quantity} {yuan(line.unit_price)} {yuan(line.amount)}"
    )
    assert row in text


def test_identity_number_is_masked(taxed_pdf):
    text = _text(taxed_pdf)
    assert "110***********002X" in text
    assert FULL_ID not in text
    assert "1949" not in text


def test_cjk_font_is_embedded_and_sets_every_glyph(taxed_pdf):
    rows = _run("pdffonts", taxed_pdf).splitlines()[2:]
    # Columns: name type encoding emb sub uni object-id; a subset name is "ABCDEF+Family".
    fonts = [(row.split()[0].split("+")[-1], row.split()[-5]) for row in rows]
    assert fonts, rows
    # Latin text too: a fallback font for the Chinese alone would leave the labels mixed.
    assert all(re.match(r"Noto-?Sans-?CJK-?SC\b", name) for name, _ in fonts), rows
    assert all(embedded == "yes" for _, embedded in fonts), rows


@pytest.mark.parametrize("sheet_pdf", ["taxed_pdf", "exempt_pdf"])
def test_sheet_is_one_page(request, sheet_pdf):
    info = _run("pdfinfo", request.getfixturevalue(sheet_pdf))
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info


def test_tax_of_fifty_or_less_is_shown_not_collected(exempt_pdf):
    text = _text(exempt_pdf)
    assert "应征税额 Tax assessed ¥11.70" in text
    assert "实缴税额 Tax due ¥0.00" in text
    assert EXEMPTION_WORDS in text
    assert "13%" in text


def test_twelve_lines_still_fit_one_page(tmp_path):
    many = tuple(replace(LINES[0], name=f"物品{number}") for number in range(1, 13))
    pdf = _pdf(replace(TAXED, lines=many), tmp_path)
    assert re.search(r"^Pages:\s+1$", _run("pdfinfo", pdf), re.MULTILINE)
    assert "物品12" in _text(pdf)


def test_markup_in_merchant_text_is_escaped():
    html = render_postal_declaration_html(replace(TAXED, store_name="<b>Shop</b> & Co"))
    assert "&lt;b&gt;Shop&lt;/b&gt; &amp; Co" in html
    assert "<b>Shop</b>" not in html
    assert '<html lang="zh-CN">' in html


def test_unmasked_identity_number_is_refused():
    with pytest.raises(ValueError, match="masked"):
        replace(TAXED, masked_id_number=FULL_ID)


@pytest.mark.parametrize(
    ("assessed", "exempt"),
    [("0.00", True), ("49.99", True), ("50.00", True), ("50.01", False), ("561.00", False)],
)
def test_exemption_threshold(assessed, exempt):
    assert replace(TAXED, tax_assessed=Decimal(assessed)).tax_exempt is exempt


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(Decimal("561"), "¥561.00"), (Decimal("0"), "¥0.00"), (Decimal("11.7"), "¥11.70")],
)
def test_money_shows_yuan_and_two_decimals(amount, shown):
    assert yuan(amount) == shown


@pytest.mark.parametrize(
    ("rate", "shown"),
    [(Decimal("51"), "51%"), (Decimal("13.00"), "13%"), (Decimal("9.10"), "9.1%")],
)
def test_rate_shows_percent_without_trailing_zeros(rate, shown):
    assert percent(rate) == shown
