"""Inspect declaration files (`flask customs validate FILE...`): schema, then business rules.

Each file gets its schema problems, then the rules of `domain.customs.consistency` on the
records it holds; records of different files about the same order are compared with each other
(NOTES §5). Every problem is one line naming the file and the element.
"""

from dataclasses import dataclass

from lxml import etree

from storefront.customs.schema import parse_xml, schema_problems
from storefront.domain.customs.consistency import (
    PAIRS,
    Problem,
    cross_problems,
    record_problems,
    related,
)
from storefront.domain.customs.messages import LAYOUTS, NAMESPACE, Layout, Record
from storefront.domain.customs.receipts import DocumentKind

KINDS = {layout.root: kind for kind, layout in LAYOUTS.items()}


@dataclass(frozen=True)
class Found:
    """One record read from a file, with where it was found."""

    file: str
    label: str  # the wrapper and its position, e.g. "Order[2]"
    record: Record


def inspect_files(files: list[tuple[str, bytes]]) -> list[str]:
    """Return every problem of the files, one line each; an empty list means all is well."""
    lines: list[str] = []
    found: list[Found] = []
    for name, content in files:
        lines += [f"{name}: {problem}" for problem in schema_problems(content)]
        records, refusal = read_records(name, content)
        if refusal:
            lines.append(f"{name}: {refusal}")
        for item in records:
            lines += [_line(item, problem) for problem in record_problems(item.record)]
        found += records
    lines += _cross_lines(found)
    return list(dict.fromkeys(lines))


def read_records(name: str, content: bytes) -> tuple[list[Found], str]:
    """Return the declaration records a file holds, or why it holds none."""
    try:
        root = parse_xml(content)
    except etree.XMLSyntaxError:
        return [], ""  # the schema check has said so already
    qname = etree.QName(root)
    kind = KINDS.get(qname.localname) if qname.namespace == NAMESPACE else None
    if kind is None:
        return [], f"not a declaration (root {qname.localname})"
    layout = LAYOUTS[kind]
    wrappers = [child for child in root if _is(child, layout.wrapper)]
    return [
        Found(name, f"{layout.wrapper}[{n}]", _record(kind, layout, wrapper))
        for n, wrapper in enumerate(wrappers, start=1)
    ], ""


def _is(element: etree._Element, name: str) -> bool:
    # Comments and processing instructions have no string tag; receipts use a default
    # namespace and declarations a prefix, so match the URI and local name (README.md).
    if not isinstance(element.tag, str):
        return False
    qname = etree.QName(element)
    return qname.namespace == NAMESPACE and qname.localname == name


def _fields(element: etree._Element) -> dict[str, str]:
    return {
        etree.QName(child).localname: child.text or ""
        for child in element
        if isinstance(child.tag, str)
    }


def _record(kind: DocumentKind, layout: Layout, wrapper: etree._Element) -> Record:
    heads = [child for child in wrapper if _is(child, layout.head)]
    lines = [_fields(child) for child in wrapper if layout.line and _is(child, layout.line)]
    return Record(kind, _fields(heads[0]) if heads else {}, tuple(lines))


def _line(item: Found, problem: Problem, against: Found | None = None) -> str:
    text = f"{item.file}: {item.label} {problem.field}: [{problem.code}] {problem.detail}"
    return f"{text} (against {against.file} {against.label})" if against else text


def _cross_lines(found: list[Found]) -> list[str]:
    lines = []
    for first_kind, second_kind in PAIRS:
        firsts = [item for item in found if item.record.kind == first_kind]
        seconds = [item for item in found if item.record.kind == second_kind]
        for first in firsts:
            for second in seconds:
                if not related(first.record, second.record):
                    continue
                problems = cross_problems(first.record, second.record)
                lines += [_line(second, problem, against=first) for problem in problems]
    return lines
