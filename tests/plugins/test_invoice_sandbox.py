"""The sandbox e-invoice provider behaves like the real ones (SPEC §7): accepts, answers later,
protects against duplicate serials, confirms red-letter forms, signs callbacks, fails on demand."""

from decimal import Decimal as D

import pytest

from plugins.sandbox.invoice import SandboxInvoiceProvider
from storefront.ports import (
    InvalidCallback,
    InvoiceLine,
    InvoiceParty,
    InvoiceRequest,
    PortError,
    PortUnavailable,
    RedForm,
)

SECRET = "a-tenant-secret-of-32-characters"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def provider(clock=None, tmp_path=None, **settings):
    if tmp_path is not None:
        settings["folder"] = str(tmp_path)
    return SandboxInvoiceProvider(
        {"delay_seconds": "60", "callback_secret": SECRET, **settings}, clock=clock or Clock()
    )


def request(serial="T1-O1-B1", kind="blue", original=None, form=None, sign=1):
    line = InvoiceLine(
        "goods",
        "*乳制品*澳洲奶粉",
        D(1),
        D("776.50"),
        sign * D("776.50"),
        sign * D("100.95"),
        D("13"),
    )
    return InvoiceRequest(
        serial=serial,
        kind=kind,
        order_number="KJ0001",
        seller=InvoiceParty("跨境优选", "91350100M000100Y43"),
        buyer=InvoiceParty("张三"),
        lines=(line,),
        total_amount=sign * D("776.50"),
        total_tax=sign * D("100.95"),
        total=sign * D("877.45"),
        drawer="李四",
        original_number=original,
        red_form=form,
    )


def issued(sandbox, clock, serial="T1-O1-B1"):
    request_id = sandbox.issue(request(serial))
    clock.now += 60
    return sandbox.query(request_id)


def test_a_request_is_pending_then_issued_with_a_20_digit_number_and_its_xml():
    clock = Clock()
    sandbox = provider(clock)
    request_id = sandbox.issue(request())
    pending = sandbox.query(request_id)
    assert (pending.status, pending.number, pending.serial) == ("pending", None, "T1-O1-B1")
    clock.now += 60
    result = sandbox.query(request_id)
    assert result.status == "issued" and len(result.number) == 20 and result.number.isdigit()
    assert result.issued_at is not None
    (xml,) = result.files
    assert xml.media_type == "application/xml" and b"<Total>877.45</Total>" in xml.content
    assert "*乳制品*澳洲奶粉".encode() in xml.content
    assert sandbox.download(result.number) == result.files


def test_the_same_serial_is_the_same_request_even_from_another_process(tmp_path):
    clock = Clock()
    first = provider(clock, tmp_path).issue(request())
    # a worker killed after the call: its retry builds a new adapter on the same records
    assert provider(clock, tmp_path).issue(request()) == first
    assert provider(clock, tmp_path).issue(request("T1-O1-B2")) != first
    assert len(list((tmp_path / "requests").glob("*.json"))) == 2


def test_a_red_invoice_needs_the_confirmed_form_of_its_issued_blue():
    clock = Clock()
    sandbox = provider(clock)
    blue = issued(sandbox, clock)
    with pytest.raises(PortError) as missing:
        sandbox.issue(request("T1-O1-R1", "red", blue.number, sign=-1))
    assert missing.value.code == "missing_red_form"
    form = sandbox.red_confirm(blue.number, "02")
    assert form.state == "confirmed" and len(form.number) == 20
    assert sandbox.red_confirm(blue.number, "02") == form  # asked again: the same form
    red_id = sandbox.issue(request("T1-O1-R1", "red", blue.number, form, sign=-1))
    clock.now += 60
    red = sandbox.query(red_id)
    assert red.status == "issued" and red.number != blue.number
    assert b"<Total>-877.45</Total>" in red.files[0].content
    assert blue.number.encode() in red.files[0].content
    with pytest.raises(PortError, match="reverses a blue"):
        sandbox.red_confirm(red.number, "01")
    with pytest.raises(PortError) as unknown:
        sandbox.red_confirm("0" * 20, "01")
    assert unknown.value.code == "unknown_invoice"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "green"}, "unknown_kind"),
        ({"lines": ()}, "no_lines"),
        ({"total_tax": D("100.94")}, "totals"),
        ({"total": D("877.44")}, "total"),
    ],
)
def test_malformed_requests_are_refused_at_once(changes, code):
    from dataclasses import replace

    with pytest.raises(PortError) as refused:
        provider().issue(replace(request(), **changes))
    assert refused.value.code == code


def test_a_red_request_with_positive_totals_is_refused():
    form = RedForm("1" * 20, "01", "confirmed")
    with pytest.raises(PortError) as refused:
        provider().issue(request("T1-O1-R1", "red", "2" * 20, form))
    assert refused.value.code == "total"


