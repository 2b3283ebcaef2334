"""What the schema cannot check, before sending: every violation at once, no personal data."""

import dataclasses
from datetime import timedelta
from decimal import Decimal as D

import pytest

from storefront.domain.customs.consistency import (
    Problem,
    ProblemCode,
    check_declaration,
    cross_problems,
    record_problems,
    related,
)
from storefront.domain.customs.declarations import Consignee, Party, Person
from storefront.domain.customs.messages import (
    Record,
    inventory_record,
    order_record,
    payment_record,
    waybill_record,
)
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.identity import check_char
from tests.support.declarations import (
    BUYER_ID,
    DECLARED_ON,
    SENT,
    make_declaration,
    make_filing,
    make_head,
    make_line,
)

C = ProblemCode
OTHER_FIRST17 = "11010519800101001"
OTHER_ID = OTHER_FIRST17 + check_char(OTHER_FIRST17)  # another valid person
WRONG_ID = OTHER_FIRST17 + ("0" if check_char(OTHER_FIRST17) != "0" else "1")


def found(declaration, head=None, previous=None) -> set[tuple[ProblemCode, str]]:
    problems = check_declaration(declaration, head or make_head(), previous)
    return {(problem.code, problem.field) for problem in problems}


def payer(**changes) -> Person:
    return dataclasses.replace(make_declaration().payment.payer, **changes)


def paid_by(person: Person, amount: str = "332.30"):
    return dataclasses.replace(make_declaration().payment, payer=person, amount=D(amount))


@pytest.mark.parametrize("trade_mode", ["1210", "9610"])
def test_a_consistent_declaration_has_no_problem(trade_mode):
    assert check_declaration(make_declaration(trade_mode), make_head()) == ()


MISTAKES = [
    # (what changes, the problem it must cause)
    ({"actual_paid": D("330.00")}, (C.PAID_MISMATCH, "acturalPaid")),
    ({"payment": paid_by(payer(), "330.00")}, (C.PAID_MISMATCH, "amountPaid")),
    ({"payment": paid_by(payer(name="李四"))}, (C.PAYER_NOT_BUYER, "payerName")),
    ({"goods_value": D("310.00"), "actual_paid": D("342.30")}, (C.GOODS_SUM, "goodsValue")),
    (
        {"lines": (make_line(1), make_line(2, price="50.00", amount=D("90.00")))},
        (C.LINE_TOTAL, "OrderList[2].totalPrice"),
    ),
    (
        {"lines": (make_line(1), make_line(2, price="50.00", amount=D("90.00")))},
        (C.LINE_TOTAL, "InventoryList[2].totalPrice"),
    ),
    (
        {"lines": (make_line(1), make_line(3, price="50.00"))},
        (C.GNUM_SEQUENCE, "OrderList.gnum"),
    ),
    (
        {"lines": (make_line(2), make_line(1, price="50.00"))},
        (C.GNUM_SEQUENCE, "InventoryList.gnum"),
    ),
    ({"lines": ()}, (C.MISSING_FIELD, "OrderList")),
    ({"discount": D("-5.00"), "actual_paid": D("342.30")}, (C.NEGATIVE_AMOUNT, "discount")),
    (
        {"lines": (make_line(1, hs_code="33049900"), make_line(2, price="50.00"))},
        (C.HS_CODE, "InventoryList[1].gcode"),
    ),
    (
        {"lines": (make_line(1, record_no=""), make_line(2, price="50.00"))},
        (C.MISSING_FIELD, "InventoryList[1].itemRecordNo"),
    ),
    ({"filing": make_filing(ems_no="")}, (C.MISSING_FIELD, "emsNo")),
    ({"filing": make_filing(area=None)}, (C.MISSING_FIELD, "areaCode")),
    ({"filing": make_filing(trade_mode="0110")}, (C.TRADE_MODE, "tradeMode")),
    ({"country": "116"}, (C.BONDED_COUNTRY, "country")),
    ({"gross_weight": D("0")}, (C.WEIGHT, "grossWeight")),
    ({"gross_weight": D("0")}, (C.WEIGHT, "weight")),
    ({"net_weight": D("0.500")}, (C.WEIGHT, "netWeight")),
]


