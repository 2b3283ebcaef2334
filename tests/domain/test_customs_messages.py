"""The four import declarations as CEB XML: schema-valid, in China time, money to the fen."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from lxml import etree

from storefront.customs.schema import schema_problems
from storefront.domain.customs.declarations import (
    Consignee,
    MessageHead,
    OrderDeclaration,
    Party,
)
from storefront.domain.customs.messages import (
    MESSAGE_TYPES,
    china_timestamp,
    inventory_message,
    order_message,
    payment_message,
    waybill_message,
)
from storefront.domain.customs.receipts import DocumentKind
from tests.support.declarations import (
    DECLARED_ON,
    GUID,
    make_declaration,
    make_head,
    make_line,
)

CEB = "http://www.chinaport.gov.cn/ceb"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"ceb": CEB}


def with_placeholder_signature(xml: bytes) -> bytes:
    """Append a schema-valid, cryptographically empty ds:Signature (NOTES §7), as a signer would."""
    root = etree.fromstring(xml)
    signature = etree.SubElement(root, f"{{{DS}}}Signature", nsmap={"ds": DS})
    signed = etree.SubElement(signature, f"{{{DS}}}SignedInfo")
    etree.SubElement(
        signed,
        f"{{{DS}}}CanonicalizationMethod",
        Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    etree.SubElement(
        signed, f"{{{DS}}}SignatureMethod", Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    )
    reference = etree.SubElement(signed, f"{{{DS}}}Reference", URI="")
    transforms = etree.SubElement(reference, f"{{{DS}}}Transforms")
    etree.SubElement(
        transforms,
        f"{{{DS}}}Transform",
        Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    )
    etree.SubElement(
        reference, f"{{{DS}}}DigestMethod", Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"
    )
    etree.SubElement(reference, f"{{{DS}}}DigestValue")
    etree.SubElement(signature, f"{{{DS}}}SignatureValue")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def all_messages(declaration: OrderDeclaration, head: MessageHead) -> dict[str, bytes]:
    """The four messages, the inventory signed with the placeholder."""
    inventory = inventory_message(declaration, head, DECLARED_ON)
    return {
        "311": order_message(declaration, head),
        "411": payment_message(declaration, head),
        "511": waybill_message(declaration, head),
        "621": with_placeholder_signature(inventory),
    }


def text(xml: bytes, path: str) -> list[str]:
    return [node.text for node in etree.fromstring(xml).iterfind(path, NS)]


@pytest.mark.parametrize("trade_mode", ["1210", "9610"])
@pytest.mark.parametrize("kind", ["311", "411", "511", "621"])
def test_every_message_is_schema_valid_with_its_root(trade_mode, kind):
    xml = all_messages(make_declaration(trade_mode), make_head())[kind]
    assert schema_problems(xml) == []
    root = etree.fromstring(xml)
    assert root.tag == f"{{{CEB}}}{MESSAGE_TYPES[DocumentKind(kind)]}"
    assert root.prefix == "ceb"
    assert (root.get("guid"), root.get("version")) == (GUID, "1.0")


def test_message_types_are_keyed_by_document_kind():
    assert MESSAGE_TYPES == {
        DocumentKind.ORDER: "CEB311Message",
        DocumentKind.PAYMENT: "CEB411Message",
        DocumentKind.WAYBILL: "CEB511Message",
        DocumentKind.INVENTORY: "CEB621Message",
    }


def test_messages_are_utf8_with_an_xml_declaration():
    xml = order_message(make_declaration(), make_head())
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "保湿面霜".encode() in xml


def test_the_unsigned_inventory_ends_with_base_transfer_and_lacks_only_the_signature():
    xml = inventory_message(make_declaration(), make_head(), DECLARED_ON)
    root = etree.fromstring(xml)
    assert etree.QName(root[-1]).localname == "BaseTransfer"
    problems = schema_problems(xml)
    assert len(problems) == 1 and "Signature" in problems[0]


def test_times_are_written_in_china_standard_time():
    xml = order_message(make_declaration(), make_head())
    assert text(xml, ".//ceb:appTime") == ["20240501100005"]  # 02:00:05 UTC
    payment = payment_message(make_declaration(), make_head())
    assert text(payment, ".//ceb:payTime") == ["20240501095505"]
    assert china_timestamp(datetime(2024, 12, 31, 16, 0, tzinfo=UTC)) == "20250101000000"


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        order_message(make_declaration(), make_head(app_time=datetime(2024, 5, 1, 10)))  # noqa: DTZ001


def test_money_has_two_decimals_and_never_an_exponent():
    declaration = make_declaration(freight=D("1E+3"), tax_total=D("27.3"))
    xml = order_message(declaration, make_head())
    assert text(xml, ".//ceb:freight") == ["1000.00"]
    assert text(xml, ".//ceb:taxTotal") == ["27.30"]
    assert text(xml, ".//ceb:OrderList/ceb:price") == ["100.00", "50.00"]


def test_weights_and_legal_quantities_are_written_without_trailing_zeros():
    declaration = make_declaration(gross_weight=D("0.450"), net_weight=D("3E+1"))
    xml = inventory_message(declaration, make_head(), DECLARED_ON)
    assert text(xml, ".//ceb:grossWeight") == ["0.45"]
    assert text(xml, ".//ceb:netWeight") == ["30"]
    assert text(xml, ".//ceb:qty1") == ["0.2", "0.2"]
    assert text(waybill_message(declaration, make_head()), ".//ceb:weight") == ["0.45"]


def test_the_order_carries_the_payment_link():
    xml = order_message(make_declaration(), make_head())
    assert text(xml, ".//ceb:payCode") == ["3101960003"]
    assert text(xml, ".//ceb:payTransactionId") == ["PAY202405010001"]
    assert text(xml, ".//ceb:buyerIdType") == ["1"]
    assert text(xml, ".//ceb:orderType") == ["I"]


def test_bonded_inventory_names_the_account_book_and_warehouse_and_no_transport():
    xml = inventory_message(make_declaration("1210"), make_head(), DECLARED_ON)
    assert text(xml, ".//ceb:emsNo") == ["T2244W000123"]
    assert text(xml, ".//ceb:areaCode") == ["3101960006"]
    assert text(xml, ".//ceb:itemRecordNo") == ["REC0001", "REC0002"]
    assert text(xml, ".//ceb:trafNo") == [] and text(xml, ".//ceb:billNo") == []
    assert text(xml, ".//ceb:country")[0] == "142"


def test_direct_purchase_names_the_transport_and_no_account_book():
    declaration = make_declaration("9610")
    xml = inventory_message(declaration, make_head(), DECLARED_ON)
    assert text(xml, ".//ceb:trafNo") == ["MU5101"]
    assert text(xml, ".//ceb:voyageNo") == ["20240501"]
    assert text(xml, ".//ceb:InventoryHead/ceb:billNo") == ["781-12345675"]
    assert text(xml, ".//ceb:emsNo") == [] and text(xml, ".//ceb:itemRecordNo") == []
    assert text(waybill_message(declaration, make_head()), ".//ceb:billNo") == ["781-12345675"]


def test_inventory_lines_mirror_the_order_lines():
    declaration = make_declaration(lines=(make_line(1, bar_code="4901234567894"), make_line(2)))
    xml = inventory_message(declaration, make_head(), DECLARED_ON)
    assert text(xml, ".//ceb:gnum") == ["1", "2"]
    assert text(xml, ".//ceb:barCode") == ["4901234567894", "无"]
    assert text(xml, ".//ceb:gname") == text(xml, ".//ceb:itemName") == ["保湿面霜"] * 2
    assert text(xml, ".//ceb:declTime") == ["20240501"]
    assert text(xml, ".//ceb:packNo") == ["1"]


def test_second_quantity_is_written_only_when_there_is_one():
    line = make_line(1, qty2=D("2.000"), unit2="007")
    xml = inventory_message(make_declaration(lines=(line,)), make_head(), DECLARED_ON)
    assert text(xml, ".//ceb:qty2") == ["2"] and text(xml, ".//ceb:unit2") == ["007"]
    plain = inventory_message(make_declaration(), make_head(), DECLARED_ON)
    assert text(plain, ".//ceb:qty2") == []


def test_base_transfer_names_the_enterprise_unless_another_sender_is_given():
    declaration = make_declaration()
    xml = order_message(declaration, make_head())
    assert text(xml, "ceb:BaseTransfer/ceb:copCode") == ["3101960002"]
    assert text(xml, "ceb:BaseTransfer/ceb:dxpMode") == ["DXP"]
    assert text(xml, "ceb:BaseTransfer/ceb:dxpId") == ["DXPENT0000012345"]
    agent = Party("3101960005", "示例报关有限公司")
    sent_by_agent = inventory_message(declaration, make_head(sender=agent), DECLARED_ON)
    assert text(sent_by_agent, "ceb:BaseTransfer/ceb:copCode") == ["3101960005"]


def test_markup_in_names_is_escaped():
    consignee = Consignee("A&B <公司>", "13800000000", "上海 & 北京")
    xml = waybill_message(make_declaration(consignee=consignee), make_head())
    assert schema_problems(xml) == []
    assert text(xml, ".//ceb:consignee") == ["A&B <公司>"]


def test_the_currency_is_always_cny():
    for xml in all_messages(make_declaration(), make_head()).values():
        assert set(text(xml, ".//ceb:currency")) == {"142"}
