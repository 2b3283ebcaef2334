"""Shopper forms; every validation failure becomes a message beside its field."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Regexp,
    ValidationError,
)

from storefront.domain.identity import validate_prc_id
from storefront.domain.passwords import MIN_LENGTH, PasswordProblem, password_problems
from storefront.input_hardening import record_id

MAINLAND_MOBILE = Regexp(r"^1[3-9]\d{9}$", message=_l("Enter an 11-digit mainland mobile number."))


def strong_password(form, field) -> None:
    """Refuse the passwords attackers try first (the domain's list), whatever their length."""
    if PasswordProblem.TOO_COMMON in password_problems(field.data or ""):
        raise ValidationError(_l("This password is too common. Choose a harder one to guess."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label, validators=[DataRequired(), Length(min=MIN_LENGTH, max=200), strong_password]
    )


def repeat_password_field() -> PasswordField:
    return PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
    )


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = new_password_field(_l("Password"))
    confirm = repeat_password_field()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()


class AddressForm(FlaskForm):
    consignee = StringField(_l("Consignee"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), MAINLAND_MOBILE])
    province = StringField(_l("Province"), validators=[DataRequired(), Length(max=30)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=30)])
    district = StringField(_l("District"), validators=[Length(max=30)])
    detail = StringField(_l("Street address"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(
        _l("Postcode"),
        validators=[Regexp(r"^(\d{6})?$", message=_l("A postcode has 6 digits."))],
    )


class IdentityForm(FlaskForm):
    real_name = StringField(_l("Real name"), validators=[DataRequired(), Length(max=60)])
    id_number = StringField(_l("Resident ID number"), validators=[DataRequired(), Length(max=40)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), MAINLAND_MOBILE])

    def validate_id_number(self, field) -> None:
        try:
            field.data = validate_prc_id(field.data.strip())
        except ValueError as error:
            raise ValidationError(_l("This is not a valid resident ID number.")) from error


class CheckoutForm(FlaskForm):
    # the placement finds the address and identity among the shopper's own, or answers 404
    # (services.checkout): a submit does not read their lists only to check the choice
    address_id = SelectField(_l("Deliver to"), coerce=record_id, validate_choice=False)
    identity_id = SelectField(_l("Buyer identity"), coerce=record_id, validate_choice=False)
    token = HiddenField()
    expected_total = HiddenField()


class PaymentForm(FlaskForm):
    method = RadioField(
        _l("Pay with"),
        choices=lambda: [
            SelectChoice("card", _l("Bank card")),
            SelectChoice("wechat_pay", _l("WeChat Pay")),
            SelectChoice("alipay", _l("Alipay")),
        ],
        default="card",
    )


class ReviewForm(FlaskForm):
    line_id = HiddenField()
    rating = RadioField(
        _l("Rating"),
        coerce=int,
        choices=lambda: [SelectChoice(n, "★" * n) for n in range(5, 0, -1)],
        validators=[DataRequired()],
    )
    body = TextAreaField(_l("Your review"), validators=[Length(max=2000)])
