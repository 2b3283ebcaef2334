"""The e-invoice document (SPEC §7): capitals, QR payload, the 数电 PDF and the XML export."""

import hashlib
import re
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from storefront.documents.einvoice import (
    read_invoice_xml,
    render_invoice_html,
    render_invoice_pdf,
    render_invoice_xml,
    unit_price,
)
from storefront.domain.invoices.capitals import amount_in_capitals
from storefront.domain.invoices.document import (
    Party,
    RedConfirmation,
    document_problems,
    from_draft,
    qr_payload,
    remark_for_red,
)
from storefront.domain.invoices.lines import ItemIn, draft_blue, draft_red

SELLER = Party("东京好物（上海）贸易有限公司", "91310000MA1FL8TQ3X", "上海市浦东新区", "021-5888")
BUYER = Party("上海星河科技有限公司", "91310115MA1K4QWE9D")
BLUE_NUMBER = "24312000000012345678"
RED_NUMBER = "24312000000087654321"
FORM = RedConfirmation("3101202405000001", "02")
ITEMS = (
    ItemIn("保湿面霜", Decimal("2"), Decimal("129.00"), Decimal("13"), Decimal("25.80"), "化妆品",
           "1070222020000000000", "50g", "瓶"),
    ItemIn("护手霜", Decimal("1"), Decimal("59.90"), Decimal("13"), short_name="化妆品"),
)  # fmt: skip
BLUE = from_draft(
    draft_blue(ITEMS),
    number=BLUE_NUMBER,
    issued_on=date(2024, 5, 1),
    seller=SELLER,
    buyer=BUYER,
    drawer="王小明",
    remark="订单号 DM202405010001",
)
RED = from_draft(
    draft_red(BLUE),
    number=RED_NUMBER,
    issued_on=date(2024, 5, 9),
    seller=SELLER,
    buyer=BUYER,
    drawer="王小明",
    blue_number=BLUE_NUMBER,
    confirmation=FORM,
)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _text(pdf: str, *pages: str) -> str:
    # Collapse the layout's runs of spaces and line breaks so phrases compare as printed.
    return " ".join(_run("pdftotext", "-layout", *pages, pdf, "-").split())


def _pages(pdf: str) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", _run("pdfinfo", pdf), re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("einvoice")
    paths = {}
    for name, doc in (("blue", BLUE), ("red", RED)):
        paths[name] = str(folder / f"{name}.pdf")
        (folder / f"{name}.pdf").write_bytes(render_invoice_pdf(doc))
    return paths


# -- amounts in capitals ---------------------------------------------------------------------

