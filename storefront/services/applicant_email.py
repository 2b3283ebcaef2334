"""An applicant confirms its e-mail address by a mailed link before it may submit (SPEC §9).

Approval makes the applicant's address the new owner's login, so the address must be the
applicant's own: the link is mailed to it at sign-up, and whoever opens it must also be signed
in as that applicant (a stranger who applied under someone else's address never gets the link;
the address's owner clicking a link it did not ask for confirms nothing without the password).
The token is signed with the secret key and names the account, its address and its session
version (a password change voids it); it expires (APPLICANT_CONFIRM_HOURS) and works once: a
confirmed address takes no link. Sending a new link is limited per applicant and per client
address (APPLICANT_CONFIRM_PER_HOUR).
"""

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Applicant
from storefront.models.types import utcnow
from storefront.services.accounts import count_attempt
from storefront.services.mail import mail_link, send_template

SUBJECT = _l("Confirm your e-mail address for your merchant application")
HOUR = 3600
# Many people may share one address (an office, a carrier's NAT): a looser limit there.
PER_ADDRESS_FACTOR = 10


def send_confirmation(applicant: Applicant) -> None:
    """Queue the confirmation link to the applicant's address (sent after the caller's commit)."""
    token = _serializer().dumps([applicant.id, applicant.email, applicant.session_version])
    send_template(
        applicant.email,
        None,
        "applicant_confirm",
        SUBJECT,
        hours=current_app.config["APPLICANT_CONFIRM_HOURS"],
        link=mail_link("join.confirm_email", token=token),
    )


def resend_confirmation(applicant: Applicant) -> None:
    """Mail a new link unless the address is confirmed; Refused(THROTTLED) over the limit."""
    limit = current_app.config["APPLICANT_CONFIRM_PER_HOUR"]
    over = count_attempt(f"confirm:{applicant.id}", HOUR) > limit
    if has_request_context():
        address = f"confirm-ip:{request.remote_addr}"
        over |= count_attempt(address, HOUR) > limit * PER_ADDRESS_FACTOR
    if over:
        db.session.commit()  # the attempt is counted all the same
        raise Refused(ErrorCode.THROTTLED, f"confirmation mail of applicant {applicant.id}")
    if applicant.email_confirmed_at is None:
        send_confirmation(applicant)
    db.session.commit()


def confirm_email(token: str, applicant: Applicant) -> None:
    """Mark the signed-in applicant's address confirmed by its link (once).

    Raises Refused(CONFIRM_LINK_INVALID) for a forged, expired, used or voided link, or one
    mailed to another applicant.
    """
    hours = current_app.config["APPLICANT_CONFIRM_HOURS"]
    try:
        account_id, email, version = _serializer().loads(token, max_age=hours * 3600)
    except (BadSignature, TypeError, ValueError):
        raise Refused(ErrorCode.CONFIRM_LINK_INVALID) from None
    locked = db.session.scalar(
        select(Applicant)
        .where(Applicant.id == applicant.id)
        .with_for_update()  # two openings of one link: the second sees the first's mark
        .execution_options(populate_existing=True)
    )
    matches = (account_id, email, version) == (locked.id, locked.email, locked.session_version)
    if not matches or locked.email_confirmed_at is not None:
        db.session.rollback()
        raise Refused(ErrorCode.CONFIRM_LINK_INVALID, f"applicant {applicant.id}")
    locked.email_confirmed_at = utcnow()
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kuajing-applicant-email")
