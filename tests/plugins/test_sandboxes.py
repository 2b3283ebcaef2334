"""Each sandbox behaves like its real counterpart: answers later, fails when told to."""

from decimal import Decimal as D

import pytest
from werkzeug.datastructures import MultiDict

from plugins.sandbox.customs import SandboxCustomsSigner, SandboxCustomsTransport
from plugins.sandbox.invoice import SandboxInvoiceProvider
from plugins.sandbox.mail import SandboxMailer
from plugins.sandbox.warehouse import SandboxWarehouse
from storefront.ports import (
    CustomsMessage,
    InvoiceLine,
    InvoiceRequest,
    MailMessage,
    PortError,
    PortUnavailable,
    TallyLine,
    TallySheet,
)

ORDER_XML = b'<?xml version="1.0"?><ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:Order/></ceb:CEB311Message>'


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def sandbox(cls, clock=None, **settings):
    return cls({"delay_seconds": "60", **settings}, clock=clock or Clock())


def message(message_id="M1"):
    return CustomsMessage(message_id, "CEB311Message", ORDER_XML)


def test_customs_receipts_arrive_after_the_delay_and_only_once():
    clock = Clock()
    transport = sandbox(SandboxCustomsTransport, clock)
    transport.send(message("M1"))
    assert transport.collect_receipts() == ()
    clock.now += 60
    (receipt,) = transport.collect_receipts()
    assert (receipt.message_id, receipt.status, receipt.code) == ("M1", "accepted", "2")
    assert transport.collect_receipts() == ()


def test_customs_rejects_or_is_down_on_demand():
    clock = Clock()
    rejecting = sandbox(SandboxCustomsTransport, clock, fail="reject")
    rejecting.send(message())
    clock.now += 60
    assert [r.status for r in rejecting.collect_receipts()] == ["rejected"]
    with pytest.raises(PortUnavailable):
        sandbox(SandboxCustomsTransport, fail="unavailable").send(message())
    with pytest.raises(PortError, match="XML"):
        sandbox(SandboxCustomsTransport).send(CustomsMessage("M2", "CEB311Message", b"hello"))


def test_receipts_are_shared_through_the_folder(tmp_path):
    """A web process sends, a job process collects: both see the same folder."""
    clock = Clock()
    sandbox(SandboxCustomsTransport, clock, folder=str(tmp_path)).send(message("M9"))
    clock.now += 60
    other = sandbox(SandboxCustomsTransport, clock, folder=str(tmp_path))
    assert [r.message_id for r in other.collect_receipts()] == ["M9"]


def test_signer_envelopes_a_signature_that_verifies_with_its_key():
    signer = SandboxCustomsSigner.from_settings({})
    signed = signer.sign(ORDER_XML)
    assert signed.xml.startswith(ORDER_XML[: -len(b"</ceb:CEB311Message>")])
    assert signed.xml.endswith(b"</ceb:CEB311Message>")
    assert f"<SignatureValue>{signed.signature}</SignatureValue>".encode() in signed.xml
    assert signer.verify(ORDER_XML, signed.signature)
    assert not signer.verify(ORDER_XML.replace(b"Order", b"Odder"), signed.signature)
    other = SandboxCustomsSigner.from_settings({})
    assert not other.verify(ORDER_XML, signed.signature)


def test_signer_keeps_its_key_from_the_settings():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(65537, 2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    first = SandboxCustomsSigner.from_settings({"private_key_pem": pem})
    second = SandboxCustomsSigner.from_settings({"private_key_pem": pem})
    assert first.certificate_id == second.certificate_id
    assert second.verify(ORDER_XML, first.sign(ORDER_XML).signature)
    form = SandboxCustomsSigner.SettingsForm(MultiDict({"private_key_pem": "not a key"}))
    assert not form.validate() and form.errors["private_key_pem"]


def sheet(quantity=2):
    return TallySheet("KJ0001", (TallyLine("CB-100", quantity),), "张三", "上海市浦东新区")


def test_warehouse_assigns_a_waybill_later_and_releases_it():
    clock = Clock()
    warehouse = sandbox(SandboxWarehouse, clock)
    request_id = warehouse.submit_tally(sheet())
    assert warehouse.waybill(request_id).status == "pending"
    assert warehouse.release("SBX000000000000").status == "refused"
    clock.now += 60
    answer = warehouse.waybill(request_id)
    assert answer.status == "assigned" and answer.waybill_number.startswith("SBX")
    assert warehouse.release(answer.waybill_number).status == "released"


def test_warehouse_refuses_on_demand_and_bad_sheets():
    clock = Clock()
    warehouse = sandbox(SandboxWarehouse, clock, fail="reject")
    request_id = warehouse.submit_tally(sheet())
    clock.now += 60
    assert warehouse.waybill(request_id).status == "refused"
    with pytest.raises(PortError):
        warehouse.submit_tally(sheet(quantity=0))
    with pytest.raises(PortError):
        warehouse.waybill("unknown")
    with pytest.raises(PortUnavailable):
        sandbox(SandboxWarehouse, fail="unavailable").submit_tally(sheet())


def invoice(kind="blue", original=None):
    line = InvoiceLine("澳洲奶粉 800g", D("877.45"), D("13"))
    return InvoiceRequest(kind, "KJ0001", "张三", (line,), original_number=original)


def test_invoices_are_issued_later_with_their_file():
    clock = Clock()
    provider = sandbox(SandboxInvoiceProvider, clock)
    blue = provider.issue(invoice())
    assert provider.poll(blue).status == "pending"
    clock.now += 60
    result = provider.poll(blue)
    assert result.status == "issued" and len(result.invoice_number) == 20
    (file,) = result.files
    assert file.media_type == "application/xml"
    assert b"<Total>877.45</Total>" in file.content
    red = provider.issue(invoice("red", result.invoice_number))
    clock.now += 60
    red_file = provider.poll(red).files[0].content
    assert b"<Total>-877.45</Total>" in red_file
    assert result.invoice_number.encode() in red_file


def test_invoice_failures_and_refusals():
    clock = Clock()
    with pytest.raises(PortError, match="names the blue invoice"):
        sandbox(SandboxInvoiceProvider, clock).issue(invoice("red"))
    failing = sandbox(SandboxInvoiceProvider, clock, fail="reject")
    request_id = failing.issue(invoice())
    clock.now += 60
    assert failing.poll(request_id).status == "failed"
    with pytest.raises(PortUnavailable):
        sandbox(SandboxInvoiceProvider, fail="unavailable").poll(request_id)


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
