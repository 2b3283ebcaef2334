"""Console forms for staff management: invitations, accepting one, roles."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from storefront.shop.forms import new_password_field, repeat_password_field


def _role_field() -> SelectField:
    return SelectField(
        _l("Role"), choices=[SelectChoice("staff", _l("Staff")), SelectChoice("owner", _l("Owner"))]
    )


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = _role_field()
    locale = SelectField(
        _l("Language of the e-mail"),
        choices=[SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")],
    )


class AcceptInviteForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)])
    password = new_password_field(_l("Password"))
    confirm = repeat_password_field()


class RoleForm(FlaskForm):
    role = _role_field()
