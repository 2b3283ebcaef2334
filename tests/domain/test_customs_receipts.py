"""Receipts: business keys, what a return status means, the order receipts are applied in."""

import pytest

from storefront.domain.customs.receipts import (
    DocumentKind,
    Outcome,
    Receipt,
    business_key,
    in_processing_order,
    outcome,
)

ORDER, PAYMENT, WAYBILL, INVENTORY = (
    DocumentKind.ORDER,
    DocumentKind.PAYMENT,
    DocumentKind.WAYBILL,
    DocumentKind.INVENTORY,
)
THREE = (ORDER, PAYMENT, WAYBILL)


@pytest.mark.parametrize(
    ("kind", "fields", "key"),
    [
        (ORDER, {"ebp_code": "1105910159", "order_no": "KJ0001"}, "1105910159|KJ0001"),
        (PAYMENT, {"pay_code": "312226T001", "pay_transaction_id": "P42"}, "312226T001|P42"),
        (WAYBILL, {"logistics_code": "3122480063", "logistics_no": "SF1"}, "3122480063|SF1"),
        (INVENTORY, {"cop_no": "KJ0001-1"}, "KJ0001-1"),
    ],
)
def test_business_key_per_kind(kind, fields, key):
    assert business_key(kind, **fields) == key


def test_business_key_refuses_missing_and_unknown_fields():
    with pytest.raises(ValueError, match="order_no"):
        business_key(ORDER, ebp_code="1105910159", order_no=" ")
    with pytest.raises(TypeError, match="order_number"):
        business_key(ORDER, ebp_code="1105910159", order_number="KJ1")


OUTCOMES = [
    *[(kind, "1", Outcome.PROGRESS) for kind in (*THREE, INVENTORY)],
    *[(kind, "2", Outcome.PROGRESS) for kind in (*THREE, INVENTORY)],
    *[(kind, "3", Outcome.PROGRESS) for kind in (*THREE, INVENTORY)],
    *[(kind, "4", Outcome.RESEND) for kind in (*THREE, INVENTORY)],
    *[(kind, "120", Outcome.ACCEPTED) for kind in THREE],
    *[(kind, "399", Outcome.ACCEPTED) for kind in THREE],
    (INVENTORY, "120", Outcome.PROGRESS),
    (INVENTORY, "300", Outcome.PROGRESS),
    (INVENTORY, "500", Outcome.PROGRESS),
    (INVENTORY, "399", Outcome.CLEARED),
    (INVENTORY, "800", Outcome.RELEASED),
    (INVENTORY, "899", Outcome.CLOSED),
    *[(kind, "100", Outcome.REJECTED) for kind in (*THREE, INVENTORY)],
    *[(INVENTORY, code, Outcome.REJECTED) for code in ("501", "502", "503", "599", "700")],
    (ORDER, "-301010", Outcome.REJECTED),
    (INVENTORY, "-621018", Outcome.REJECTED),
    (INVENTORY, " 800 ", Outcome.RELEASED),
    (ORDER, "800", Outcome.PROGRESS),  # not a 312 status: nothing moves
    (INVENTORY, "18", Outcome.PROGRESS),
]


@pytest.mark.parametrize(("kind", "status", "expected"), OUTCOMES)
def test_outcome_table(kind, status, expected):
    assert outcome(kind, status) is expected


@pytest.mark.parametrize("status", ["", "abc", "1.5", "--1"])
def test_outcome_refuses_a_status_that_is_not_a_number(status):
    with pytest.raises(ValueError):
        outcome(ORDER, status)


def receipt(status, time, info=""):
    return Receipt(INVENTORY, "KJ1", status, time, info)


def test_receipts_are_applied_by_time_then_lifecycle_step_and_stably():
    same = "20260101120000000"
    later = "20260101120000001"
    given = [
        receipt("800", later),
        receipt("120", same),
        receipt("2", same, "first"),
        receipt("399", later),
        receipt("2", same, "second"),
        receipt("-621018", same),
    ]
    ordered = in_processing_order(given)
    assert [(r.return_status, r.info) for r in ordered] == [
        ("2", "first"),
        ("2", "second"),
        ("120", ""),
        ("-621018", ""),
        ("399", ""),
        ("800", ""),
    ]
    assert in_processing_order(iter(given)) == ordered
