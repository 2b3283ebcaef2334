"""Migration 0011 turns the English reasons of older order log rows into codes."""

import importlib.util

from tests.web.test_translations import ROOT


def _migration():
    path = ROOT / "migrations/versions/0011_order_log_reason_codes.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_older_reasons_become_codes_with_parameters():
    code = _migration()._code
    assert code("placed", "pending_payment") == ("placed", None)
    assert code("receipt confirmed automatically", "received") == ("receipt_auto", None)
    assert code("payment ch_123", "paid") == ("payment", {"reference": "ch_123"})
    assert code("refund 877.45", "refunded") == ("refund", {"amount": "877.45"})
    assert code("SF SF1234567890123", "shipped") == (
        "shipped",
        {"carrier": "SF", "tracking_number": "SF1234567890123"},
    )
    assert code("exchange: EMS EA123456789CN", "shipped")[0] == "exchange_shipped"
    assert code("尺码不合适", "returned") == ("return_accepted", {"note": "尺码不合适"})
    assert code("", "cancelled") == ("cancelled_by_merchant", None)
