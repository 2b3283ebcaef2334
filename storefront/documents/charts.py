"""Charts drawn on the server as SVG: no script, works offline, readable by tests and readers.

Built with ElementTree, so every label (merchant-typed product names included) is escaped by
construction. Each chart has a <title> and <desc>; each bar a <title> with its label and value
and `data-label` / `data-value` attributes (the exact figure, not the drawn length).
"""

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
COLOURS = ("#2f6db5", "#e08a1e", "#3a9a5b", "#c0392b", "#7d5ba6", "#16a3a3", "#8c6d31", "#6b6b6b")
AXIS, GRID, INK = "#555", "#ddd", "#222"
WIDTH = 720
LABEL_UNITS = 18  # a label longer than this (CJK counting double) is cut, in full in its <title>


@dataclass(frozen=True)
class Point:
    """One bar: what it is, its figure, and where its numbers are (optional)."""

    label: str
    value: Decimal | int
    href: str | None = None


Formatter = Callable[[Decimal | int], str]


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    axis_label: str,
    value_text: Formatter = str,
) -> Markup:
    """Draw one column per point (days left to right) with a value axis and a label axis."""
    left, top, bottom, height = 80, 30, 40, 240
    plot_w, plot_h = WIDTH - left - 20, height - top - bottom
    svg = _svg(chart_id, title, description, height)
    ceiling = _nice_ceiling(max((p.value for p in points), default=0))
    _value_axis(svg, left, top, plot_w, plot_h, ceiling, value_text)
    _text(svg, 4, top - 12, axis_label, size=12)
    step = plot_w / max(len(points), 1)
    every = max(1, math.ceil(len(points) / 10))  # at most ten labels under the axis
    show_values = len(points) <= 15
    for index, point in enumerate(points):
        bar_h = _share(point.value, ceiling) * plot_h
        x, y = left + index * step + step * 0.15, top + plot_h - bar_h
        group = _bar_group(svg, point, value_text)
        _rect(group, x, y, step * 0.7, bar_h, COLOURS[0])
        if show_values:
            _text(group, x + step * 0.35, y - 4, value_text(point.value), size=10, anchor="middle")
        if index % every == 0:
            _text(svg, x + step * 0.35, top + plot_h + 16, point.label, size=11, anchor="middle")
    return _markup(svg)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    value_text: Formatter = str,
) -> Markup:
    """Draw one horizontal bar per point, its label on the left and its value on the right."""
    left, right, row, top = 170, 110, 26, 10
    plot_w = WIDTH - left - right
    height = top * 2 + row * max(len(points), 1)
    svg = _svg(chart_id, title, description, height)
    largest = max((p.value for p in points), default=0)
    _line(svg, left, top, left, height - top, AXIS)
    for index, point in enumerate(points):
        y = top + index * row
        group = _bar_group(svg, point, value_text)
        _text(group, left - 6, y + row * 0.65, _cut(point.label), size=12, anchor="end")
        bar_w = _share(point.value, largest) * plot_w
        _rect(group, left, y + row * 0.15, bar_w, row * 0.7, COLOURS[index % len(COLOURS)])
        _text(group, left + bar_w + 6, y + row * 0.65, value_text(point.value), size=12)
    return _markup(svg)


def stacked_bar(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    value_text: Formatter = str,
) -> Markup:
    """Draw one horizontal bar split into the points' shares, with a legend row per point."""
    left, top, bar_h, row = 10, 10, 34, 22
    plot_w = WIDTH - 2 * left
    height = top + bar_h + 16 + row * max(len(points), 1)
    svg = _svg(chart_id, title, description, height)
    total = sum((p.value for p in points), 0)
    x = float(left)
    for index, point in enumerate(points):
        colour = COLOURS[index % len(COLOURS)]
        group = _bar_group(svg, point, value_text)
        width = _share(point.value, total) * plot_w
        _rect(group, x, top, width, bar_h, colour)
        x += width
        legend_y = top + bar_h + 16 + index * row
        _rect(group, left, legend_y, 12, 12, colour)
        _text(group, left + 18, legend_y + 11, f"{point.label}: {value_text(point.value)}", size=12)
    return _markup(svg)


def _svg(chart_id: str, title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "id": chart_id,
            "class": "chart",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": FONT,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    return svg


def _bar_group(parent: ET.Element, point: Point, value_text: Formatter) -> ET.Element:
    """A bar's group: a link to its numbers when it has one, its label and value in <title>."""
    if point.href:
        parent = ET.SubElement(parent, "a", {"href": point.href})
    attributes = {"class": "bar", "data-label": point.label, "data-value": str(point.value)}
    group = ET.SubElement(parent, "g", attributes)
    ET.SubElement(group, "title").text = f"{point.label}: {value_text(point.value)}"
    return group


def _value_axis(svg, left, top, plot_w, plot_h, ceiling, value_text: Formatter) -> None:
    _line(svg, left, top, left, top + plot_h, AXIS)
    _line(svg, left, top + plot_h, left + plot_w, top + plot_h, AXIS)
    for fraction in (Decimal("0.5"), Decimal(1)):
        y = top + plot_h - float(fraction) * plot_h
        _line(svg, left, y, left + plot_w, y, GRID)
        tick = ceiling * fraction
        tick = int(tick) if tick == int(tick) else tick
        _text(svg, left - 6, y + 4, value_text(tick), size=11, anchor="end")
    _text(svg, left - 6, top + plot_h + 4, value_text(0), size=11, anchor="end")


def _nice_ceiling(value: Decimal | int) -> Decimal:
    """Return the smallest 1, 2 or 5 times a power of ten at least `value` (axis tops)."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= value:
            return power * factor
    return power * 10  # unreachable: 10 x the power always covers the value


def _share(value: Decimal | int, whole: Decimal | int) -> float:
    """The bar's length as a fraction of the whole (geometry only, the figures stay exact)."""
    return float(Decimal(value) / Decimal(whole)) if whole else 0.0


def _cut(label: str) -> str:
    units, kept = 0, []
    for char in label:
        units += 2 if ord(char) > 0x2E80 else 1  # CJK and full-width glyphs are twice as wide
        if units > LABEL_UNITS:
            return "".join(kept) + "…"
        kept.append(char)
    return label


def _rect(parent, x, y, width, height, fill: str) -> None:
    ET.SubElement(
        parent,
        "rect",
        {"x": _n(x), "y": _n(y), "width": _n(width), "height": _n(height), "fill": fill},
    )


def _line(parent, x1, y1, x2, y2, stroke: str) -> None:
    coordinates = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2)}
    ET.SubElement(parent, "line", {**coordinates, "stroke": stroke})


def _text(parent, x, y, content: str, *, size: int, anchor: str = "start") -> None:
    attributes = {"x": _n(x), "y": _n(y), "font-size": str(size), "fill": INK}
    if anchor != "start":
        attributes["text-anchor"] = anchor
    ET.SubElement(parent, "text", attributes).text = content


def _n(number: float) -> str:
    return f"{number:.1f}"


def _markup(svg: ET.Element) -> Markup:
    # ElementTree escapes text and attribute values: the result is safe to put in a page as is
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704
