"""Where an order stands with customs, derived from where each of its documents stands.

SPEC §6 and NOTES §4: the three documents (order 311, payment 411, waybill 511) go first;
once each is accepted (120) the inventory list (621) follows; its receipts conclude (399)
and release (800) the goods. A rejection of any current document stops the declaration
until the merchant corrects and resends it, or cancels and refunds.
"""

from collections.abc import Mapping
from enum import StrEnum

from storefront.domain.customs.receipts import DocumentKind, Outcome

COMPOSITE_TAGS = frozenset({"cross_border_retail", "domestic_dropship", "overseas_consolidation"})
THREE_DOCUMENTS = (DocumentKind.ORDER, DocumentKind.PAYMENT, DocumentKind.WAYBILL)


class State(StrEnum):
    AWAITING_WAYBILL = "awaiting_waybill"
    DOCUMENTS_SENT = "documents_sent"
    DOCUMENTS_ACCEPTED = "documents_accepted"
    INVENTORY_SENT = "inventory_sent"
    CLEARED = "cleared"
    RELEASED = "released"
    REJECTED = "rejected"


class Step(StrEnum):
    """Why the declaration's timeline has a line (its `reason`); parameters in comments."""

    OPENED = "opened"
    WAYBILL = "waybill"  # waybill
    WRITTEN = "written"  # documents (kinds, comma-separated)
    SENT = "sent"  # documents
    RECEIPT = "receipt"  # kind, status
    REJECTED = "rejected"  # code
    RESEND = "resend"  # documents
    PROBLEMS = "problems"  # problems: [{code, field, detail}]
    SHIPPED = "shipped"  # carrier


class DocumentStatus(StrEnum):
    SENDING = "sending"  # written down, handed to the transport next (again after a crash)
    SENT = "sent"
    ACCEPTED = "accepted"
    CLEARED = "cleared"
    RELEASED = "released"
    REJECTED = "rejected"


# What a receipt's outcome makes of its document; PROGRESS leaves it as it is.
OUTCOME_STATUS: Mapping[Outcome, DocumentStatus] = {
    Outcome.ACCEPTED: DocumentStatus.ACCEPTED,
    Outcome.CLEARED: DocumentStatus.CLEARED,
    Outcome.RELEASED: DocumentStatus.RELEASED,
    Outcome.CLOSED: DocumentStatus.RELEASED,
    Outcome.REJECTED: DocumentStatus.REJECTED,
    # 4 (发送海关失败): customs never saw it; the merchant resends it like a rejected one
    Outcome.RESEND: DocumentStatus.REJECTED,
}
# A receipt never takes a document back: a late 120 after 800 changes nothing.
_RANK = {
    DocumentStatus.SENDING: 0,
    DocumentStatus.SENT: 1,
    DocumentStatus.ACCEPTED: 2,
    DocumentStatus.CLEARED: 3,
    DocumentStatus.RELEASED: 4,
    DocumentStatus.REJECTED: 5,
}


def after_receipt(current: DocumentStatus, outcome: Outcome) -> DocumentStatus:
    """Return the document's status once a receipt with `outcome` is applied."""
    target = OUTCOME_STATUS.get(outcome)
    if target is None or _RANK[target] < _RANK[current]:
        return current
    return target


def declaration_state(documents: Mapping[DocumentKind, DocumentStatus]) -> State:
    """Derive the declaration's state from its current documents (one status per kind)."""
    if DocumentStatus.REJECTED in documents.values():
        return State.REJECTED
    inventory = documents.get(DocumentKind.INVENTORY)
    if inventory == DocumentStatus.RELEASED:
        return State.RELEASED
    if inventory == DocumentStatus.CLEARED:
        return State.CLEARED
    if inventory is not None:
        return State.INVENTORY_SENT
    three = [documents.get(kind) for kind in THREE_DOCUMENTS]
    if all(status == DocumentStatus.ACCEPTED for status in three):
        return State.DOCUMENTS_ACCEPTED
    return State.DOCUMENTS_SENT if any(three) else State.AWAITING_WAYBILL


def kinds_to_send(documents: Mapping[DocumentKind, DocumentStatus]) -> tuple[DocumentKind, ...]:
    """Return the documents to write next: the three missing ones, then the inventory list."""
    missing = tuple(kind for kind in THREE_DOCUMENTS if kind not in documents)
    if missing:
        return missing
    ready = all(documents[kind] == DocumentStatus.ACCEPTED for kind in THREE_DOCUMENTS)
    if ready and DocumentKind.INVENTORY not in documents:
        return (DocumentKind.INVENTORY,)
    return ()


def needs_customs(tax_tag: str | None) -> bool:
    """Say whether an order is declared with CEB messages (composite tags, SPEC §6)."""
    return tax_tag in COMPOSITE_TAGS
