"""Electronic tax bills (CEB816): read bare or enveloped, checked, and what they deduct."""

import base64
from decimal import Decimal as D

import pytest

from storefront.customs.receipts import ReceiptError, parse_customs_file, parse_receipts
from storefront.customs.schema import schema_problems
from storefront.domain.customs.receipts import (
    TaxBill,
    TaxBillStatus,
    tax_deducted,
    tax_refunded,
)

GUID = "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"


def tax(invt_no="224420261000000001", tax_no="T1", vat="37.31000", ct="12.69", status="1",
        time="20260301093100001", extra="", lines=None, prefix="ceb"):  # fmt: skip
    p = f"{prefix}:" if prefix else ""
    lines = lines if lines is not None else [("1", "3304990099", "410", "0", vat, ct)]
    listed = "".join(
        f"<{p}TaxListRd><{p}gnum>{n}</{p}gnum><{p}gcode>{code}</{p}gcode>"
        f"<{p}taxPrice>{price}</{p}taxPrice><{p}customsTax>{duty}</{p}customsTax>"
        f"<{p}valueAddedTax>{v}</{p}valueAddedTax><{p}consumptionTax>{c}</{p}consumptionTax>"
        f"</{p}TaxListRd>"
        for n, code, price, duty, v, c in lines
    )
    return (
        f"<{p}Tax><{p}TaxHeadRd><{p}guid>{GUID}</{p}guid><{p}returnTime>{time}</{p}returnTime>"
        f"<{p}invtNo>{invt_no}</{p}invtNo><{p}taxNo>{tax_no}</{p}taxNo>"
        f"<{p}customsTax>0</{p}customsTax><{p}valueAddedTax>{vat}</{p}valueAddedTax>"
        f"<{p}consumptionTax>{ct}</{p}consumptionTax><{p}status>{status}</{p}status>"
        f"{extra}</{p}TaxHeadRd>{listed}</{p}Tax>"
    )


def ceb816(*taxes, prefix="ceb"):
    p = f"{prefix}:" if prefix else ""
    declaration = f"xmlns:{prefix}" if prefix else "xmlns"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}CEB816Message {declaration}='
        f'"http://www.chinaport.gov.cn/ceb" guid="{GUID}" version="1.0">{"".join(taxes)}'
        f"</{p}CEB816Message>"
    ).encode()


def dxp(inner: bytes) -> bytes:
    data = base64.encodebytes(inner).decode()
    return (
        '<dxp:DxpMsg xmlns:dxp="http://www.chinaport.gov.cn/dxp" ver="1.0"><dxp:TransInfo>'
        "<dxp:CopMsgId>1</dxp:CopMsgId><dxp:SenderId>EPORT</dxp:SenderId><dxp:ReceiverIds>"
        "<dxp:ReceiverId>DXPENT0000000001</dxp:ReceiverId></dxp:ReceiverIds>"
        "<dxp:CreatTime>2026-03-01T09:31:00</dxp:CreatTime><dxp:MsgType>CEB816Message"
        f"</dxp:MsgType></dxp:TransInfo><dxp:Data>{data}</dxp:Data></dxp:DxpMsg>"
    ).encode()


@pytest.mark.parametrize("prefix", ["ceb", ""])
def test_a_bare_bill_is_read_whatever_its_prefix(prefix):
    extra = "<{p}entDutyNo>D001</{p}entDutyNo><{p}note>备注</{p}note>".format(
        p=f"{prefix}:" if prefix else ""
    )
    content = ceb816(tax(extra=extra, prefix=prefix), prefix=prefix)
    assert schema_problems(content) == []
    found = parse_customs_file(content)
    assert found.receipts == []
    (bill,) = found.tax_bills
    assert (bill.invt_no, bill.tax_no, bill.status) == ("224420261000000001", "T1", "1")
    assert (bill.customs_tax, bill.value_added_tax, bill.consumption_tax) == (
        D("0"),
        D("37.31"),
        D("12.69"),
    )
    assert bill.total == D("50.00") and isinstance(bill.total, D)
    assert (bill.ent_duty_no, bill.note, bill.return_time) == ("D001", "备注", "20260301093100001")
    (line,) = bill.lines
    assert (line.gnum, line.gcode, line.tax_price) == (1, "3304990099", D("410"))


def test_an_enveloped_batch_keeps_its_order_and_a_receipt_reader_sees_no_receipt():
    content = dxp(ceb816(tax(tax_no="T1"), tax(tax_no="T2", lines=[])))
    bills = parse_customs_file(content).tax_bills
    assert [bill.tax_no for bill in bills] == ["T1", "T2"] and bills[1].lines == ()
    assert parse_receipts(content) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "4"}, "status '4'"),
        ({"time": "2026030109310000"}, "not 17 digits"),
        ({"time": "20261399093100000"}, "not 17 digits of a moment"),
        ({"time": "20260230093100000"}, "not 17 digits of a moment"),
        ({"time": "20260301253100000"}, "not 17 digits of a moment"),
        ({"time": "00010101000000000"}, "not 17 digits of a moment"),
        ({"time": "2026030109310000\u0661"}, "not 17 digits of a moment"),
        ({"vat": "-1"}, "valueAddedTax '-1', not N19,5"),
        ({"vat": "1.000001"}, "not N19,5"),
        ({"ct": "NaN"}, "not N19,5"),
        ({"ct": "abc"}, "consumptionTax 'abc'"),
        ({"invt_no": ""}, "lacks invtNo"),
        ({"tax_no": ""}, "lacks taxNo"),
        ({"invt_no": "2" * 19}, "invtNo longer than 18"),
        ({"lines": [("x", "3304990099", "1", "0", "0", "0")]}, "gnum 'x'"),
    ],
)
def test_a_bill_it_cannot_trust_is_refused_with_the_reason(changes, message):
    with pytest.raises(ReceiptError, match=message):
        parse_customs_file(ceb816(tax(**changes)))


def test_trailing_zeros_are_not_decimals():
    (bill,) = parse_customs_file(ceb816(tax(vat="1.0000000"))).tax_bills
    assert bill.value_added_tax == 1


def bill(total: str, time: str, status="1", tax_no="T1") -> TaxBill:
    return TaxBill(
        invt_no="I",
        tax_no=tax_no,
        customs_tax=D(0),
        value_added_tax=D(total),
        consumption_tax=D(0),
        status=TaxBillStatus(status),
        return_time=time,
    )


@pytest.mark.parametrize(
    ("bills", "deducted", "refunded"),
    [
        ([], "0", "0"),
        ([bill("50", "2")], "50", "0"),
        ([bill("40", "3"), bill("50", "2")], "40", "10"),  # the later one counts
        ([bill("50", "2"), bill("50", "3", status="3")], "0", "50"),  # voided
        ([bill("50", "2"), bill("60", "3")], "60", "0"),  # raised: nothing given back
        ([bill("50", "2"), bill("7", "2", tax_no="T2")], "57", "0"),  # two bills add up
        ([bill("50", "2", status="2")], "50", "0"),  # summarised still deducts
    ],
)
def test_tax_deducted_takes_the_latest_bill_of_each_number(bills, deducted, refunded):
    assert tax_deducted(bills) == D(deducted)
    assert tax_refunded(bills) == D(refunded)


def test_a_tax_bill_file_without_a_bill_is_refused():
    with pytest.raises(ReceiptError, match="carries no Tax"):
        parse_customs_file(ceb816())
