"""Recording a placement refused by a limit or mixing rule, for the merchant's dashboard."""

import logging
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from storefront.domain.errors import ErrorCode
from storefront.extensions import db
from storefront.models.refusals import CheckoutRefusal

log = logging.getLogger(__name__)

# Only the rules of SPEC §3 are counted: stock, filings and a changed price are not refusals
# by rule (issue 13: "refusals by limit rule").
RECORDED = frozenset({ErrorCode.LIMIT_EXCEEDED, ErrorCode.MIXED_CART})


def record_refusal(code: ErrorCode, snapshot, moment: datetime) -> CheckoutRefusal | None:
    """Write one refusal row in its own short transaction; the session must hold nothing else.

    The first violation (or mixing problem) names the rule. A failure to record is logged and
    swallowed: the shopper's refusal must reach them exactly as it would without the record.
    """
    row = _refusal_row(code, snapshot, moment)
    if row is None:
        return None
    db.session.add(row)
    try:
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("checkout refusal %s/%s not recorded: %s", row.code, row.rule, type(error))
        return None
    return row


def _refusal_row(code: ErrorCode, snapshot, moment: datetime) -> CheckoutRefusal | None:
    if code not in RECORDED or snapshot is None:
        return None
    if code == ErrorCode.LIMIT_EXCEEDED and snapshot.violations:
        first = snapshot.violations[0]
        return CheckoutRefusal(
            code=code, rule=first.code, limit=first.limit, amount=first.amount, refused_at=moment
        )
    if code == ErrorCode.MIXED_CART and snapshot.problems:
        return CheckoutRefusal(code=code, rule=snapshot.problems[0].code, refused_at=moment)
    return None
