"""The merchant's staff: invitations by e-mail link, roles, deactivation.

An invitation's link carries a random token; only its SHA-256 hash is stored, so the table
alone opens nothing. A link works once, until it expires (STAFF_INVITE_HOURS) or the owner
revokes it. The store always keeps an active owner: the last one can be neither deactivated
nor demoted (the owners' rows are locked while that is checked, so two owners removing each
other at once cannot both succeed).
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import StaffInvite, StaffUser
from storefront.models.accounts import StaffRole
from storefront.models.types import utcnow
from storefront.queries import row_or_none
from storefront.services.errors import NotFound
from storefront.services.mail import mail_link, send_template
from storefront.tenancy import system_context, tenant_context

INVITE_SUBJECT = _l("You are invited to a merchant console")


def token_hash(token: str) -> str:
    """Return the stored form of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invite_staff(data: dict, inviter: StaffUser) -> StaffInvite:
    """Invite someone by e-mail (name, email, role, locale); a pending invite is replaced."""
    email = data["email"].strip().lower()
    _refuse_taken(email)
    for earlier in db.session.scalars(
        select(StaffInvite).where(StaffInvite.email == email, StaffInvite.accepted_at.is_(None))
    ):
        earlier.revoked_at = earlier.revoked_at or utcnow()
    invite = StaffInvite(
        email=email,
        name=data["name"].strip(),
        role=StaffRole(data["role"]),
        locale=data.get("locale") or "zh_CN",
        invited_by_id=inviter.id,
        token_hash="",
        expires_at=utcnow(),
    )
    db.session.add(invite)
    _send_link(invite, inviter)
    db.session.commit()
    return invite


def resend_invite(invite_id: int, inviter: StaffUser) -> None:
    """Send a pending invitation again with a new link (the old link stops working)."""
    invite = _pending(invite_id)
    _send_link(invite, inviter)
    db.session.commit()


def revoke_invite(invite_id: int) -> None:
    """Withdraw a pending invitation; its link then says so."""
    _pending(invite_id).revoked_at = utcnow()
    db.session.commit()


def find_invite(token: str) -> StaffInvite | None:
    """Return the invitation of a link's token (any store: the link names none), or None."""
    with system_context():
        return db.session.scalar(
            select(StaffInvite).where(StaffInvite.token_hash == token_hash(token))
        )


def invite_problem(invite: StaffInvite | None) -> ErrorCode | None:
    """Why this link cannot be used now, or None when it can."""
    if invite is None:
        return ErrorCode.INVITE_INVALID
    if invite.accepted_at is not None:
        return ErrorCode.INVITE_USED
    if invite.revoked_at is not None:
        return ErrorCode.INVITE_REVOKED
    if invite.expires_at <= utcnow():
        return ErrorCode.INVITE_EXPIRED
    return None


def accept_invite(token: str, name: str, password: str) -> StaffUser:
    """Turn a usable invitation into an active staff account of its store (once)."""
    found = find_invite(token)
    if found is None:
        raise Refused(ErrorCode.INVITE_INVALID)
    with tenant_context(found.tenant_id):
        invite = db.session.scalar(
            select(StaffInvite)
            .where(StaffInvite.id == found.id)
            .with_for_update()
            .execution_options(populate_existing=True)  # revoked or resent since found
        )
        problem = invite_problem(invite)
        if problem is not None:
            db.session.rollback()
            raise Refused(problem)
        _refuse_taken(invite.email)
        user = StaffUser(email=invite.email, name=name.strip(), role=invite.role)
        user.set_password(password)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # the address became a login elsewhere meanwhile
            db.session.rollback()
            raise Refused(ErrorCode.DUPLICATE_EMAIL) from None
        invite.accepted_at, invite.staff_user_id = utcnow(), user.id
        db.session.commit()
    return user


def deactivate(staff_id: int) -> None:
    """Deactivate a staff account and end its sessions (never the last active owner)."""
    user = _member(staff_id)
    if user.is_owner:
        _keep_an_owner(user)
    user.active = False
    user.end_sessions()
    db.session.commit()


def reactivate(staff_id: int) -> None:
    """Let a deactivated staff member sign in again."""
    _member(staff_id).active = True
    db.session.commit()


def change_role(staff_id: int, role: str) -> None:
    """Make a staff member owner or staff (the last active owner stays owner)."""
    user, role = _member(staff_id), StaffRole(role)
    if user.is_owner and role != StaffRole.OWNER:
        _keep_an_owner(user)
    user.role = role
    db.session.commit()


def _send_link(invite: StaffInvite, inviter: StaffUser) -> None:
    token = secrets.token_urlsafe(32)
    hours = current_app.config["STAFF_INVITE_HOURS"]
    invite.token_hash, invite.expires_at = token_hash(token), utcnow() + timedelta(hours=hours)
    invite.created_at = utcnow()
    db.session.flush()
    send_template(
        invite.email,
        invite.locale,
        "invite",
        INVITE_SUBJECT,
        name=invite.name,
        inviter=inviter.name,
        store=inviter.tenant.name,
        expires=invite.expires_at,
        link=mail_link("console.accept_invite", token=token),
    )


def _pending(invite_id: int) -> StaffInvite:
    invite = row_or_none(StaffInvite, invite_id)
    if invite is None or not invite.pending:
        raise NotFound("StaffInvite")
    return invite


def _member(staff_id: int) -> StaffUser:
    user = row_or_none(StaffUser, staff_id)
    if user is None:
        raise NotFound("StaffUser")
    return user


def _refuse_taken(email: str) -> None:
    with system_context():  # the e-mail is the login: unique across every store
        taken = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
    if taken:
        raise Refused(ErrorCode.DUPLICATE_EMAIL)


def _keep_an_owner(leaving: StaffUser) -> None:
    owners = select(StaffUser.id).where(StaffUser.role == StaffRole.OWNER, StaffUser.active)
    others = [i for i in db.session.scalars(owners.with_for_update()) if i != leaving.id]
    if leaving.active and not others:
        raise Refused(ErrorCode.LAST_OWNER)
