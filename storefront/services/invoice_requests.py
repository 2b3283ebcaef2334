"""The shopper's side of invoices (SPEC §7): saved titles, asking for an invoice at checkout
or later, changing the title (seed 003 §五) and the one change to paper (§四)."""

from enum import StrEnum

from sqlalchemy import select, update

from storefront.domain.errors import Refused
from storefront.domain.invoices.taxpayer import normalise_tax_id, tax_id_problem
from storefront.extensions import db
from storefront.models import Invoice, InvoiceRequest, InvoiceTitle, Order
from storefront.models.types import utcnow
from storefront.services.errors import NotFound
from storefront.services.invoice_issuing import advance_order
from storefront.services.invoice_settings import current_settings, eligible
from storefront.services.invoices import UNSETTLED, InvoiceState, invoices_of, log, request_of
from storefront.services.locks import locked
from storefront.services.notifications import notify

TITLE_KINDS = ("personal", "enterprise")


class InvoiceRefusal(StrEnum):
    NOT_OFFERED = "invoice_not_offered"  # the store does not invoice these goods
    ALREADY_REQUESTED = "invoice_already_requested"
    NOT_REQUESTED = "invoice_not_requested"
    BAD_TITLE = "invoice_bad_title"  # a name; an enterprise also a valid tax ID
    IN_PROGRESS = "invoice_in_progress"  # seed 003 §四: not while an invoice is being issued
    PAPER_FINAL = "invoice_paper_final"  # seed 003 §四: once, and paper never goes back
    PAPER_PENDING = "invoice_paper_pending"  # asked already: the merchant reviews it
    PAPER_DECLINED = "invoice_paper_declined"  # once per order: a declined request stands
    NO_PAPER_REQUEST = "invoice_no_paper_request"  # nothing waits for the merchant's review
    NO_REASON = "invoice_no_reason"  # a declined request tells the shopper why


class PaperState(StrEnum):
    """Where the shopper's change to paper stands (seed 003 §四: the merchant reviews it)."""

    NONE = ""
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


class InvoiceRefused(Refused):
    """The invoice action is declined; `code` is an InvoiceRefusal."""

    def __init__(self, code: InvoiceRefusal, message: str = "") -> None:
        super().__init__(code, message)  # type: ignore[arg-type]


def checked_title(kind: str, name: str, tax_id: str) -> tuple[str, str, str]:
    """Return (kind, name, tax id) cleaned, or refuse: a person has no tax ID, an enterprise
    a valid unified social credit code."""
    name, tax_id = name.strip(), normalise_tax_id(tax_id) if kind == "enterprise" else ""
    if kind not in TITLE_KINDS or not name or len(name) > 100:
        raise InvoiceRefused(InvoiceRefusal.BAD_TITLE, "a personal or enterprise title, named")
    if kind == "enterprise" and tax_id_problem(tax_id):
        raise InvoiceRefused(InvoiceRefusal.BAD_TITLE, "an enterprise title has its tax ID")
    return kind, name, tax_id


def save_title(
    shopper_id: int, kind: str, name: str, tax_id: str = "", default: bool = False
) -> InvoiceTitle:
    """Save a title for the shopper (the first is the default); commit."""
    kind, name, tax_id = checked_title(kind, name, tax_id)
    has_titles = db.session.scalar(
        select(InvoiceTitle.id).where(InvoiceTitle.shopper_id == shopper_id).limit(1)
    )
    if default and has_titles:
        db.session.execute(
            update(InvoiceTitle)
            .where(InvoiceTitle.shopper_id == shopper_id)
            .values(is_default=False)
        )
    title = InvoiceTitle(
        shopper_id=shopper_id,
        kind=kind,
        name=name,
        tax_id=tax_id,
        is_default=default or not has_titles,
    )
    db.session.add(title)
    db.session.commit()
    return title


def set_default_title(shopper_id: int, title_id: int) -> InvoiceTitle:
    """Make one of the shopper's titles the default (the others not); commit."""
    title = db.session.scalar(
        select(InvoiceTitle).where(
            InvoiceTitle.id == title_id, InvoiceTitle.shopper_id == shopper_id
        )
    )
    if title is None:
        raise NotFound("InvoiceTitle")
    db.session.execute(
        update(InvoiceTitle)
        .where(InvoiceTitle.shopper_id == shopper_id, InvoiceTitle.id != title_id)
        .values(is_default=False)
    )
    title.is_default = True
    db.session.commit()
    return title


def titles(shopper_id: int) -> list[InvoiceTitle]:
    """Return the shopper's titles, the default first."""
    return list(
        db.session.scalars(
            select(InvoiceTitle)
            .where(InvoiceTitle.shopper_id == shopper_id)
            .order_by(InvoiceTitle.is_default.desc(), InvoiceTitle.id)
        )
    )


def offered(order: Order) -> bool:
    """Say whether the store invoices this order's goods (settings and tag eligibility)."""
    settings = current_settings()
    return settings is not None and eligible(order, settings)


