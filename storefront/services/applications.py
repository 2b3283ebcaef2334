"""A merchant applies for a store and the operator's approval creates it (seed 000 step 1, §9).

The application is the review kind "application" of storefront.services.reviews: its owner
saves and submits it here, the operator decides in the generic queue, and `_on_decided`
creates the store and its owner in the decision's own transaction. The owner signs in with
the address and password chosen when applying: the person the operator approved is the one
who holds that password, and the address is its own (confirmed by a mailed link before the
application could be submitted, storefront.services.applicant_email).
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.onboarding import (
    credit_code_problems,
    normalise_credit_code,
    normalise_slug,
    slug_problems,
)
from storefront.domain.reviews import ReviewAction, ReviewState
from storefront.extensions import db
from storefront.models import Applicant, MerchantApplication, StaffUser, Tenant
from storefront.models.accounts import StaffRole
from storefront.models.applications import OPEN_STATES
from storefront.services import reviews
from storefront.services.applicant_email import send_confirmation
from storefront.services.mail import mail_link, send_template
from storefront.services.uploads import store_upload
from storefront.tenancy import system_context, tenant_context

KIND = "application"
APPROVED_SUBJECT = _l("Your store is approved")
CHANGES_SUBJECT = _l("Your application needs changes")
REJECTED_SUBJECT = _l("Your application was not approved")
EXISTS_SUBJECT = _l("Someone tried to apply with your e-mail address")


@dataclass(frozen=True)
class ApplicationValues:
    """What the applicant types (the documents are uploaded beside it)."""

    company_name: str = ""
    credit_code: str = ""
    legal_person: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    store_name: str = ""
    store_slug: str = ""


FIELDS = tuple(field.name for field in fields(ApplicationValues))


class ApplicationRefused(Refused):
    """Fields that are wrong, each with its codes; nothing of the request was kept."""

    def __init__(self, errors: dict[str, list[ErrorCode]]) -> None:
        super().__init__(next(iter(errors.values()))[0], ", ".join(errors))
        self.errors = errors


def sign_up(email: str, password: str) -> None:
    """Create an applicant account and mail it a confirmation link; for an address already in
    use, mail its owner instead.

    Both answers look the same to the caller (as the shoppers' registration), so the page
    does not tell which addresses have accounts. WeakPassword comes first, for both.
    """
    email = email.strip().lower()
    applicant = Applicant(email=email)
    applicant.set_password(password)
    if _address_in_use(email):
        send_template(email, None, "applicant_exists", EXISTS_SUBJECT, link=_join_link())
    else:
        db.session.add(applicant)
        db.session.flush()
        send_confirmation(applicant)
    try:
        db.session.commit()
    except IntegrityError:  # the same address signed up at the same moment
        db.session.rollback()


def _address_in_use(email: str) -> bool:
    with system_context():  # staff e-mails are unique platform-wide (the owner's login)
        staff = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
    taken = db.session.scalar(select(Applicant.id).where(Applicant.email == email))
    return staff is not None or taken is not None


def save(
    applicant: Applicant,
    values: ApplicationValues,
    uploads: Mapping[str, tuple[BinaryIO, str]],
    submit: bool,
) -> MerchantApplication:
    """Save the applicant's application (and send it for review when `submit`); one commit.

    `uploads` maps a document (models.applications.DOCUMENTS) to (stream, file name); a
    document not uploaded again keeps the one saved before. Every wrong field is reported at
    once (ApplicationRefused) and nothing is kept. Submitting needs a confirmed address
    (Refused(EMAIL_NOT_CONFIRMED)); a draft does not.
    """
    if submit and applicant.email_confirmed_at is None:
        raise Refused(ErrorCode.EMAIL_NOT_CONFIRMED, f"applicant {applicant.id}")
    application = _locked_application(applicant)
    _refuse_while_decided_or_queued(application)
    values = _normalised(values)
    errors = _field_errors(values, application.id)
    _store_documents(application, uploads, applicant.email, errors)  # flushes
    for name in FIELDS:  # after the flushes: a refused address never reaches the table
        setattr(application, name, getattr(values, name))
    if submit and not errors:
        errors.update(_missing(application))
    if errors:
        db.session.rollback()
        raise ApplicationRefused(errors)
    try:
        if submit:
            reviews.submit(KIND, application, applicant.email, "applicant")
        db.session.commit()
    except IntegrityError:  # another application took the address at the same moment
        db.session.rollback()
        raise ApplicationRefused({"store_slug": [ErrorCode.SLUG_TAKEN]}) from None
    return application


def _locked_application(applicant: Applicant) -> MerchantApplication:
    found = db.session.scalar(
        select(MerchantApplication)
        .where(MerchantApplication.applicant_id == applicant.id)
        .with_for_update()
        .execution_options(populate_existing=True)  # the page read it before the lock
    )
    if found is not None:
        return found
    application = MerchantApplication(applicant_id=applicant.id)
    db.session.add(application)
    return application


def _refuse_while_decided_or_queued(application: MerchantApplication) -> None:
    state = application.review_state
    if state == ReviewState.APPROVED:
        raise Refused(ErrorCode.APPLICATION_DECIDED, f"application {application.id}")
    if state == ReviewState.SUBMITTED:  # the operator decides on what was sent
        raise Refused(ErrorCode.UNDER_REVIEW, f"application {application.id}")


def _normalised(values: ApplicationValues) -> ApplicationValues:
    cleaned = {name: (getattr(values, name) or "").strip() for name in FIELDS}
    cleaned["credit_code"] = normalise_credit_code(values.credit_code)
    cleaned["store_slug"] = normalise_slug(values.store_slug)
    cleaned["contact_email"] = cleaned["contact_email"].lower()
    return ApplicationValues(**cleaned)


def _field_errors(values: ApplicationValues, application_id: int | None) -> dict:
    """The credit code and store address problems (a blank field waits for the submission)."""
    errors = {}
    if values.credit_code and (problems := credit_code_problems(values.credit_code)):
        errors["credit_code"] = problems
    if values.store_slug:
        problems = slug_problems(values.store_slug)
        if not problems and _slug_taken(values.store_slug, application_id):
            problems = [ErrorCode.SLUG_TAKEN]
        if problems:
            errors["store_slug"] = problems
    return errors


def _slug_taken(slug: str, application_id: int | None) -> bool:
    """Whether a store, or another application still in review, has this address."""
    with system_context():  # every tenant's address counts
        store = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
    other = db.session.scalar(
        select(MerchantApplication.id).where(
            MerchantApplication.store_slug == slug,
            MerchantApplication.review_state.in_(OPEN_STATES),
            MerchantApplication.id != (application_id or 0),
        )
    )
    return store is not None or other is not None


def _store_documents(application, uploads, who: str, errors: dict) -> None:
    for purpose, (stream, filename) in uploads.items():
        try:
            stored = store_upload(stream, filename, purpose, who, tenant_id=None)
        except Refused as refused:
            errors[purpose] = [refused.code]
        else:
            application.set_document(purpose, stored.id)


def _missing(application: MerchantApplication) -> dict:
    missing = {name: [ErrorCode.APPLICATION_INCOMPLETE] for name in FIELDS}
    missing = {name: codes for name, codes in missing.items() if not getattr(application, name)}
    for purpose, stored_id in application.document_ids().items():
        if stored_id is None:
            missing[purpose] = [ErrorCode.APPLICATION_INCOMPLETE]
    return missing


def _on_decided(application: MerchantApplication, decision) -> None:
    """Create the store on approval; tell the applicant of any decision (sent after commit)."""
    applicant = db.session.scalar(select(Applicant).where(Applicant.id == application.applicant_id))
    if decision.action == ReviewAction.APPROVE:
        _open_account(application, applicant)
        link = mail_link("console.login")
        send_template(applicant.email, None, "application_approved", APPROVED_SUBJECT,
                      store=application.store_name, email=applicant.email, link=link)  # fmt: skip
        return
    template, subject = (
        ("application_changes", CHANGES_SUBJECT)
        if decision.action == ReviewAction.ASK_CHANGES
        else ("application_rejected", REJECTED_SUBJECT)
    )
    send_template(applicant.email, None, template, subject, store=application.store_name,
                  reason=decision.reason, link=_join_link())  # fmt: skip


def _open_account(application: MerchantApplication, applicant: Applicant) -> None:
    """The approved store (not yet open to shoppers) and its owner, with the applicant's
    password; flush only (the decision commits). Runs in the decision's system context."""
    refusal = None
    if applicant.email_confirmed_at is None:  # submitted before confirmation was asked for
        refusal = Refused(ErrorCode.EMAIL_NOT_CONFIRMED, f"applicant {applicant.id}")
    elif db.session.scalar(select(Tenant.id).where(Tenant.slug == application.store_slug)):
        refusal = Refused(ErrorCode.SLUG_TAKEN, application.store_slug)
    elif db.session.scalar(select(StaffUser.id).where(StaffUser.email == applicant.email)):
        refusal = Refused(ErrorCode.DUPLICATE_EMAIL, "owner e-mail")
    if refusal is not None:  # made since the submission (the command line, the demo)
        db.session.rollback()  # the decision is not recorded either
        raise refusal
    tenant = Tenant(slug=application.store_slug, name=application.store_name)
    db.session.add(tenant)
    db.session.flush()
    tenant.opened_at = None  # its owner opens it from the checklist (a column default opens)
    with tenant_context(tenant.id):
        owner = StaffUser(
            tenant_id=tenant.id,
            email=applicant.email,
            name=application.contact_name[:80],
            role=StaffRole.OWNER,
            password_hash=applicant.password_hash,
        )
        db.session.add(owner)
        db.session.flush()
    application.tenant_id = tenant.id


def _join_link() -> str:
    return mail_link("join.application")


reviews.register_kind(
    KIND, MerchantApplication, title=_l("Merchant applications"), on_decided=_on_decided
)
