"""The merchant's application (seed 000 step 1): a public sign-up, then the applicant's own
application pages. Only applicant sessions are accepted here (storefront.security)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console.messages import console_message, console_messages
from admin.join_forms import DOCUMENT_LABELS, ApplicationForm, SignUpForm
from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewState
from storefront.models import Applicant
from storefront.queries import applications as queries
from storefront.services import applicant_email, applications
from storefront.services.accounts import authenticate_applicant
from storefront.services.uploads import upload_response
from storefront.shop.password_pages import forgot_password_page, reset_password_page
from storefront.shop.sign_in import sign_in_page, sign_out_page
from storefront.web import MAX_NEXT_LENGTH

bp = Blueprint("join", __name__, url_prefix="/join", template_folder="templates")
PUBLIC_ENDPOINTS = {
    "join.sign_up",
    "join.login",
    "join.forgot_password",
    "join.reset_password",
}
# the states in which the applicant may still change the application
EDITABLE = {ReviewState.DRAFT, ReviewState.NEEDS_CHANGES, ReviewState.REJECTED}


@bp.before_request
def _require_applicant():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not isinstance(current_user._get_current_object(), Applicant):
        target = request.full_path
        back = {"next": target} if len(target) <= MAX_NEXT_LENGTH else {}
        return redirect(url_for("join.login", **back))
    return None


@bp.route("/", methods=["GET", "POST"])
def sign_up():
    form = SignUpForm()
    if form.validate_on_submit():
        applications.sign_up(form.email.data, form.password.data)
        # the same words whether or not the address had an account (services.applications)
        flash(
            _(
                "We sent a link to your e-mail address. Sign in to fill in your application; "
                "open the link to confirm the address before you submit."
            ),
            "success",
        )
        return redirect(url_for("join.login"))
    return render_template("join/sign_up.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    return sign_in_page(
        authenticate_applicant, "join.application", "join/login.html", title=_("Apply for a store")
    )


@bp.route("/logout", methods=["POST"])
def logout():
    return sign_out_page("join.login")


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return forgot_password_page("applicant", None, "join.login", "admin/public_form.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return reset_password_page(token, "join.login", "admin/public_form.html")


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    """Confirm the signed-in applicant's address by the link mailed to it."""
    try:
        applicant_email.confirm_email(token, current_user._get_current_object())
    except Refused as refused:
        flash(console_message(refused), "error")
    else:
        flash(_("Your e-mail address is confirmed: you can submit your application."), "success")
    return redirect(url_for("join.application"))


@bp.route("/confirm", methods=["POST"])
def resend_confirmation():
    try:
        applicant_email.resend_confirmation(current_user._get_current_object())
    except Refused:
        flash(_("Too many links asked for: try again in an hour."), "error")
    else:
        flash(_("A new link is on its way to your e-mail address."), "success")
    return redirect(url_for("join.application"))


@bp.route("/application", methods=["GET", "POST"])
def application():
    applicant = current_user._get_current_object()
    found = queries.application_of(applicant.id)
    form = ApplicationForm(obj=found)
    if form.validate_on_submit():
        submitting = bool(form.submit.data)
        try:
            applications.save(applicant, form.values(), form.uploads(), submit=submitting)
        except applications.ApplicationRefused as refused:
            _show_errors(form, refused.errors)
        except Refused as refused:
            form.form_errors.append(_refusal_message(refused))
        else:
            done = _("Application submitted for review.") if submitting else _("Draft saved.")
            flash(done, "success")
            return redirect(url_for("join.application"))
    state = found.review_state if found is not None else ReviewState.DRAFT
    return render_template(
        "join/application.html",
        form=form,
        application=found,
        editable=state in EDITABLE,
        documents=queries.documents_of(found),
        labels=DOCUMENT_LABELS,
        history=queries.history_of(found),
        confirmed=applicant.email_confirmed_at is not None,
    )


@bp.route("/application/files/<int:stored_file_id>")
def application_file(stored_file_id: int):
    """Serve one of the applicant's own documents; any other id is a 404."""
    stored = queries.applicant_file(current_user.id, stored_file_id)
    if stored is None:
        abort(404)
    return upload_response(stored)


def _refusal_message(refused: Refused) -> str:
    if refused.code == ErrorCode.EMAIL_NOT_CONFIRMED:
        return _("Confirm your e-mail address first: open the link we mailed you.")
    return console_message(refused)


def _show_errors(form: ApplicationForm, errors: dict) -> None:
    words = console_messages()
    for name, codes in errors.items():
        for code in codes:
            if code == ErrorCode.APPLICATION_INCOMPLETE:
                message = _("Required to submit the application.")
            else:
                message = words.get(code, _("This value cannot be used."))
            form[name].errors = [*form[name].errors, message]
    form.form_errors.append(_("The application was not saved: correct the fields marked below."))