@pytest.mark.parametrize(("changes", "problem"), MISTAKES)
def test_each_mistake_is_found(changes, problem):
    assert problem in found(make_declaration(**changes))


def test_the_buyer_id_number_is_checked_and_never_shown():
    buyer = Person("张三", WRONG_ID, "13800000000")
    declaration = make_declaration(buyer=buyer, payment=paid_by(buyer))
    problems = check_declaration(declaration, make_head())
    assert {(p.code, p.field) for p in problems} == {
        (C.BAD_ID_NUMBER, "buyerIdNumber"),
        (C.BAD_ID_NUMBER, "payerIdNumber"),
    }
    assert all(OTHER_FIRST17 not in p.detail for p in problems)


def test_a_payer_with_another_id_number_is_not_the_buyer_and_no_number_is_shown():
    declaration = make_declaration(payment=paid_by(payer(id_number=OTHER_ID)))
    problems = check_declaration(declaration, make_head())
    assert [(p.code, p.field) for p in problems] == [(C.PAYER_NOT_BUYER, "payerIdNumber")]
    assert OTHER_ID not in problems[0].detail and BUYER_ID not in problems[0].detail


def test_every_violation_is_reported_at_once():
    declaration = make_declaration(actual_paid=D("1.00"), gross_weight=D("0"))
    codes = {problem.code for problem in check_declaration(declaration, make_head(guid="x"))}
    assert {C.PAID_MISMATCH, C.WEIGHT, C.GUID_FORMAT} <= codes


@pytest.mark.parametrize(
    "guid",
    ["4cde1cfd-eded-46b1-946c-b8022e42fc94", "4CDE1CFD-EDED-46B1-946C-B8022E42FC9", "X" * 36],
)
def test_guids_are_36_upper_case_characters(guid):
    problems = check_declaration(make_declaration(), make_head(guid=guid))
    # one head serves the four messages: the problem is said once
    assert [(p.code, p.field) for p in problems] == [(C.GUID_FORMAT, "guid")]


def test_direct_purchase_needs_its_transport_fields():
    filing = make_filing("9610", traf_no="", voyage_no="", bill_no="")
    assert {
        (C.MISSING_FIELD, "trafNo"),
        (C.MISSING_FIELD, "voyageNo"),
        (C.MISSING_FIELD, "billNo"),
    } <= found(make_declaration("9610", filing=filing))


def test_more_than_99_lines_are_refused():
    lines = tuple(make_line(n, price="1.00", quantity=1) for n in range(1, 101))
    declaration = make_declaration(
        lines=lines, goods_value=D("100.00"), tax_total=D("0.00"), actual_paid=D("105.00")
    )
    declaration = dataclasses.replace(declaration, payment=paid_by(payer(), "105.00"))
    assert found(declaration) == {
        (C.TOO_MANY_LINES, "OrderList"),
        (C.TOO_MANY_LINES, "InventoryList"),
    }


@pytest.mark.parametrize(
    ("delay", "problem"),
    [(timedelta(seconds=1), False), (timedelta(0), True), (timedelta(seconds=-30), True)],
)
def test_a_resend_must_be_later_than_the_previous_sending(delay, problem):
    head = make_head(app_type="2", app_time=SENT + delay)
    result = found(make_declaration(), head, previous=SENT)
    assert ((C.APP_TIME_NOT_LATER, "appTime") in result) is problem


def test_the_previous_time_is_compared_as_written_to_the_second():
    head = make_head(app_time=SENT + timedelta(milliseconds=400))
    assert (C.APP_TIME_NOT_LATER, "appTime") in found(make_declaration(), head, previous=SENT)


def test_amounts_are_compared_to_the_fen_as_written():
    # 33.333 is written 33.33: the written line total is what customs adds up
    line = make_line(1, price="33.333", quantity=3, amount=D("100.00"))
    declaration = make_declaration(
        lines=(line,), goods_value=D("100.00"), tax_total=D("0.00"), actual_paid=D("105.00")
    )
    declaration = dataclasses.replace(declaration, payment=paid_by(payer(), "105.00"))
    problems = check_declaration(declaration, make_head())
    assert Problem(C.LINE_TOTAL, "OrderList[1].totalPrice", "100.00 ≠ 3 × 33.33 = 99.99") in (
        problems
    )