CAPITALS = [
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.07", "柒分"),
    ("0.10", "壹角"),
    ("0.56", "伍角陆分"),
    ("1.00", "壹元整"),
    ("1.05", "壹元零伍分"),
    ("1.50", "壹元伍角"),
    ("10.00", "壹拾元整"),
    ("10.05", "壹拾元零伍分"),
    ("11.00", "壹拾壹元整"),
    ("20.30", "贰拾元叁角"),
    ("101.00", "壹佰零壹元整"),
    ("110.00", "壹佰壹拾元整"),
    ("1005.07", "壹仟零伍元零柒分"),
    ("1010.00", "壹仟零壹拾元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10000.00", "壹万元整"),
    ("10001.00", "壹万零壹元整"),
    ("10010.00", "壹万零壹拾元整"),
    ("100000.00", "壹拾万元整"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),  # the rules allow either, with or without 零
    ("1001001.00", "壹佰万零壹仟零壹元整"),
    ("1200000.00", "壹佰贰拾万元整"),
    ("12345678.90", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"),
    ("100000000.00", "壹亿元整"),
    ("100010000.00", "壹亿零壹万元整"),
    ("100000001.00", "壹亿零壹元整"),
    ("1000000000000.00", "壹万亿元整"),
    ("1000100000000.00", "壹万零壹亿元整"),
    (
        "9999999999999999.99",
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
    ("292.10", "贰佰玖拾贰元壹角"),
    ("-292.10", "负贰佰玖拾贰元壹角"),
    ("-0.05", "负伍分"),
    ("-1005.07", "负壹仟零伍元零柒分"),
    ("-0.00", "零元整"),
]


@pytest.mark.parametrize(("amount", "words"), CAPITALS)
def test_amount_in_capitals(amount, words):
    assert amount_in_capitals(Decimal(amount)) == words


@pytest.mark.parametrize("amount", ["1.005", "NaN", "Infinity", "10000000000000000.00"])
def test_capitals_refuse_what_no_invoice_prints(amount):
    with pytest.raises(ValueError):
        amount_in_capitals(Decimal(amount))


DIGIT = {figure: value for value, figure in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capitals(words: str) -> Decimal:
    # An independent reader of the capitals: a group value is closed by 万 (x10^4) or 亿 (x10^8).
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负").removesuffix("整")
    yuan, _, cents = words.rpartition("元") if "元" in words else ("", "", words)
    total, section, digit = 0, 0, 0
    for char in yuan:
        if char in DIGIT:
            digit = DIGIT[char]
        elif char in PLACE:
            section, digit = section + digit * PLACE[char], 0
        elif char == "万":
            total, section, digit = total + (section + digit) * 10**4, 0, 0
        elif char == "亿":
            total, section, digit = (total + section + digit) * 10**8, 0, 0
    value = Decimal(total + section + digit)
    for figure, unit in re.findall(r"([壹贰叁肆伍陆柒捌玖])([角分])", cents):
        value += DIGIT[figure] * (Decimal("0.1") if unit == "角" else Decimal("0.01"))
    return sign * value


@given(st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1))
def test_capitals_read_back_to_the_amount_and_keep_the_writing_rules(cents):
    amount = Decimal(cents).scaleb(-2)
    words = amount_in_capitals(amount)
    assert _read_capitals(words) == amount
    assert "零零" not in words
    if cents:  # a zero is written only before a non-zero figure
        assert not re.search(r"零[元万亿角分整]", words)
        assert not words.startswith(("零", "负零"))
    assert words.endswith("整") == (cents % 100 == 0)
    assert words.startswith("负") == (cents < 0)


# -- QR payload, remark, document rules -------------------------------------------------------


def test_qr_payload_has_the_digital_invoice_fields_and_our_check():
    payload = qr_payload(BLUE)
    fields = "01,32,,24312000000012345678,292.10,20240501,,"
    assert payload == fields + hashlib.sha256(fields.encode()).hexdigest()[-6:].upper()
    assert re.fullmatch(r"01,32,,\d{20},-?\d+\.\d{2},\d{8},,[0-9A-F]{6}", payload)


def test_qr_payload_of_a_red_invoice_carries_its_negative_total():
    assert qr_payload(RED).startswith("01,32,,24312000000087654321,-292.10,20240509,,")


@pytest.mark.parametrize(
    "change",
    [{"number": "24312000000012345679"}, {"issued_on": date(2024, 5, 2)}],
)
def test_qr_check_changes_with_every_field(change):
    assert qr_payload(replace(BLUE, **change))[-6:] != qr_payload(BLUE)[-6:]


def test_red_remark_names_the_blue_invoice_and_the_form():
    expected = (
        "被红冲蓝字数电发票号码：24312000000012345678 红字发票信息确认单编号：3101202405000001"
    )
    assert remark_for_red(BLUE_NUMBER, FORM.number) == expected
    assert RED.remark == expected
    assert FORM.reason_name == "销货退回"


def test_red_document_reverses_the_blue_one():
    assert (RED.total, RED.total_amount, RED.total_tax) == (
        -BLUE.total,
        -BLUE.total_amount,
        -BLUE.total_tax,
    )
    assert all(line.quantity < 0 < line.unit_price for line in RED.lines)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"number": "2431200000001234567"}, "20 digits"),
        ({"number": "2431200000001234567X"}, "20 digits"),
        ({"kind": "green"}, "blue or red"),
        ({"seller": Party("无税号")}, "seller has a tax id"),
        ({"total": Decimal("292.11")}, "total = total amount + total tax"),
        ({"total_amount": Decimal("258.51"), "total": Decimal("292.11")}, "sum of the lines"),
        ({"lines": ()}, "has lines"),
        ({"blue_number": BLUE_NUMBER}, "only a red invoice"),
    ],
)
def test_blue_document_problems(change, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        replace(BLUE, **change)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"remark": ""}, "remark names the blue invoice"),
        ({"confirmation": None}, "confirmation form"),
        ({"blue_number": ""}, "blue one's 20-digit number"),
        ({"kind": "blue"}, "total has its kind's sign"),
    ],
)
def test_red_document_problems(change, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        replace(RED, **change)


def test_valid_documents_have_no_problems():
    assert document_problems(BLUE) == document_problems(RED) == ()


@pytest.mark.parametrize("reason", ["00", "05", "2", ""])
def test_unknown_red_letter_reason_is_refused(reason):
    with pytest.raises(ValueError, match="reason"):
        RedConfirmation("3101202405000001", reason)


# -- the PDF ---------------------------------------------------------------------------------


def test_blue_pdf_prints_the_invoice(pdfs):
    text = _text(pdfs["blue"])
    for shown in (
        "电子发票（普通发票）",
        "发票号码：24312000000012345678",
        "开票日期：2024年05月01日",
        "名称：上海星河科技有限公司",
        "统一社会信用代码/纳税人识别号：91310115MA1K4QWE9D",
        "名称：东京好物（上海）贸易有限公司",
        "统一社会信用代码/纳税人识别号：91310000MA1FL8TQ3X",
        "*化妆品*保湿面霜 50g 瓶 2 114.15929203539823 228.32 13% 29.68",
        "折扣(10.000%) -22.83 13% -2.97",
        "*化妆品*护手霜 1 53.008849557522124 53.01 13% 6.89",
        "¥258.50 ¥33.60",
        "价税合计（大写） ⊗ 贰佰玖拾贰元壹角 （小写）¥292.10",
        "订单号 DM202405010001",
        "开票人：王小明",
    ):
        assert shown in text


def test_red_pdf_prints_negative_amounts_and_the_remark(pdfs):
    text = _text(pdfs["red"])
    for shown in (
        "发票号码：24312000000087654321",
        "*化妆品*保湿面霜 50g 瓶 -2 102.745 -205.49 13% -26.71",
        "*化妆品*护手霜 -1 53.008849557522124 -53.01 13% -6.89",
        "¥-258.50 ¥-33.60",
        "⊗ 负贰佰玖拾贰元壹角 （小写）¥-292.10",
        "被红冲蓝字数电发票号码：24312000000012345678",
        "红字发票信息确认单编号：3101202405000001",
    ):
        assert shown in text
    assert "折扣" not in text  # the red invoice folded the discount back


def test_special_invoice_has_its_title():
    assert "电子发票（增值税专用发票）" in render_invoice_html(replace(BLUE, special=True))


@pytest.mark.parametrize("kind", ["blue", "red"])
def test_only_the_cjk_font_is_embedded(pdfs, kind):
    rows = _run("pdffonts", pdfs[kind]).splitlines()[2:]
    # Columns: name type encoding emb sub uni object-id; a subset name is "ABCDEF+Family".
    fonts = [(row.split()[0].split("+")[-1], row.split()[-5]) for row in rows]
    assert fonts, rows
    assert all(re.match(r"Noto-?Sans-?CJK-?SC\b", name) for name, _ in fonts), rows
    assert all(embedded == "yes" for _, embedded in fonts), rows


def test_the_pdf_qr_image_is_the_payload(pdfs, tmp_path):
    listed = _run("pdfimages", "-list", pdfs["blue"]).splitlines()[2:]
    assert len(listed) == 1, listed
    _run("pdfimages", "-png", pdfs["blue"], str(tmp_path / "image"))
    image = Image.open(tmp_path / "image-000.png").convert("L")
    matrix = segno.make(qr_payload(BLUE), error="m", micro=False).matrix
    assert image.size == (len(matrix), len(matrix))
    # A module is one pixel: dark pixels are exactly the code's dark modules.
    dark = [[image.getpixel((x, y)) < 128 for x in range(image.width)] for y in range(image.height)]
    assert dark == [[bool(module) for module in row] for row in matrix]


def test_eight_lines_fit_one_page_and_longer_invoices_continue(tmp_path):
    long_name = "*化妆品*" + "保湿滋润修护精华面霜" * 3
    items = [
        ItemIn(f"{long_name}{n}", Decimal("1"), Decimal("10.00"), Decimal("13")) for n in range(8)
    ]
    eight = from_draft(draft_blue(items), number=BLUE_NUMBER, issued_on=date(2024, 5, 1),
                       seller=SELLER, buyer=BUYER, remark="长备注 " * 40)  # fmt: skip
    path = tmp_path / "eight.pdf"
    path.write_bytes(render_invoice_pdf(eight))
    assert _pages(str(path)) == 1
    items = [ItemIn(f"商品{n}", Decimal("1"), Decimal("10.00"), Decimal("13")) for n in range(40)]
    many = replace(eight, **_totals(draft_blue(items)))
    path.write_bytes(render_invoice_pdf(many))
    pages = _pages(str(path))
    assert pages > 1
    for page in range(1, pages + 1):
        assert "项目名称" in _text(str(path), "-f", str(page), "-l", str(page))  # header repeated
    last = _text(str(path), "-f", str(pages), "-l", str(pages))
    assert "价税合计（大写） ⊗ 肆佰元整" in last


def _totals(draft) -> dict:
    return {
        "lines": draft.lines,
        "total_amount": draft.total_amount,
        "total_tax": draft.total_tax,
        "total": draft.total,
    }


def test_merchant_text_is_escaped():
    html = render_invoice_html(replace(BLUE, buyer=Party("<b>Shop</b> & Co")))
    assert "&lt;b&gt;Shop&lt;/b&gt; &amp; Co" in html
    assert "<b>Shop</b>" not in html
    assert '<html lang="zh-CN">' in html
    assert 'src="data:image/png;base64,' in html


@pytest.mark.parametrize(
    ("price", "shown"),
    [
        (Decimal("114.159292035398230"), "114.15929203539823"),
        (Decimal("102.745000000000000"), "102.745"),
        (Decimal("100"), "100.00"),
        (Decimal("53.1"), "53.10"),
        (None, ""),
    ],
)
def test_unit_price_keeps_its_decimals(price, shown):
    assert unit_price(price) == shown


# -- the XML ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc", [BLUE, RED, replace(BLUE, special=True)], ids=["blue", "red", "special"]
)
def test_xml_round_trips(doc):
    assert read_invoice_xml(render_invoice_xml(doc)) == doc


