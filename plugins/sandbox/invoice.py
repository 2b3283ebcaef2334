"""Sandbox e-invoice provider: accepts a request, issues it later (or fails), like the real ones.

Behaves as Nuonuo, Baiwang or Aisino do with today's fully digitalised invoices (数电票, SPEC
§7): a request is accepted under the caller's serial (the same serial again is the same
request, unless that one failed: then it is a new attempt), answers `pending` until the
delay passed, then `issued` with a 20-digit number and the invoice's XML, or `failed`. A red
invoice needs a confirmed red-letter form for its blue one: confirmed at once for a personal
buyer; an enterprise buyer confirms it itself, so it is `pending` until the delay passed, then
`confirmed` (or `refused` when told to reject). Callbacks are signed with an HMAC of the
tenant's own secret; the sandbox sends none over the network, `callback_for` gives what one
would carry. Failures on demand: reject, unavailable (plugins/sandbox/base.py), and
credit-line exhaustion (授信额度不足) and drawer-login expiry (登录失效).
"""

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from wtforms import PasswordField, SelectChoice, SelectField
from wtforms.validators import Length, Optional

from plugins.sandbox.base import FAILURES, Sandbox, SandboxSettingsForm
from storefront.ports import (
    INVOICE_KINDS,
    N_,
    RED_REASONS,
    InvalidCallback,
    InvoiceFile,
    InvoiceRequest,
    InvoiceResult,
    Port,
    PortError,
    RedForm,
)

# What a provider answers when the seller's account cannot issue (fixable, then retried).
PROVIDER_FAILURES = {
    "reject": ("rejected", "sandbox: rejected on demand"),
    "credit": ("credit_exhausted", "授信额度不足"),
    "login": ("login_expired", "登录失效，请开票员重新登录电子税务局"),
}


class InvoiceSandboxSettingsForm(SandboxSettingsForm):
    fail = SelectField(
        N_("Failure on demand"),
        choices=[
            SelectChoice("", N_("None")),
            SelectChoice("reject", N_("Reject")),
            SelectChoice("unavailable", N_("Unavailable")),
            SelectChoice("credit", N_("Credit line exhausted")),
            SelectChoice("login", N_("Drawer login expired")),
        ],
        default="",
    )
    callback_secret = PasswordField(
        N_("Callback signing secret"),
        validators=[Optional(), Length(16, 200, message=N_("Between 16 and 200 characters."))],
    )