@pytest.mark.parametrize(
    ("fail", "code", "message"),
    [
        ("credit", "credit_exhausted", "授信额度不足"),
        ("login", "login_expired", "登录失效"),
        ("reject", "rejected", "rejected"),
    ],
)
def test_failures_on_demand_answer_failed_and_a_retry_of_the_serial_is_a_new_attempt(
    tmp_path, fail, code, message
):
    clock = Clock()
    failing = provider(clock, tmp_path, fail=fail)
    request_id = failing.issue(request())
    clock.now += 60
    result = failing.query(request_id)
    assert (result.status, result.code) == ("failed", code) and message in result.message
    fixed = provider(clock, tmp_path)  # the merchant topped up the credit line or logged in
    retried = fixed.issue(request())
    assert retried != request_id
    clock.now += 60
    assert fixed.query(retried).status == "issued"


def test_an_expired_login_refuses_red_forms_and_an_outage_refuses_every_call():
    clock = Clock()
    with pytest.raises(PortError) as expired:
        provider(clock, fail="login").red_confirm("1" * 20, "01")
    assert expired.value.code == "login_expired"
    down = provider(fail="unavailable")
    for call in (
        lambda: down.issue(request()),
        lambda: down.query("0" * 32),
        lambda: down.red_confirm("1" * 20, "01"),
        lambda: down.download("1" * 20),
    ):
        with pytest.raises(PortUnavailable):
            call()


def test_unknown_failure_modes_are_refused():
    with pytest.raises(PortError, match="unknown failure mode"):
        provider(fail="sometimes")


def test_a_signed_callback_parses_and_a_forged_one_does_not():
    clock = Clock()
    sandbox = provider(clock)
    request_id = sandbox.issue(request())
    clock.now += 60
    body, signature = sandbox.callback_for(request_id)
    result = sandbox.parse_callback(body, signature)
    assert (result.request_id, result.status, result.serial) == (request_id, "issued", "T1-O1-B1")
    assert result.number == sandbox.query(request_id).number
    forged = body.replace(b'"issued"', b'"failed"')
    for raw, header in ((forged, signature), (body, ""), (body, signature.upper() + "0")):
        with pytest.raises(InvalidCallback):
            sandbox.parse_callback(raw, header)
    other_tenant = SandboxInvoiceProvider({"callback_secret": "another-tenant-secret-0000"})
    with pytest.raises(InvalidCallback):
        other_tenant.parse_callback(body, signature)


def test_without_a_secret_no_callback_is_signed_or_accepted():
    sandbox = SandboxInvoiceProvider({})
    request_id = sandbox.issue(request())
    with pytest.raises(PortError, match="secret"):
        sandbox.callback_for(request_id)
    with pytest.raises(InvalidCallback):
        sandbox.parse_callback(b"{}", "")


def test_a_signed_body_that_is_not_a_result_is_refused():
    sandbox = provider()
    body = b'{"status": "issued"}'
    with pytest.raises(InvalidCallback) as refused:
        sandbox.parse_callback(body, sandbox._sign(body))
    assert refused.value.code == "bad_body"


def enterprise_blue(sandbox, clock):
    """An issued blue invoice of an enterprise buyer (a tax ID)."""
    from dataclasses import replace

    enterprise = replace(request("T1-O2-B1"), buyer=InvoiceParty("上海某某科技有限公司", "9" * 18))
    request_id = sandbox.issue(enterprise)
    clock.now += 60
    return sandbox.query(request_id)


def test_an_enterprise_buyers_form_is_pending_until_the_delay_then_confirmed():
    clock = Clock()
    sandbox = provider(clock)
    blue = enterprise_blue(sandbox, clock)
    form = sandbox.red_confirm(blue.number, "01")
    assert form.state == "pending" and len(form.number) == 20
    clock.now += 30
    assert sandbox.red_confirm(blue.number, "01") == form  # asked again: the same form
    clock.now += 30
    assert sandbox.red_confirm(blue.number, "01") == RedForm(form.number, "01", "confirmed")


def test_a_refused_form_is_answered_then_replaced_by_a_new_one_when_asked_again(tmp_path):
    clock = Clock()
    blue = enterprise_blue(provider(clock, tmp_path), clock)
    refusing = provider(clock, tmp_path, fail="reject")
    first = refusing.red_confirm(blue.number, "01")
    assert first.state == "pending"
    clock.now += 60
    assert refusing.red_confirm(blue.number, "01") == RedForm(first.number, "01", "refused")
    again = provider(clock, tmp_path).red_confirm(blue.number, "01")  # the buyer now agrees
    assert again.number != first.number and again.state == "pending"
    clock.now += 60
    assert provider(clock, tmp_path).red_confirm(blue.number, "01").state == "confirmed"
