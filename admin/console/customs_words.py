"""The merchant's wording of a declaration: what each state means, each consistency problem,
each timeline step and each receipt's return status, in the reader's language."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from storefront.customs.codes import error_text, return_status_text
from storefront.domain.customs.consistency import ProblemCode
from storefront.domain.customs.states import State, Step
from storefront.i18n import label
from storefront.order_log import actor_text

# What the merchant should know or do in each state (SPEC §6; NOTES §4 for the receipts).
STATE_EXPLANATIONS = {
    State.AWAITING_WAYBILL: _l(
        "The bonded warehouse has the tally sheet and has not yet named the waybill number. "
        "The order, payment and waybill messages go to customs as soon as it does."
    ),
    State.DOCUMENTS_SENT: _l(
        "The order, payment and waybill messages were sent to customs. The inventory list "
        "follows once customs has accepted all three."
    ),
    State.DOCUMENTS_ACCEPTED: _l(
        "Customs accepted the order, payment and waybill messages; the inventory list is "
        "declared next."
    ),
    State.INVENTORY_SENT: _l("The inventory list was declared; customs is reviewing it."),
    State.CLEARED: _l("Customs has concluded its review; release follows."),
    State.RELEASED: _l(
        "Customs released the goods. The bonded warehouse ships the order; the shopper sees "
        "the tracking number as soon as it does."
    ),
    State.REJECTED: _l(
        "Customs returned the declaration. Correct what it names and declare again, or cancel "
        "the order and refund the shopper."
    ),
}

# Each consistency rule of storefront.domain.customs.consistency, in the merchant's words.
PROBLEM_WORDS = {
    ProblemCode.PAID_MISMATCH: _l(
        "The amount paid does not add up: goods + freight + tax − discount must equal the "
        "amount paid in the payment slip."
    ),
    ProblemCode.PAYER_NOT_BUYER: _l(
        "The payer is not the buyer: customs requires them to be one person."
    ),
    ProblemCode.BUYER_MISMATCH: _l("The inventory list names another buyer than the order."),
    ProblemCode.CONSIGNEE_MISMATCH: _l("The consignee differs between the order and the waybill."),
    ProblemCode.ORDER_NO_MISMATCH: _l("The order number differs between the messages."),
    ProblemCode.ENTERPRISE_MISMATCH: _l(
        "The platform or e-commerce enterprise code differs between the messages."
    ),
    ProblemCode.PAYMENT_LINK: _l(
        "The payment enterprise or transaction number differs between the order and the "
        "payment slip."
    ),
    ProblemCode.WAYBILL_LINK: _l(
        "The logistics enterprise or waybill number differs between the waybill and the "
        "inventory list."
    ),
    ProblemCode.FREIGHT_MISMATCH: _l("The freight differs between the messages."),
    ProblemCode.LINE_MISMATCH: _l(
        "The inventory list's goods do not match the order's goods one to one."
    ),
    ProblemCode.LINE_TOTAL: _l("A line's total is not its price times its quantity."),
    ProblemCode.GOODS_SUM: _l("The lines' totals do not add up to the goods value."),
    ProblemCode.GNUM_SEQUENCE: _l("Line numbers must run 1, 2, 3 … without gaps."),
    ProblemCode.TOO_MANY_LINES: _l("The order has more lines than customs accepts in one message."),
    ProblemCode.BAD_ID_NUMBER: _l("The buyer's ID number is not valid (its check digit is wrong)."),
    ProblemCode.ID_TYPE: _l("Only a resident identity card is accepted as the buyer's ID."),
    ProblemCode.GUID_FORMAT: _l("A message id (guid) is not 36 upper-case characters."),
    ProblemCode.APP_TIME_NOT_LATER: _l(
        "A corrected message must be dated later than the one it replaces."
    ),
    ProblemCode.NEGATIVE_AMOUNT: _l("An amount is negative."),
    ProblemCode.MISSING_FIELD: _l("A field the trade mode requires is empty."),
    ProblemCode.TRADE_MODE: _l(
        "The trade mode is neither 1210 (bonded) nor 9610 (direct purchase)."
    ),
    ProblemCode.BONDED_COUNTRY: _l(
        "A bonded (1210) inventory list must give China (142) as country."
    ),
    ProblemCode.HS_CODE: _l("An HS code is not 10 digits."),
    ProblemCode.WEIGHT: _l(
        "A weight is wrong: weights must be above zero and the net weight at most the gross."
    ),
    ProblemCode.PACK_NO: _l("A waybill carries exactly one parcel."),
}

# CustomsEvent.reason (storefront.services.customs) with its params.
EVENT_TEXTS = {
    Step.OPENED: _l("Declaration opened"),
    Step.WAYBILL: _l("The bonded warehouse named waybill %(waybill)s"),
    Step.WRITTEN: _l("Written, signed and checked: %(documents)s"),
    Step.SENT: _l("Sent to customs: %(documents)s"),
    Step.RECEIPT: _l("Customs answered the %(kind)s: %(status)s"),
    Step.REJECTED: _l("Customs returned the declaration: %(code)s"),
    Step.RESEND: _l("Corrected and declared again: %(documents)s"),
    Step.PROBLEMS: _l("The messages disagree; nothing was sent"),
    Step.SHIPPED: _l("The bonded warehouse shipped the order with %(carrier)s"),
}
ACTORS = {"customs": _l("Customs")}
# appType (S1 table 3-1 ...): 1 new, 2 change (a corrected resend), 3 deletion
APP_TYPES = {"1": _l("New declaration"), "2": _l("Correction"), "3": _l("Deletion")}
# appTime and returnTime are China Standard Time (NOTES §3.2), whatever the reader's zone
CHINA = ZoneInfo("Asia/Shanghai")


def china_time(moment: datetime | None) -> str:
    """Format a stored time as customs writes it, in China time: 2024-05-01 12:00:00."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def return_time_text(stamp: str) -> str:
    """Format a 17-digit returnTime (YYYYMMDDhhmmssSSS, China time) for reading."""
    if len(stamp) < 14 or not stamp.isdigit():
        return stamp
    day, clock = stamp[:8], stamp[8:14]
    text = f"{day[:4]}-{day[4:6]}-{day[6:]} {clock[:2]}:{clock[2:4]}:{clock[4:]}"
    return f"{text}.{stamp[14:]}" if stamp[14:] else text


