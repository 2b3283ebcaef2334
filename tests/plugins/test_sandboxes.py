"""Each sandbox behaves like its real counterpart: answers later, fails when told to (the
e-invoice provider: tests/plugins/test_invoice_sandbox.py)."""

import re

import pytest

from plugins.sandbox.mail import SandboxMailer
from plugins.sandbox.warehouse import SandboxWarehouse
from storefront.domain.shipping import normalise_tracking
from storefront.ports import (
    MailMessage,
    PortError,
    PortUnavailable,
    TallyLine,
    TallySheet,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def sandbox(cls, clock=None, **settings):
    return cls({"delay_seconds": "60", **settings}, clock=clock or Clock())


def sheet(quantity=2):
    lines = (TallyLine("CB-100", quantity),)
    return TallySheet("KJ0001", lines, "张三", "13800000000", "上海市浦东新区")


def test_warehouse_assigns_a_waybill_later_once_per_order():
    clock = Clock()
    warehouse = sandbox(SandboxWarehouse, clock)
    request_id = warehouse.submit_tally(sheet())
    assert warehouse.submit_tally(sheet()) == request_id
    assert warehouse.waybill(request_id).status == "pending"
    clock.now += 60
    answer = warehouse.waybill(request_id)
    assert answer.status == "assigned" and re.fullmatch(r"SBX\d{12}", answer.waybill_number)
    other = warehouse.submit_tally(TallySheet("KJ0002", sheet().lines, "李四", "138", "北京"))
    assert other != request_id


def test_warehouse_ships_a_released_parcel_with_sf_later(tmp_path):
    clock = Clock()
    warehouse = sandbox(SandboxWarehouse, clock, folder=str(tmp_path))
    request_id = warehouse.submit_tally(sheet())
    with pytest.raises(PortError):
        warehouse.request_outbound("SBX000000000000")  # nothing assigned yet
    clock.now += 60
    waybill = warehouse.waybill(request_id).waybill_number
    outbound_id = warehouse.request_outbound(waybill)
    job = sandbox(SandboxWarehouse, clock, folder=str(tmp_path))  # another process
    assert job.request_outbound(waybill) == outbound_id
    assert job.outbound(outbound_id).status == "pending"
    clock.now += 60
    answer = job.outbound(outbound_id)
    assert (answer.status, answer.carrier) == ("shipped", "SF")
    assert re.fullmatch(r"SF\d{13}", answer.tracking_number)
    assert normalise_tracking(answer.carrier, answer.tracking_number) == answer.tracking_number
    assert answer == warehouse.outbound(outbound_id)


def test_warehouse_refuses_on_demand_and_bad_sheets():
    clock = Clock()
    warehouse = sandbox(SandboxWarehouse, clock, fail="reject")
    request_id = warehouse.submit_tally(sheet())
    clock.now += 60
    assert warehouse.waybill(request_id).status == "refused"
    with pytest.raises(PortError):
        warehouse.request_outbound("SBX000000000000")
    with pytest.raises(PortError):
        warehouse.submit_tally(sheet(quantity=0))
    with pytest.raises(PortError):
        warehouse.waybill("unknown")
    with pytest.raises(PortError):
        warehouse.outbound("unknown")
    with pytest.raises(PortUnavailable):
        sandbox(SandboxWarehouse, fail="unavailable").submit_tally(sheet())
    with pytest.raises(PortUnavailable):
        sandbox(SandboxWarehouse, fail="unavailable").outbound("x")


def test_warehouse_refuses_an_outbound_on_demand(tmp_path):
    clock = Clock()
    accepting = sandbox(SandboxWarehouse, clock, folder=str(tmp_path))
    request_id = accepting.submit_tally(sheet())
    clock.now += 60
    waybill = accepting.waybill(request_id).waybill_number
    # The same warehouse, set to refuse from now on.
    refusing = sandbox(SandboxWarehouse, clock, folder=str(tmp_path), fail="reject")
    outbound_id = refusing.request_outbound(waybill)
    clock.now += 60
    assert refusing.outbound(outbound_id).status == "refused"


def test_mail_is_kept_in_an_outbox_folder_that_can_be_listed(tmp_path):
    mailer = SandboxMailer.from_settings({"folder": str(tmp_path)})
    mailer.send(MailMessage(("buyer@example.com",), "订单已发货", "您的订单已发货。"))
    mailer.send(MailMessage(("a@example.com", "b@example.com"), "Second", "Text", "<p>Text</p>"))
    listed = SandboxMailer.from_settings({"folder": str(tmp_path)}).outbox()
    assert [m.subject for m in listed] == ["订单已发货", "Second"]
    assert listed[1].to == ("a@example.com", "b@example.com") and listed[1].html == "<p>Text</p>"
    assert len(list((tmp_path / "outbox").glob("*.json"))) == 2


def test_mail_bounces_and_outages_on_demand():
    with pytest.raises(PortError, match="refused"):
        SandboxMailer.from_settings({"fail": "reject"}).send(
            MailMessage(("a@example.com",), "S", "T")
        )
    with pytest.raises(PortUnavailable):
        SandboxMailer.from_settings({"fail": "unavailable"}).send(
            MailMessage(("a@example.com",), "S", "T")
        )
    with pytest.raises(PortError):
        SandboxMailer.from_settings({}).send(MailMessage(("nobody",), "S", "T"))
