"""The official samples against the schema, the NOTES §7 mutations, and file inspection."""

import dataclasses
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from storefront.customs.inspection import inspect_files, read_records
from storefront.customs.schema import schema_problems
from storefront.domain.customs.declarations import Consignee
from storefront.domain.customs.receipts import DocumentKind
from tests.domain.test_customs_messages import all_messages
from tests.support.declarations import make_declaration, make_head

SAMPLES = Path(__file__).parent.parent / "fixtures" / "customs"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.glob("CEB*.xml"))


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_all_sixteen_official_samples_are_schema_valid():
    assert len(SAMPLE_NAMES) == 16
    for name in SAMPLE_NAMES:
        assert schema_problems(sample(name)) == [], name


def test_the_order_sample_starts_with_a_byte_order_mark_and_is_read():
    content = sample("CEB311Message.xml")
    assert content.startswith(b"\xef\xbb\xbf")
    records, refusal = read_records("CEB311Message.xml", content)
    assert refusal == "" and len(records) == 6
    assert records[0].record.kind is DocumentKind.ORDER
    assert records[0].record.head["orderNo"] == "order20160321116421002"
    assert [line["gnum"] for line in records[0].record.lines] == ["1", "2"]


def replace_first(content: bytes, old: str, new: str) -> bytes:
    text = content.decode("utf-8-sig")
    assert old in text
    return text.replace(old, new, 1).encode()


def swap_order_no_and_order_type(content: bytes) -> bytes:
    text = content.decode("utf-8-sig")
    pattern = r"(<ceb:orderType>I</ceb:orderType>)(\s*)(<ceb:orderNo>[^<]*</ceb:orderNo>)"
    swapped, count = re.subn(pattern, r"\3\2\1", text, count=1)
    assert count == 1
    return swapped.encode()


def drop_signature(content: bytes) -> bytes:
    text = content.decode("utf-8-sig")
    without, count = re.subn(r"<ds:Signature.*</ds:Signature>", "", text, flags=re.S)
    assert count == 1
    return without.encode()


# NOTES §7 step 4: each of these must fail the schema.
MUTATIONS = {
    "currency 156": lambda c: replace_first(
        c, "<ceb:currency>142</ceb:currency>", "<ceb:currency>156</ceb:currency>"
    ),
    "6 decimals": lambda c: replace_first(
        c, "<ceb:goodsValue>14000</ceb:goodsValue>", "<ceb:goodsValue>14000.123456</ceb:goodsValue>"
    ),
    "exponent": lambda c: replace_first(
        c, "<ceb:freight>5000</ceb:freight>", "<ceb:freight>1E+3</ceb:freight>"
    ),
    "35-char guid": lambda c: replace_first(
        c,
        "<ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</ceb:guid>",
        "<ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC9</ceb:guid>",
    ),
    "swapped order": swap_order_no_and_order_type,
    "no buyerTelephone": lambda c: replace_first(
        c, "<ceb:buyerTelephone>18813025940</ceb:buyerTelephone>", ""
    ),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_each_mutation_of_the_order_sample_fails_the_schema(mutation):
    problems = schema_problems(MUTATIONS[mutation](sample("CEB311Message.xml")))
    assert problems
    assert all(re.match(r"line \d+: ", problem) for problem in problems)


def test_an_inventory_without_signature_fails_the_schema():
    problems = schema_problems(drop_signature(sample("CEB621Message.xml")))
    assert len(problems) == 1 and "Signature" in problems[0]


def test_malformed_xml_is_one_problem_not_an_exception():
    assert len(schema_problems(b"<ceb:CEB311Message")) == 1
    lines = inspect_files([("broken.xml", b"<a><b></a>")])
    assert len(lines) == 1
    assert lines[0].startswith("broken.xml: line 1: not well-formed XML")


@pytest.mark.parametrize("name", ["CEB312Message.xml", "CEB622Message.xml", "CEB711Message.xml"])
def test_receipts_and_other_messages_are_not_declarations(name):
    assert inspect_files([(name, sample(name))]) == [
        f"{name}: not a declaration (root {name[:-4]})"
    ]


def test_an_unknown_root_is_not_a_declaration():
    lines = inspect_files([("note.xml", b"<note>hi</note>")])
    assert lines[-1] == "note.xml: not a declaration (root note)"


def test_the_samples_business_inconsistencies_are_reported():
    # README.md: the samples are schema-valid but "line totals don't equal qty × price".
    lines = inspect_files([("CEB311Message.xml", sample("CEB311Message.xml"))])
    assert (
        "CEB311Message.xml: Order[1] OrderList[2].totalPrice: [line_total]"
        " 12000 ≠ 200 × 10 = 2000.00" in lines
    )
    inventory = inspect_files([("CEB621Message.xml", sample("CEB621Message.xml"))])
    assert any(
        "InventoryList[2].totalPrice: [line_total] 12 ≠ 200 × 60" in line for line in inventory
    )
    assert any("packNo: [pack_no] 6000 ≠ 1" in line for line in inventory)
    # the sample buyer's ID number has no valid birth date; the number is never printed
    assert any("buyerIdNumber: [bad_id_number]" in line for line in lines)
    assert not any("130681136250023332" in line for line in lines + inventory)


def test_the_samples_reuse_one_waybill_for_several_orders():
    lines = inspect_files(
        [(name, sample(name)) for name in ("CEB511Message.xml", "CEB621Message.xml")]
    )
    assert any(
        line.startswith("CEB621Message.xml: Inventory[1] orderNo: [order_no_mismatch]")
        and line.endswith("(against CEB511Message.xml Logistics[1])")
        for line in lines
    )


def generated_files(declaration=None) -> list[tuple[str, bytes]]:
    messages = all_messages(declaration or make_declaration(), make_head())
    return [(f"CEB{kind}.xml", xml) for kind, xml in messages.items()]


def test_generated_messages_inspect_clean():
    assert inspect_files(generated_files()) == []


def test_files_of_one_order_are_compared_with_each_other():
    order = generated_files()[0]
    payment, waybill, inventory = generated_files(
        make_declaration(
            payment=dataclasses.replace(make_declaration().payment, amount=D("300.00")),
            consignee=Consignee("李四", "13800000000", "上海市浦东新区世纪大道1号"),
        )
    )[1:]
    lines = inspect_files([order, payment, waybill, inventory])
    assert lines == [
        "CEB411.xml: Payment[1] amountPaid: [paid_mismatch] 300.00 ≠ acturalPaid 332.30"
        " (against CEB311.xml Order[1])",
        "CEB511.xml: Logistics[1] consignee: [consignee_mismatch] differs from consignee"
        " (against CEB311.xml Order[1])",
    ]


def test_files_of_different_orders_are_not_compared():
    other = make_declaration(
        order_no="KJ999",
        logistics_no="YT999",
        payment=dataclasses.replace(make_declaration().payment, transaction_id="PAY999"),
        consignee=Consignee("李四", "13900000000", "北京市海淀区1号"),
    )
    files = generated_files()[:1] + generated_files(other)[1:]
    assert inspect_files(files) == []
