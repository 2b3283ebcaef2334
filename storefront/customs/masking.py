"""A customs message as people may read it: every ID number masked (SPEC §1, PIPL)."""

from lxml import etree

from storefront.customs.schema import parse_xml
from storefront.domain.identity import mask_prc_id

ID_ELEMENTS = ("buyerIdNumber", "payerIdNumber")


def masked_message(xml: str) -> str:
    """Return the message with every buyer and payer ID number masked; raise ValueError for
    text that is not well-formed XML (it is never shown: it could hold anything)."""
    try:
        root = parse_xml(xml.encode("utf-8"))  # the package's one hardened parser
    except etree.XMLSyntaxError as error:
        raise ValueError("not well-formed XML") from error
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in ID_ELEMENTS:
            element.text = mask_prc_id((element.text or "").strip())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
