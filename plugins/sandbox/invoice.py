"""Sandbox e-invoice provider: blue and red invoices issued later, with their files."""

from decimal import Decimal
from xml.sax.saxutils import escape

from plugins.sandbox.base import Sandbox
from storefront.ports import InvoiceFile, InvoiceRequest, InvoiceResult, Port, PortError

KINDS = ("blue", "red")


class SandboxInvoiceProvider(Sandbox):
    PLUGIN_ID = "sandbox_invoice"
    KIND = Port.INVOICE
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("requests",)

    def issue(self, request: InvoiceRequest) -> str:
        """Accept a request; a red invoice must name the blue one it cancels."""
        self.check_available()
        if request.kind not in KINDS:
            raise PortError("unknown_kind", f"an invoice is blue or red, not {request.kind!r}")
        if request.kind == "red" and not request.original_number:
            raise PortError("missing_original", "a red invoice names the blue invoice it cancels")
        if not request.lines:
            raise PortError("no_lines", "an invoice needs at least one line")
        total = sum((line.amount for line in request.lines), Decimal(0))
        return self.new_request(
            "requests",
            kind=request.kind,
            order_number=request.order_number,
            buyer_name=request.buyer_name,
            original_number=request.original_number,
            total=str(-total if request.kind == "red" else total),
            failed=self.rejecting,
        )

    def poll(self, request_id: str) -> InvoiceResult:
        self.check_available()
        record = self.stores["requests"].get(request_id)
        if not self.is_ready(record):
            return InvoiceResult(request_id, "pending")
        if record["failed"]:
            return InvoiceResult(request_id, "failed", note="sandbox: failed on demand")
        number = f"{int(request_id[:12], 16) % 10**20:020d}"  # 20 digits, as fully digital ones
        return InvoiceResult(request_id, "issued", number, (_xml_file(number, record),))


def _xml_file(number: str, record: dict) -> InvoiceFile:
    original = record["original_number"] or ""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><EInvoice kind="{record["kind"]}">'
        f"<Number>{number}</Number><Original>{escape(original)}</Original>"
        f"<Order>{escape(record['order_number'])}</Order>"
        f"<Buyer>{escape(record['buyer_name'])}</Buyer><Total>{record['total']}</Total>"
        "</EInvoice>"
    )
    return InvoiceFile(f"{number}.xml", "application/xml", body.encode())
