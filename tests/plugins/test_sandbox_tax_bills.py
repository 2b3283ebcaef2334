"""The sandbox customs issues the electronic tax bill (CEB816) after an inventory's release."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import pytest
from lxml import etree

from plugins.sandbox.customs import SandboxCustomsTransport
from plugins.sandbox.customs_tax import digit_sum
from storefront.customs.receipts import parse_customs_file, parse_receipts
from storefront.customs.schema import schema_problems
from storefront.domain.customs.receipts import TaxBillStatus, tax_deducted, tax_refunded
from storefront.ports import CustomsMessage

CEB = "http://www.chinaport.gov.cn/ceb"
DXP = "http://www.chinaport.gov.cn/dxp"
START = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))).timestamp()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def fields_xml(fields: dict) -> str:
    return "".join(f"<ceb:{name}>{value}</ceb:{name}>" for name, value in fields.items())


def message(root: str, wrapper: str, head: dict, lines: str, n: int) -> CustomsMessage:
    guid = f"00000000-0000-0000-0000-{n:012d}"
    body = f"<ceb:{wrapper}><ceb:{wrapper}Head>{fields_xml({'guid': guid, **head})}"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ceb:{root} guid="{guid}" version="1.0" '
        f'xmlns:ceb="{CEB}">{body}</ceb:{wrapper}Head>{lines}</ceb:{wrapper}></ceb:{root}>'
    ).encode()
    return CustomsMessage(guid, root, xml)


def order(n: int, order_no: str, tax_total: str) -> CustomsMessage:
    head = {
        "appType": "1",
        "orderNo": order_no,
        "ebpCode": "3122480001",
        "ebcCode": "3122480002",
        "taxTotal": tax_total,
    }
    return message("CEB311Message", "Order", head, "", n)


def inventory(n: int, order_no: str, prices=("300.00", "100.00"), freight="0") -> CustomsMessage:
    head = {
        "appType": "1",
        "customsCode": "2244",
        "ebpCode": "3122480001",
        "orderNo": order_no,
        "ebcCode": "3122480002",
        "agentCode": "3122480003",
        "copNo": order_no,
        "buyerIdNumber": "110101199003070011",
        "buyerName": "张三",
        "freight": freight,
        "insuredFee": "0",
    }
    lines = "".join(
        f"<ceb:InventoryList>{fields_xml({'gnum': k, 'gcode': '3304990099', 'totalPrice': p})}"
        "</ceb:InventoryList>"
        for k, p in enumerate(prices, start=1)
    )
    return message("CEB621Message", "Inventory", head, lines, n)


def sandbox(tmp_path, clock, delay=0, **settings) -> SandboxCustomsTransport:
    values = {"delay_seconds": str(delay), "folder": str(tmp_path), **settings}
    return SandboxCustomsTransport(values, clock=clock)


def bills_of(files):
    return sorted(
        {bill for file in files for bill in parse_customs_file(file.content).tax_bills},
        key=lambda bill: bill.return_time,
    )


def released_invt_no(files) -> str:
    releases = [r for f in files for r in parse_receipts(f.content) if r.return_status == "800"]
    return releases[0].invt_no


def bare(content: bytes) -> bytes:
    import base64

    root = etree.fromstring(content)
    if etree.QName(root).namespace == DXP:
        return base64.b64decode(root.find(f"{{{DXP}}}Data").text)
    return content


@pytest.mark.parametrize(
    ("order_no", "expected"),
    [("KJ0001", 1), ("KJ20261122", 16), ("KJ99980", 35), ("", 0)],
)
def test_the_digit_sum_of_an_order_number(order_no, expected):
    assert digit_sum(order_no) == expected


def test_a_released_inventory_gets_an_xsd_valid_bill_of_the_declared_tax(tmp_path):
    customs = sandbox(tmp_path, Clock())
    customs.send(order(1, "KJ0001", "50.00"))
    customs.send(inventory(2, "KJ0001", freight="10.00"))
    files = customs.collect()
    tax_files = [f for f in files if b"CEB816Message" in bare(f.content)]
    assert len(tax_files) == 2  # customs sends every file twice
    for file in tax_files:
        assert schema_problems(bare(file.content)) == []
    (bill,) = bills_of(files)
    assert bill.invt_no == released_invt_no(files) and len(bill.invt_no) == 18
    assert bill.status is TaxBillStatus.GENERATED and bill.tax_no.startswith(bill.invt_no)
    assert bill.total == D("50.00") and bill.customs_tax == 0
    # VAT is 9.1 % of the dutiable price (410.00 with freight); the rest is consumption tax
    assert (bill.value_added_tax, bill.consumption_tax) == (D("37.31"), D("12.69"))
    assert [line.gnum for line in bill.lines] == [1, 2]
    assert sum(line.tax_price for line in bill.lines) == D("410.00")
    assert sum(line.value_added_tax for line in bill.lines) == bill.value_added_tax
    assert sum(line.consumption_tax for line in bill.lines) == bill.consumption_tax
    assert bill.lines[0].value_added_tax == D("27.98")  # 3/4 of 37.31, to the fen


def test_a_small_tax_is_all_vat(tmp_path):
    customs = sandbox(tmp_path, Clock())
    customs.send(order(1, "KJ0001", "9.10"))
    customs.send(inventory(2, "KJ0001", prices=("100.00",)))
    (bill,) = bills_of(customs.collect())
    assert (bill.value_added_tax, bill.consumption_tax) == (D("9.10"), D("0"))


def test_digit_sum_five_deducts_one_yuan_less(tmp_path):
    customs = sandbox(tmp_path, Clock())
    customs.send(order(1, "KJ0014", "50.00"))  # 1 + 4 = 5
    customs.send(inventory(2, "KJ0014"))
    (bill,) = bills_of(customs.collect())
    assert bill.total == D("49.00")


def test_digit_sum_seven_gives_tax_back_in_a_later_bill_of_the_same_number(tmp_path):
    clock = Clock()
    customs = sandbox(tmp_path, clock, delay=60)
    customs.send(order(1, "KJ0016", "50.00"))  # 1 + 6 = 7
    customs.send(inventory(2, "KJ0016"))
    clock.now += 5 * 60  # 2, 120, 399, 800, then the bill
    first = bills_of(customs.collect())
    assert [bill.total for bill in first] == [D("50.00")]
    clock.now += 60
    (later,) = [bill for bill in bills_of(customs.collect()) if bill not in first]
    assert later.tax_no == first[0].tax_no and later.return_time > first[0].return_time
    assert later.total == D("40.00") and later.note
    assert tax_deducted([*first, later]) == D("40.00")
    assert tax_refunded([*first, later]) == D("10.00")


def test_a_bill_comes_one_delay_after_the_release(tmp_path):
    clock = Clock()
    customs = sandbox(tmp_path, clock, delay=60)
    customs.send(order(1, "KJ0001", "50.00"))
    customs.send(inventory(2, "KJ0001"))
    clock.now += 4 * 60
    files = customs.collect()
    assert released_invt_no(files) and bills_of(files) == []
    clock.now += 60
    assert len(bills_of(customs.collect())) == 1


@pytest.mark.parametrize("settings", [{"fail": "reject"}, {}])
def test_no_bill_for_a_rejected_inventory_or_one_without_its_order(tmp_path, settings):
    customs = sandbox(tmp_path, Clock(), **settings)
    if settings:
        customs.send(order(1, "KJ0001", "50.00"))
    customs.send(inventory(2, "KJ0001"))
    assert bills_of(customs.collect()) == []
