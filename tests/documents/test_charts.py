"""Server-drawn SVG charts: well-formed, one bar per point carrying its figure, labels escaped."""

from decimal import Decimal as D

from lxml import etree

from storefront.documents.charts import Point, bar_chart, column_chart, stacked_bar

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '</text><script>alert("x")</script>&amp;<!--'


def parsed(markup) -> etree._Element:
    return etree.fromstring(str(markup).encode())  # raises on anything not well-formed


def bars(root) -> list[tuple[str, str]]:
    return [(g.get("data-label"), g.get("data-value")) for g in root.iterfind(".//svg:g", NS)]


def test_columns_over_days_carry_each_value_with_axis_and_accessible_names():
    points = [Point("11-20", D("120.50")), Point("11-21", D("0.00")), Point("11-22", D("80.25"))]
    root = parsed(column_chart("sales", "销售额", "每日销售额", points, axis_label="元"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "sales-title sales-desc"
    assert root.findtext("svg:title", namespaces=NS) == "销售额"
    assert root.findtext("svg:desc", namespaces=NS) == "每日销售额"
    assert bars(root) == [("11-20", "120.50"), ("11-21", "0.00"), ("11-22", "80.25")]
    heights = [float(r.get("height")) for r in root.iterfind(".//svg:g/svg:rect", NS)]
    assert heights[1] == 0 and heights[0] > heights[2] > 0
    texts = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert "元" in texts and "200" in texts  # the axis label and the axis top (a nice 200)
    titles = [t.text for t in root.iterfind(".//svg:g/svg:title", NS)]
    assert titles[0] == "11-20: 120.50"


def test_horizontal_bars_are_as_long_as_their_share_and_link_to_their_numbers():
    points = [Point("待发货", 4, "/admin/orders?status=paid"), Point("已发货", 2)]
    root = parsed(bar_chart("states", "按状态", "订单数", points))
    widths = [float(r.get("width")) for r in root.iterfind(".//svg:rect", NS)]
    assert widths[0] == 2 * widths[1]
    (link,) = root.iterfind("svg:a", NS)
    assert link.get("href") == "/admin/orders?status=paid"
    assert bars(root) == [("待发货", "4"), ("已发货", "2")]


def test_a_hostile_product_name_stays_text():
    markup = str(bar_chart("top", "热销", "按数量", [Point(HOSTILE, 3)]))
    assert "<script>" not in markup and "</text><script>" not in markup
    root = parsed(markup)
    assert root.find(".//svg:script", NS) is None
    assert bars(root) == [(HOSTILE, "3")]  # the name reads back exactly as typed


def test_a_stacked_bar_splits_the_width_and_names_each_part_in_its_legend():
    root = parsed(stacked_bar("mix", "海关状态", "申报单", [Point("放行", 3), Point("退单", 1)]))
    segments = [g.find("svg:rect", NS) for g in root.iterfind(".//svg:g", NS)]
    assert float(segments[0].get("width")) == 3 * float(segments[1].get("width"))
    legends = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert legends == ["放行: 3", "退单: 1"]


def test_no_points_and_all_zero_points_draw_an_empty_chart():
    assert bars(parsed(bar_chart("none", "t", "d", []))) == []
    zero = parsed(column_chart("z", "t", "d", [Point("11-01", 0)], axis_label="单"))
    assert [r.get("height") for r in zero.iterfind(".//svg:g/svg:rect", NS)] == ["0.0"]
