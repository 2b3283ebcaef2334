"""The merchant's staff accounts; only owners add staff."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_message
from admin.forms import StaffForm
from storefront.domain.errors import Refused
from storefront.queries.accounts import tenant_staff
from storefront.services import staff


@bp.route("/staff")
def staff_list():
    return render_template("admin/staff.html", staff=tenant_staff())


@bp.route("/staff/new", methods=["GET", "POST"])
def new_staff():
    if not current_user.is_owner:
        abort(403)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            staff.add_staff(form.data)
        except Refused as refused:
            form.email.errors.append(console_message(refused))
        else:
            flash(_("Staff account created."), "success")
            return redirect(url_for("console.staff_list"))
    return render_template("admin/form_page.html", form=form, title=_("New staff account"))
