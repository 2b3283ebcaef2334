"""Sandbox bonded warehouse: a tally sheet gets its waybill later; released parcels ship later.

Both requests are idempotent like the real warehouse's: the same order's tally sheet, or the
same waybill's outbound request, returns the request id it got the first time.
"""

import hashlib

from plugins.sandbox.base import Sandbox
from storefront.ports import OutboundAnswer, Port, PortError, TallySheet, WaybillAnswer

CARRIER = "SF"  # the sandbox ships everything with SF Express (storefront.domain.shipping)


def _request_id(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:32]


def _number(request_id: str, digits: int) -> str:
    return f"{int(request_id[:16], 16) % 10**digits:0{digits}d}"


class SandboxWarehouse(Sandbox):
    PLUGIN_ID = "sandbox_warehouse"
    KIND = Port.WAREHOUSE
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("tallies", "outbounds")

    def _once(self, store: str, request_id: str, **fields) -> str:
        try:
            return self.stores[store].get(request_id)["id"]
        except PortError:
            record = {"id": request_id, "ready_at": self.clock() + self.delay, **fields}
            self.stores[store].put(request_id, record)
            return request_id

    def submit_tally(self, sheet: TallySheet) -> str:
        """Accept a tally sheet once per order; the waybill comes after `delay_seconds`."""
        self.check_available()
        if not sheet.lines or any(line.quantity <= 0 for line in sheet.lines):
            raise PortError("empty_tally", "a tally sheet needs lines with positive quantities")
        request_id = _request_id("tally", sheet.order_number)
        return self._once(
            "tallies", request_id, order_number=sheet.order_number, refused=self.rejecting
        )

    def waybill(self, request_id: str) -> WaybillAnswer:
        """Return pending, the assigned waybill number (SBX + 12 digits), or refused."""
        self.check_available()
        record = self.stores["tallies"].get(request_id)
        if not self.is_ready(record):
            return WaybillAnswer(request_id, "pending")
        if record["refused"]:
            return WaybillAnswer(request_id, "refused", note="sandbox: refused on demand")
        return WaybillAnswer(request_id, "assigned", _waybill_number(request_id))

    def request_outbound(self, waybill_number: str) -> str:
        """Ask to ship the parcel of an assigned waybill, once per waybill."""
        self.check_available()
        assigned = (
            record
            for record in self.stores["tallies"].all()
            if self.is_ready(record) and not record["refused"]
        )
        if not any(_waybill_number(record["id"]) == waybill_number for record in assigned):
            raise PortError("unknown_waybill", f"no assigned waybill {waybill_number!r}")
        request_id = _request_id("outbound", waybill_number)
        return self._once(
            "outbounds", request_id, waybill_number=waybill_number, refused=self.rejecting
        )

    def outbound(self, request_id: str) -> OutboundAnswer:
        """Return pending, shipped with SF and its tracking number, or refused."""
        self.check_available()
        record = self.stores["outbounds"].get(request_id)
        if not self.is_ready(record):
            return OutboundAnswer(request_id, "pending")
        if record["refused"]:
            return OutboundAnswer(request_id, "refused", note="sandbox: refused on demand")
        # SF waybill numbers: "SF" and 13 digits, as storefront.domain.shipping accepts.
        return OutboundAnswer(request_id, "shipped", CARRIER, f"SF{_number(request_id, 13)}")


def _waybill_number(request_id: str) -> str:
    return f"SBX{_number(request_id, 12)}"