def state_explanation(state: str) -> str:
    """Say in plain words where the declaration stands and what comes next."""
    text = STATE_EXPLANATIONS.get(State(state))
    return str(text) if text is not None else state


def problem_text(problem: dict) -> str:
    """Word one problem of a "problems" event; an unknown code shows as stored."""
    code = problem.get("code", "")
    text = PROBLEM_WORDS.get(code)  # ProblemCode is a StrEnum: the stored string finds it
    return str(text) if text is not None else code


def return_status_words(status: str) -> str:
    """Return the Chinese meaning of a returnStatus; a negative one is an error code
    (spec table 7-2), the rest are the receipt statuses (tables 3-7 … 3-35)."""
    if status.startswith("-"):
        return error_text(status) or return_status_text(status) or ""
    return return_status_text(status) or ""


def event_text(event) -> str:
    """Return why the declaration moved, in the reader's language."""
    template = EVENT_TEXTS.get(event.reason)
    if template is None:
        return event.reason or ""
    params = defaultdict(str, event.params or {})
    if event.reason in (Step.WRITTEN, Step.SENT, Step.RESEND):
        kinds = (kind for kind in params["documents"].split(",") if kind)
        params["documents"] = "、".join(label("document_kind", kind) for kind in kinds)
    if event.reason == "receipt":
        words = return_status_words(params["status"])
        params["kind"] = label("document_kind", params["kind"])
        params["status"] = f"{params['status']} {words}".strip()
    if event.reason == "rejected":
        params["code"] = _rejection_code(params["code"])
    return str(template) % params


def _rejection_code(code: str) -> str:
    if code == "warehouse_refused":
        return _("the bonded warehouse refused the tally sheet")
    if code in PROBLEM_WORDS:
        return str(PROBLEM_WORDS[code])
    return f"{code} {return_status_words(code)}".strip()


def app_type_text(app_type: str) -> str:
    """Return what an appType means (new, correction, deletion)."""
    text = APP_TYPES.get(app_type)
    return str(text) if text is not None else app_type


def customs_actor(who: str) -> str:
    """Return who moved the declaration: customs, the system, or a staff member by name."""
    text = ACTORS.get(who)
    return str(text) if text is not None else actor_text(who)


def open_problems(events) -> list[dict]:
    """Return the latest "problems" event's problems, unless messages were sent since
    (then they were corrected)."""
    for event in reversed(events):
        if event.reason in (Step.WRITTEN, Step.SENT, Step.RESEND):
            return []
        if event.reason == "problems":
            return list((event.params or {}).get("problems", []))
    return []
