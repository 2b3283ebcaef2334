"""What the sandbox customs remembers of the declarations it took, indexed by what it looks up.

Customs checks each inventory against the buyer's year so far and each tax bill against the
order's declared tax; the e-port answers what came due. Reading every declaration ever sent
for each of those would make every send slower than the one before, so the ledger keeps, beside
each message, the latest version of each inventory per buyer, the latest declared tax per
order and the messages whose receipts are not all written yet. Buyers and orders are indexed
under a hash: ID numbers never become file names.
"""

import hashlib
from decimal import Decimal

from plugins.sandbox import customs_office as office
from plugins.sandbox import customs_tax as tax
from plugins.sandbox.base import RecordStore

KINDS = ("messages", "buyers", "orders", "pending", "state")  # state: shared with the transport


def _key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


class CustomsLedger:
    """The sandbox's declarations (callers hold the transport's lock)."""

    def __init__(self, stores: dict[str, RecordStore]) -> None:
        self.messages, self.buyers = stores["messages"], stores["buyers"]
        self.orders, self.pending = stores["orders"], stores["pending"]
        self.state = stores["state"]

    def index_earlier_messages(self) -> None:
        """Index, once, the messages a sandbox kept before it had indexes."""
        if self.state.find("ledger") is not None:
            return
        for record in sorted(self.messages.all(), key=lambda record: record["sent_at"]):
            self.add(record)
            self.update(record)  # pending only while some of its receipts are not written
        self.state.put("ledger", {"indexed": True})

    def message(self, message_id: str) -> dict | None:
        return self.messages.find(message_id)

    def quota_used(self, document: dict, sent_at: float) -> Decimal:
        """Sum the buyer's accepted inventories of this calendar year, the latest version of
        each; a change replaces its earlier version, so `document`'s own is left out."""
        inventories = self.buyers.find(_key(document["buyer_id"]), {"inventories": {}})
        year = office.china_year(sent_at)
        return sum(
            (
                Decimal(other["total"])
                for cop_no, other in inventories["inventories"].items()
                if cop_no != document["fields"]["copNo"]
                and office.china_year(other["sent_at"]) == year
                and other["final_status"] == "800"
            ),
            Decimal(0),
        )

    def declared_tax(self, order_no: str) -> Decimal | None:
        """Return the taxTotal of the order's latest CEB311 (None if customs never had one)."""
        declared = self.orders.find(_key(order_no))
        return None if declared is None else Decimal(declared["tax_total"] or "0")

    def add(self, record: dict) -> None:
        """Keep a message taken at record["sent_at"] with its planned receipts and indexes."""
        self.messages.put(record["id"], record)
        self.pending.put(record["id"], {"id": record["id"]})
        for document in record["documents"]:
            if document["kind"] == "621":
                self._index_inventory(document, record["sent_at"])
            elif document["kind"] == "311":
                self._index_order(document, record["sent_at"])

    def unanswered(self) -> list[dict]:
        """Return the messages with receipts still to write, by id."""
        return [self.messages.get(record_id) for record_id in self.pending.ids()]

    def update(self, record: dict) -> None:
        """Save a message whose receipts were written; it leaves the pending ones when all are."""
        self.messages.put(record["id"], record)
        if all(item["written"] for doc in record["documents"] for _, item in answers(doc)):
            self.pending.delete(record["id"])

    def _index_inventory(self, document: dict, sent_at: float) -> None:
        key = _key(document["buyer_id"])
        inventories = self.buyers.find(key, {"inventories": {}})
        cop_no = document["fields"]["copNo"]
        if inventories["inventories"].get(cop_no, {"sent_at": sent_at})["sent_at"] > sent_at:
            return  # a later version is kept already
        inventories["inventories"][cop_no] = {
            "total": document["total"],
            "sent_at": sent_at,
            "final_status": document["receipts"][-1]["status"],
        }
        self.buyers.put(key, inventories)

    def _index_order(self, document: dict, sent_at: float) -> None:
        key = _key(document["order_no"])
        if self.orders.find(key, {"sent_at": sent_at})["sent_at"] <= sent_at:
            self.orders.put(key, {"tax_total": document["tax_total"], "sent_at": sent_at})


def answers(document: dict) -> list[tuple[str, dict]]:
    """Every answer planned for a document, with the kind of message it comes in."""
    receipts = [(document["kind"], item) for item in document["receipts"]]
    return receipts + [(tax.KIND, item) for item in document.get("tax_bills", ())]
