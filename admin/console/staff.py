"""The merchant's staff: invitations by e-mail, roles, deactivation; accepting an invitation
and the password reset pages (public: no one is signed in yet)."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_message
from admin.staff_forms import AcceptInviteForm, InviteForm, RoleForm
from storefront.domain.errors import Refused
from storefront.models import StaffUser
from storefront.queries import row_or_none
from storefront.queries.accounts import pending_invites, tenant_staff
from storefront.services import staff
from storefront.shop.password_pages import forgot_password_page, reset_password_page
from storefront.shop.sign_in import start_session


@bp.route("/staff")
def staff_list():
    return render_template(
        "admin/staff.html", staff=tenant_staff(), invites=pending_invites(), role_form=RoleForm()
    )


@bp.route("/staff/invite", methods=["GET", "POST"])
def invite_staff():
    form = InviteForm(locale=g.tenant.default_locale)
    if form.validate_on_submit():
        try:
            staff.invite_staff(form.data, current_user)
        except Refused as refused:
            form.email.errors.append(console_message(refused))
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("console.staff_list"))
    return render_template("admin/form_page.html", form=form, title=_("Invite staff"))


@bp.route("/staff/invites/<int:invite_id>/resend", methods=["POST"])
def staff_invite_resend(invite_id: int):
    staff.resend_invite(invite_id, current_user)
    flash(_("Invitation sent again with a new link."), "success")
    return redirect(url_for("console.staff_list"))


@bp.route("/staff/invites/<int:invite_id>/revoke", methods=["POST"])
def staff_invite_revoke(invite_id: int):
    staff.revoke_invite(invite_id)
    flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("console.staff_list"))


@bp.route("/staff/<int:staff_id>/deactivate", methods=["POST"])
def staff_member_deactivate(staff_id: int):
    done = _("Account deactivated: its sessions have ended.")
    return _staff_change(lambda: staff.deactivate(staff_id), done)


@bp.route("/staff/<int:staff_id>/reactivate", methods=["POST"])
def staff_member_reactivate(staff_id: int):
    return _staff_change(lambda: staff.reactivate(staff_id), _("Account reactivated."))


@bp.route("/staff/<int:staff_id>/role", methods=["POST"])
def staff_member_role(staff_id: int):
    if row_or_none(StaffUser, staff_id) is None:  # another store's id: 404 before the form
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return redirect(url_for("console.staff_list"))
    return _staff_change(lambda: staff.change_role(staff_id, form.role.data), _("Role changed."))


def _staff_change(change, done: str):
    try:
        change()
    except Refused as refused:
        flash(console_message(refused), "error")
    else:
        flash(done, "success")
    return redirect(url_for("console.staff_list"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    problem = staff.invite_problem(staff.find_invite(token))
    if problem is not None:
        message = console_message(Refused(problem))
        return render_template("admin/public_form.html", title=_("Invitation"), lead=message)
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = staff.accept_invite(token, form.name.data, form.password.data)
        except Refused as refused:
            form.form_errors.append(console_message(refused))
        else:
            start_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("console.dashboard"))
    return render_template(
        "admin/public_form.html", form=form, title=_("Join the merchant console")
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return forgot_password_page("staff", None, "console.login", "admin/public_form.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return reset_password_page(token, "console.login", "admin/public_form.html")
