"""Parse XML that comes from outside the adapter (declarations, receipts) safely."""

from lxml import etree

from storefront.ports import PortError


def parse_untrusted(xml: bytes) -> etree._Element:
    """Parse with entities, network and huge trees off, or raise PortError("not_xml")."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
    )
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise PortError("not_xml", f"the message is not well-formed XML ({error})") from None
    if root is None:
        raise PortError("not_xml", "the message holds no XML element")
    return root