def test_xml_is_structured_with_decimals_as_strings():
    data = render_invoice_xml(RED)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    text = data.decode("utf-8")
    for shown in (
        "<Number>24312000000087654321</Number>",
        "<IssuedOn>2024-05-09</IssuedOn>",
        "<Quantity>-2</Quantity>",
        "<UnitPrice>102.745000000000000</UnitPrice>",
        "<Amount>-205.49</Amount>",
        "<Total>-292.10</Total>",
        "<TotalInCapitals>负贰佰玖拾贰元壹角</TotalInCapitals>",
        "<BlueNumber>24312000000012345678</BlueNumber>",
        "<ReasonCode>02</ReasonCode>",
        "<ReasonName>销货退回</ReasonName>",
    ):
        assert shown in text
    assert "<RedConfirmation>" not in render_invoice_xml(BLUE).decode("utf-8")


def test_xml_discount_line_has_no_quantity_or_price():
    text = render_invoice_xml(BLUE).decode("utf-8")
    discount = re.search(r'<Line number="2" kind="discount">.*?</Line>', text, re.DOTALL).group()
    assert "<Amount>-22.83</Amount>" in discount
    assert "<Quantity>" not in discount and "<UnitPrice>" not in discount


def test_xml_entities_are_not_expanded():
    hostile = (
        render_invoice_xml(BLUE)
        .replace(
            b"<?xml version='1.0' encoding='UTF-8'?>",
            b"<?xml version='1.0' encoding='UTF-8'?>"
            b'<!DOCTYPE EInvoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        )
        .replace(b"<Remark>", b"<Remark>&x;")
    )
    assert "root:" not in read_invoice_xml(hostile).remark


def test_xml_of_another_root_is_refused():
    with pytest.raises(ValueError, match="EInvoice"):
        read_invoice_xml(b"<Invoice/>")
