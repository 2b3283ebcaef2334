"""Receipt files: the official samples, DXP envelopes, batches, a BOM, and garbage."""

import base64
from pathlib import Path

import pytest

from storefront.customs.codes import dxp_error_text, error_text, return_status_text
from storefront.customs.receipts import ReceiptError, parse_receipts
from storefront.domain.customs.receipts import DocumentKind

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "customs"


@pytest.mark.parametrize(
    ("sample", "kind", "key", "status", "time"),
    [
        ("CEB312Message.xml", "311", "1105910159|order20160321116420545", "2", "20160428182238000"),
        ("CEB412Message.xml", "411", "1105910159|P0321000433", "120", "20160311210300000"),
        ("CEB512Message.xml", "511", "1105910159|L20160321114400001", "2", "20160506152250000"),
        ("CEB622Message.xml", "621", "cop2016032211000", "1", "20160512102646001"),
    ],
)
def test_official_samples_parse_with_their_keys(sample, kind, key, status, time):
    receipts = parse_receipts((SAMPLES / sample).read_bytes())
    assert len(receipts) == 10  # the samples repeat one *Return ten times
    first = receipts[0]
    assert (first.kind, first.key, first.return_status, first.return_time) == (
        DocumentKind(kind),
        key,
        status,
        time,
    )


def test_inventory_receipt_carries_pre_no_and_info():
    (first, *_) = parse_receipts((SAMPLES / "CEB622Message.xml").read_bytes())
    assert (first.pre_no, first.invt_no, first.info) == ("B20160512000001882", "", "暂存")


def inventory_return(cop_no, status, time, invt_no="", prefix=""):
    p = f"{prefix}:" if prefix else ""
    return (
        f"<{p}InventoryReturn><{p}guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</{p}guid>"
        f"<{p}customsCode>2244</{p}customsCode><{p}copNo>{cop_no}</{p}copNo>"
        f"<{p}preNo>B20260101000000001</{p}preNo><{p}invtNo>{invt_no}</{p}invtNo>"
        f"<{p}returnStatus>{status}</{p}returnStatus><{p}returnTime>{time}</{p}returnTime>"
        f"<{p}returnInfo>处理</{p}returnInfo></{p}InventoryReturn>"
    )


def ceb622(*returns, prefix=""):
    p = f"{prefix}:" if prefix else ""
    declaration = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}CEB622Message {declaration}='
        '"http://www.chinaport.gov.cn/ceb" guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" '
        f'version="1.0">{"".join(returns)}</{p}CEB622Message>'
    ).encode()


def dxp(inner: bytes, prefix="dxp"):
    p = f"{prefix}:" if prefix else ""
    declaration = f"xmlns:{prefix}" if prefix else "xmlns"
    data = base64.encodebytes(inner).decode()  # line breaks inside Data are allowed
    return (
        f'<{p}DxpMsg {declaration}="http://www.chinaport.gov.cn/dxp" ver="1.0"><{p}TransInfo>'
        f"<{p}CopMsgId>1</{p}CopMsgId><{p}SenderId>EPORT</{p}SenderId><{p}ReceiverIds>"
        f"<{p}ReceiverId>DXPENT0000000001</{p}ReceiverId></{p}ReceiverIds>"
        f"<{p}CreatTime>2026-01-01T12:00:00</{p}CreatTime><{p}MsgType>CEB622Message</{p}MsgType>"
        f"</{p}TransInfo><{p}Data>{data}</{p}Data></{p}DxpMsg>"
    ).encode()


def test_a_batch_of_several_documents_and_statuses():
    content = ceb622(
        inventory_return("KJ1", "120", "20260101120000002", "224420261000000001"),
        inventory_return("KJ2", "-621018", "20260101120000001"),
        inventory_return("KJ1", "2", "20260101120000000"),
    )
    receipts = parse_receipts(content)
    assert [(r.key, r.return_status, r.invt_no) for r in receipts] == [
        ("KJ1", "120", "224420261000000001"),
        ("KJ2", "-621018", ""),
        ("KJ1", "2", ""),
    ]


@pytest.mark.parametrize("prefix", ["", "ceb", "x"])
def test_any_prefix_is_read_by_namespace(prefix):
    (only,) = parse_receipts(
        ceb622(inventory_return("KJ1", "2", "20261130120000000", prefix=prefix), prefix=prefix)
    )
    assert only.key == "KJ1"


@pytest.mark.parametrize("prefix", ["dxp", ""])
def test_dxp_envelope_is_opened(prefix):
    inner = (SAMPLES / "CEB312Message.xml").read_bytes()
    receipts = parse_receipts(dxp(inner, prefix))
    assert len(receipts) == 10 and receipts[0].key == "1105910159|order20160321116420545"


def test_a_bom_is_fine_bare_and_enveloped():
    content = b"\xef\xbb\xbf" + ceb622(inventory_return("KJ1", "800", "20261130120000000"))
    assert parse_receipts(content)[0].return_status == "800"
    assert parse_receipts(b"\xef\xbb\xbf" + dxp(content))[0].return_status == "800"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "well-formed"),
        (b"hello", "well-formed"),
        (b"<a><b></a>", "well-formed"),
        ((SAMPLES / "CEB311Message.xml").read_bytes(), "CEB311Message"),
        (b'<CEB816Message xmlns="http://www.chinaport.gov.cn/ceb"/>', "CEB816Message"),
        (b'<CEB312Message xmlns="urn:other"/>', "CEB312Message"),
        (ceb622(inventory_return("", "2", "2" * 17)), "copNo"),
        (ceb622(inventory_return("KJ1", "", "2" * 17)), "returnStatus"),
        (ceb622(inventory_return("KJ1", "ok", "2" * 17)), "not a number"),
        (ceb622(inventory_return("KJ1", "2", "2026")), "17 digits"),
        (ceb622(inventory_return("KJ1", "2", "20261399093100000")), "of a moment"),
        (ceb622(inventory_return("KJ1", "2", "2026030109310000\u0661")), "of a moment"),
        (dxp(b"not xml"), "well-formed"),
        (b'<DxpMsg xmlns="http://www.chinaport.gov.cn/dxp" ver="1.0"/>', "no Data"),
        (dxp(b"x").replace(b"eA==", b"!!!"), "Base64"),
    ],
)
def test_unreadable_files_raise_receipt_error(content, reason):
    with pytest.raises(ReceiptError, match=reason):
        parse_receipts(content)


def test_entities_are_not_expanded():
    content = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + ceb622(inventory_return("&x;", "2", "2" * 17)).split(b"?>", 1)[1]
    )
    with pytest.raises(ReceiptError, match="copNo"):
        parse_receipts(content)


@pytest.mark.parametrize(
    ("lookup", "code", "text"),
    [
        (return_status_text, "2", "电子口岸申报中"),
        (return_status_text, "800", "放行"),
        (return_status_text, "-621018", "处理异常回执"),
        (return_status_text, "42", None),
        (error_text, "-621018", "清单[*]中购买人[*]已用购买额度为[*]，本次购买将超过年度限额[*]"),
        (error_text, "-621027", "保存失败，请确认状态并刷新重试"),
        (error_text, "-1", None),
        (dxp_error_text, "0002", "数据包不能通过 schema 验证"),
        (dxp_error_text, "2", None),
    ],
)
def test_code_tables(lookup, code, text):
    assert lookup(code) == text
