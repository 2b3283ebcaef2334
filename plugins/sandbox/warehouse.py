"""Sandbox bonded warehouse: a tally sheet gets its waybill number later; outbound release."""

from plugins.sandbox.base import Sandbox
from storefront.ports import Port, PortError, ReleaseAnswer, TallySheet, WaybillAnswer


class SandboxWarehouse(Sandbox):
    PLUGIN_ID = "sandbox_warehouse"
    KIND = Port.WAREHOUSE
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("tallies",)

    def submit_tally(self, sheet: TallySheet) -> str:
        """Accept a tally sheet; the waybill number is assigned after `delay_seconds`."""
        self.check_available()
        if not sheet.lines or any(line.quantity <= 0 for line in sheet.lines):
            raise PortError("empty_tally", "a tally sheet needs lines with positive quantities")
        return self.new_request(
            "tallies",
            order_number=sheet.order_number,
            refused=self.rejecting,
            released=False,
        )

    def waybill(self, request_id: str) -> WaybillAnswer:
        self.check_available()
        record = self.stores["tallies"].get(request_id)
        if not self.is_ready(record):
            return WaybillAnswer(request_id, "pending")
        if record["refused"]:
            return WaybillAnswer(request_id, "refused", note="sandbox: refused on demand")
        return WaybillAnswer(request_id, "assigned", _waybill_number(request_id))

    def release(self, waybill_number: str) -> ReleaseAnswer:
        """Release the parcel whose waybill was assigned; anything else is refused."""
        self.check_available()
        store = self.stores["tallies"]
        for record in store.all():
            assigned = self.is_ready(record) and not record["refused"]
            if assigned and _waybill_number(record["id"]) == waybill_number:
                store.put(record["id"], {**record, "released": True})
                return ReleaseAnswer(waybill_number, "released")
        return ReleaseAnswer(waybill_number, "refused", "sandbox: no assigned waybill")


def _waybill_number(request_id: str) -> str:
    return f"SBX{int(request_id[:10], 16) % 10**12:012d}"