class SandboxInvoiceProvider(Sandbox):
    PLUGIN_ID = "sandbox_invoice"
    KIND = Port.INVOICE
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("requests", "serials", "invoices", "forms")
    SECRET_FIELDS = ("callback_secret",)
    SIGNATURE_HEADER = "X-Sandbox-Invoice-Signature"
    SettingsForm = InvoiceSandboxSettingsForm

    def __init__(self, settings: Mapping[str, str], **kwargs) -> None:
        own = settings.get("fail") or ""
        if own not in PROVIDER_FAILURES and own not in FAILURES:
            raise PortError("bad_settings", f"unknown failure mode {own!r}")
        # the base knows reject and unavailable; credit and login are this provider's own
        shared = own if own in FAILURES else ""
        super().__init__({**settings, "fail": shared}, **kwargs)
        self.provider_failure = own if own in PROVIDER_FAILURES else None
        self.secret = (settings.get("callback_secret") or "").encode()

    def issue(self, request: InvoiceRequest) -> str:
        """Accept a request; the same serial again returns the same request unless it failed."""
        self.check_available()
        _check_request(request)
        earlier = self._by_serial(request.serial)
        if earlier is not None and earlier["failure"] is None:
            return earlier["id"]
        request_id = self.new_request(
            "requests",
            **_request_record(request),
            failure=self.provider_failure or ("reject" if self.rejecting else None),
        )
        self.stores["serials"].put(request.serial, {"request_id": request_id})
        return request_id

    def query(self, request_id: str) -> InvoiceResult:
        """Return pending until the delay passed, then issued with the XML, or failed."""
        self.check_available()
        record = self.stores["requests"].get(request_id)
        if not self.is_ready(record):
            return InvoiceResult(request_id, "pending", record["serial"])
        if record["failure"]:
            code, message = PROVIDER_FAILURES[record["failure"]]
            return InvoiceResult(request_id, "failed", record["serial"], code=code, message=message)
        number = f"{int(request_id[:16], 16) % 10**20:020d}"  # 20 digits, no invoice code
        issued_at = datetime.fromtimestamp(record["ready_at"], UTC)
        self.stores["invoices"].put(number, {**record, "number": number})
        files = _files(number, record, issued_at)
        return InvoiceResult(request_id, "issued", record["serial"], number, issued_at, files)

    def red_confirm(self, blue_number: str, reason: str) -> RedForm:
        """Fill the confirmation form of an issued blue invoice, or find the one filled (one
        form a blue invoice, so the same red invoice asking again never makes a second one);
        once its refusal was answered, asking again fills a new form (the seller's retry)."""
        self.check_available()
        if self.provider_failure == "login":
            raise PortError(*PROVIDER_FAILURES["login"])
        if reason not in RED_REASONS:
            raise PortError("bad_reason", f"a red-letter form's reason is 01-04, not {reason!r}")
        blue = self._invoice(blue_number)
        if blue["kind"] != "blue":
            raise PortError("not_blue", "a red-letter form reverses a blue invoice")
        try:
            form = self.stores["forms"].get(blue_number)
        except PortError:
            form = None
        if form is None or (form.get("told") and self._form_state(form) == "refused"):
            form = self._new_form(blue, reason)
            self.stores["forms"].put(blue_number, form)
        state = self._form_state(form)
        if state == "refused":  # answered once; the next call is the seller's new form
            self.stores["forms"].put(blue_number, {**form, "told": True})
        return RedForm(form["number"], form["reason"], state)

    def _new_form(self, blue: dict, reason: str) -> dict:
        """SPEC §7: a seller-filled form on a person's invoice is confirmed at once; an
        enterprise buyer (a tax ID) confirms it itself, after the delay, or refuses it when the
        failure mode says reject."""
        enterprise = bool(blue["buyer_tax_id"])
        return {
            "number": f"{uuid.uuid4().int % 10**20:020d}",
            "reason": reason,
            "ready_at": self.clock() + (self.delay if enterprise else 0),
            "refused": enterprise and self.rejecting,
            "told": False,
        }

    def _form_state(self, form: dict) -> str:
        if self.clock() < form["ready_at"]:
            return "pending"
        return "refused" if form.get("refused") else "confirmed"

    def download(self, number: str) -> tuple[InvoiceFile, ...]:
        """Return the issued invoice's files."""
        self.check_available()
        record = self._invoice(number)
        return _files(number, record, datetime.fromtimestamp(record["ready_at"], UTC))

    def callback_for(self, request_id: str) -> tuple[bytes, str]:
        """Return the body and signature header a callback for this request would carry."""
        if not self.secret:
            raise PortError("no_secret", "set a callback signing secret to sign callbacks")
        result = self.query(request_id)
        body = json.dumps(
            {
                "request_id": result.request_id,
                "serial": result.serial,
                "status": result.status,
                "number": result.number,
                "issued_at": result.issued_at.isoformat() if result.issued_at else None,
                "code": result.code,
                "message": result.message,
            },
            ensure_ascii=False,
        ).encode()
        return body, self._sign(body)

    def parse_callback(self, raw_body: bytes, signature_header: str) -> InvoiceResult:
        """Verify the HMAC-SHA256 of the raw body with the tenant's secret, then map it."""
        if not self.secret:
            raise InvalidCallback("no_secret", "callbacks are not signed for this account")
        if not hmac.compare_digest(self._sign(raw_body), signature_header or ""):
            raise InvalidCallback("bad_signature", "the callback signature does not verify")
        try:
            data = json.loads(raw_body)
            issued_at = data.get("issued_at")
            return InvoiceResult(
                request_id=str(data["request_id"]),
                status=str(data["status"]),
                serial=str(data.get("serial") or ""),
                number=data.get("number"),
                issued_at=datetime.fromisoformat(issued_at) if issued_at else None,
                code=str(data.get("code") or ""),
                message=str(data.get("message") or ""),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InvalidCallback(
                "bad_body", "the callback body is not an invoice result"
            ) from error

    def _sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    def _by_serial(self, serial: str) -> dict | None:
        try:
            request_id = self.stores["serials"].get(serial)["request_id"]
        except PortError:
            return None
        return self.stores["requests"].get(request_id)

    def _invoice(self, number: str) -> dict:
        try:
            return self.stores["invoices"].get(number)
        except PortError as missing:
            raise PortError("unknown_invoice", f"no issued invoice {number!r}") from missing


def _check_request(request: InvoiceRequest) -> None:
    """Refuse what a provider refuses at once: kind, red without its form, sums, signs."""
    if request.kind not in INVOICE_KINDS:
        raise PortError("unknown_kind", f"an invoice is blue or red, not {request.kind!r}")
    if request.kind == "red" and not request.original_number:
        raise PortError("missing_original", "a red invoice names the blue invoice it cancels")
    if request.kind == "red" and (
        request.red_form is None or request.red_form.state != "confirmed"
    ):
        raise PortError("missing_red_form", "a red invoice needs a confirmed red-letter form")
    if not request.lines:
        raise PortError("no_lines", "an invoice needs at least one line")
    amount = sum((line.amount for line in request.lines), Decimal(0))
    tax = sum((line.tax for line in request.lines), Decimal(0))
    if (amount, tax) != (request.total_amount, request.total_tax):
        raise PortError("totals", "the totals are not the sums of the lines")
    if request.total != amount + tax or (request.total > 0) != (request.kind == "blue"):
        raise PortError("total", "blue totals are positive, red negative, amount plus tax")


def _request_record(request: InvoiceRequest) -> dict:
    return {
        "serial": request.serial,
        "kind": request.kind,
        "medium": request.medium,
        "order_number": request.order_number,
        "seller": request.seller.name,
        "seller_tax_id": request.seller.tax_id,
        "buyer": request.buyer.name,
        "buyer_tax_id": request.buyer.tax_id,
        "lines": [[line.name, str(line.amount), str(line.tax)] for line in request.lines],
        "total": str(request.total),
        "remark": request.remark,
        "original_number": request.original_number,
    }


def _files(number: str, record: dict, issued_at: datetime) -> tuple[InvoiceFile, ...]:
    lines = "".join(
        f"<Line><Name>{escape(name)}</Name><Amount>{amount}</Amount><Tax>{tax}</Tax></Line>"
        for name, amount, tax in record["lines"]
    )
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><EInvoice kind={quoteattr(record["kind"])}>'
        f"<Number>{number}</Number><IssuedAt>{issued_at.isoformat()}</IssuedAt>"
        f"<Serial>{escape(record['serial'])}</Serial>"
        f"<Original>{escape(record['original_number'] or '')}</Original>"
        f"<Order>{escape(record['order_number'])}</Order>"
        f"<Seller>{escape(record['seller'])}</Seller><SellerTaxId>"
        f"{escape(record['seller_tax_id'])}</SellerTaxId>"
        f"<Buyer>{escape(record['buyer'])}</Buyer><BuyerTaxId>"
        f"{escape(record['buyer_tax_id'])}</BuyerTaxId>"
        f"<Lines>{lines}</Lines><Total>{record['total']}</Total>"
        f"<Remark>{escape(record['remark'])}</Remark></EInvoice>"
    )
    return (InvoiceFile(f"{number}.xml", "application/xml", body.encode()),)
