"""Validate CEB XML against the official 2022-05 import schema shipped with the package."""

import functools
import threading
from pathlib import Path

from lxml import etree

XSD = Path(__file__).parent / "xsd" / "ceb_import_202205.xsd"

# One validation at a time: an XMLSchema keeps the last run's errors on the instance.
_lock = threading.Lock()


def hardened_parser() -> etree.XMLParser:
    """Return the parser for XML from outside: no entities, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
    )


def parse_xml(xml: bytes) -> etree._Element:
    """Parse outside XML with the hardened parser (a UTF-8 BOM is accepted)."""
    return etree.fromstring(xml, parser=hardened_parser())


@functools.cache
def import_schema() -> etree.XMLSchema:
    """Load the import schema once (it imports xmldsig-core-schema.xsd from the same folder)."""
    document = etree.parse(str(XSD), parser=hardened_parser())
    return etree.XMLSchema(document)


def schema_problems(xml: bytes) -> list[str]:
    """Return every schema violation as "line N: message"; not well-formed XML is one."""
    try:
        document = parse_xml(xml)
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: not well-formed XML: {error.msg}"]
    schema = import_schema()
    with _lock:
        if schema.validate(document):
            return []
        return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]