def records(declaration=None):
    declaration = declaration or make_declaration()
    head = make_head()
    return (
        order_record(declaration, head),
        payment_record(declaration, head),
        waybill_record(declaration, head),
        inventory_record(declaration, head, DECLARED_ON),
    )


def test_consignee_must_be_the_same_on_order_and_waybill():
    order, _, _, _ = records()
    moved = make_declaration(consignee=Consignee("张三", "13800000000", "北京市海淀区1号"))
    _, _, waybill, inventory = records(moved)
    assert [(p.code, p.field) for p in cross_problems(order, waybill)] == [
        (C.CONSIGNEE_MISMATCH, "consigneeAddress")
    ]
    problems = cross_problems(order, inventory)
    assert [(p.code, p.field) for p in problems] == [(C.CONSIGNEE_MISMATCH, "consigneeAddress")]
    assert "北京" not in problems[0].detail


def test_inventory_lines_correspond_one_to_one_with_the_order():
    order, _, _, _ = records()
    renamed = make_declaration(lines=(make_line(1), make_line(2, price="50.00", name="面膜")))
    inventory = records(renamed)[3]
    assert [(p.code, p.field) for p in cross_problems(order, inventory)] == [
        (C.LINE_MISMATCH, "InventoryList[2].gname")
    ]
    short = records(make_declaration(lines=(make_line(1),)))[3]
    assert {(p.code, p.field) for p in cross_problems(order, short)} == {
        (C.LINE_MISMATCH, "InventoryList.gnum"),
        (C.GOODS_SUM, "InventoryList.totalPrice"),
    }


def test_codes_and_links_must_agree_between_messages():
    order, _, waybill, _ = records()
    other = make_declaration(
        order_no="KJ999",
        logistics_no="YT000",
        filing=make_filing(platform=Party("9999999999", "别的平台")),
    )
    _, other_payment, _, other_inventory = records(other)
    assert {(p.code, p.field) for p in cross_problems(order, other_payment)} == {
        (C.ORDER_NO_MISMATCH, "orderNo"),
        (C.ENTERPRISE_MISMATCH, "ebpCode"),
    }
    assert {(p.code, p.field) for p in cross_problems(waybill, other_inventory)} == {
        (C.ORDER_NO_MISMATCH, "orderNo"),
        (C.WAYBILL_LINK, "logisticsNo"),
    }
    detail = next(p.detail for p in cross_problems(order, other_payment) if p.field == "orderNo")
    assert detail == "KJ999 ≠ orderNo KJ202405010001"


def test_records_are_related_by_order_number_or_by_their_link():
    order, payment, waybill, inventory = records()
    renumbered = make_declaration(order_no="KJ999")
    _, same_payment, same_waybill, same_inventory = records(renumbered)
    assert related(order, payment) and related(waybill, inventory)
    assert related(order, same_payment)  # the same payTransactionId
    assert related(waybill, same_inventory)  # the same waybill
    assert not related(order, same_waybill)
    unrelated = records(make_declaration(order_no="KJ999", logistics_no="YT000"))
    assert not related(waybill, unrelated[3])


def test_amounts_written_differently_but_equal_agree():
    order = Record(DocumentKind.ORDER, {"orderNo": "1", "acturalPaid": "100"})
    payment = Record(DocumentKind.PAYMENT, {"orderNo": "1", "amountPaid": "100.00"})
    assert cross_problems(order, payment) == []
    payment = Record(DocumentKind.PAYMENT, {"orderNo": "1", "amountPaid": "100.01"})
    assert cross_problems(order, payment) == [
        Problem(C.PAID_MISMATCH, "amountPaid", "100.01 ≠ acturalPaid 100")
    ]


def test_record_rules_survive_missing_and_malformed_values():
    record = Record(DocumentKind.ORDER, {"goodsValue": "abc"}, ({"gnum": "1", "qty": "x"},))
    codes = {problem.code for problem in record_problems(record)}
    assert codes == {C.GUID_FORMAT, C.ID_TYPE, C.BAD_ID_NUMBER}