def request_invoice(
    order_id: int, shopper_id: int, kind: str, name: str, tax_id: str = "", medium="electronic"
) -> InvoiceRequest:
    """Ask for an invoice of the shopper's order with this title (a snapshot); commit, then
    issue it at once if the order already reached the store's trigger."""
    order = _shoppers_order(order_id, shopper_id)
    if not offered(order):
        raise InvoiceRefused(InvoiceRefusal.NOT_OFFERED)
    if request_of(order.id) is not None:
        raise InvoiceRefused(InvoiceRefusal.ALREADY_REQUESTED)
    kind, name, tax_id = checked_title(kind, name, tax_id)
    if medium not in ("electronic", "paper"):
        raise InvoiceRefused(InvoiceRefusal.PAPER_FINAL, "electronic or paper")
    request = InvoiceRequest(
        order_id=order.id, title_kind=kind, title_name=name, title_tax_id=tax_id, medium=medium
    )
    db.session.add(request)
    db.session.commit()
    advance_order(order.id)
    return request


def change_title(order_id: int, kind: str, name: str, tax_id: str = "") -> None:
    """Change the order's title (no limit in number or time, seed 003 §五); an issued blue
    invoice is reversed and issued again under the new title. Commit."""
    request = _open_request(order_id)
    kind, name, tax_id = checked_title(kind, name, tax_id)
    request.title_kind, request.title_name, request.title_tax_id = kind, name, tax_id
    request.updated_at = utcnow()
    db.session.commit()
    advance_order(order_id)


def ask_paper(order_id: int) -> None:
    """Ask to turn the order's invoice to paper, once (seed 003 §四 换纸质逻辑); commit.

    Not while an invoice is being issued. Once the electronic invoice is issued the request
    waits for the merchant's review (`approve_paper` reverses it); before that nothing is
    reversed, so the invoice is simply issued on paper.
    """
    request = _open_request(order_id)
    if request.medium == "paper":
        raise InvoiceRefused(InvoiceRefusal.PAPER_FINAL)
    if request.paper_state == PaperState.REQUESTED:
        raise InvoiceRefused(InvoiceRefusal.PAPER_PENDING)
    if request.paper_state == PaperState.DECLINED:
        raise InvoiceRefused(InvoiceRefusal.PAPER_DECLINED)
    if _issued_blue(order_id) is None:
        request.medium = "paper"  # nothing issued to reverse: no review needed
    else:
        request.paper_state = PaperState.REQUESTED
    request.updated_at = utcnow()
    db.session.commit()
    advance_order(order_id)


def approve_paper(order_id: int, who: str) -> None:
    """Approve the shopper's paper request: the electronic invoice is reversed (red, reason 01)
    and a paper one issued (seed 003 §四); commit."""
    order, request = _paper_review(order_id)
    request.medium, request.paper_state, request.updated_at = "paper", PaperState.APPROVED, utcnow()
    _log_review(order.id, who, "paper_approved", {})
    db.session.commit()
    advance_order(order.id)


def decline_paper(order_id: int, reason: str, who: str) -> None:
    """Decline the shopper's paper request with the merchant's reason, told to the shopper; the
    electronic invoice stays; commit."""
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise InvoiceRefused(InvoiceRefusal.NO_REASON)
    order, request = _paper_review(order_id)
    request.paper_state, request.paper_note = PaperState.DECLINED, reason
    request.updated_at = utcnow()
    _log_review(order.id, who, "paper_declined", {"note": reason})
    notify(
        order.shopper_id,
        f"invoice-paper:{order.id}",  # one request per order, so one answer
        "invoice_paper_declined",
        {"order_id": order.id, "number": order.number, "reason": reason},
    )
    db.session.commit()


def _paper_review(order_id: int) -> tuple[Order, InvoiceRequest]:
    """The order and its request, locked, with a paper request awaiting review."""
    order = locked(Order, order_id)
    if order is None:
        raise NotFound("Order")
    request = request_of(order_id)
    if request is None or request.paper_state != PaperState.REQUESTED:
        raise InvoiceRefused(InvoiceRefusal.NO_PAPER_REQUEST)
    return order, request


def _log_review(order_id: int, who: str, action: str, answer: dict) -> None:
    """Put the review on the timeline of the electronic invoice it concerns."""
    blue = _issued_blue(order_id)
    if blue is not None:
        log(blue, who, action, blue.state, blue.state, answer or None)


def _issued_blue(order_id: int) -> Invoice | None:
    return next(
        (i for i in invoices_of(order_id) if i.kind == "blue" and i.state == InvoiceState.ISSUED),
        None,
    )


def _open_request(order_id: int) -> InvoiceRequest:
    """The order's request, locked with its order, with no invoice on its way."""
    order = locked(Order, order_id)
    if order is None:
        raise NotFound("Order")
    request = request_of(order_id)
    if request is None:
        raise InvoiceRefused(InvoiceRefusal.NOT_REQUESTED)
    if any(invoice.state in UNSETTLED for invoice in invoices_of(order_id)):
        raise InvoiceRefused(InvoiceRefusal.IN_PROGRESS)
    return request


def _shoppers_order(order_id: int, shopper_id: int) -> Order:
    """The shopper's order, locked: requests arriving together see each other (one per order)."""
    order = db.session.scalar(
        select(Order).where(Order.id == order_id, Order.shopper_id == shopper_id).with_for_update()
    )
    if order is None:
        raise NotFound("Order")
    return order
