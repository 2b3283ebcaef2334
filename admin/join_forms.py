"""The applicant's forms: the account, and the application with its four documents."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from storefront.services.applications import FIELDS, ApplicationValues
from storefront.shop.forms import new_password_field, repeat_password_field

DOCUMENT_LABELS = {
    "business_licence": _l("Business licence"),
    "legal_person_id": _l("Legal person's ID card"),
    "tax_registration": _l("Tax registration certificate"),
    "agreement": _l("Signed cooperation agreement"),
}


class SignUpForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = new_password_field(_l("Password"))
    confirm = repeat_password_field()


class ApplicationForm(FlaskForm):
    """Every field may be blank in a draft; the service says what a submission lacks."""

    company_name = StringField(_l("Company name"), validators=[Length(max=200)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[Length(max=40)], render_kw={"size": 18}
    )
    legal_person = StringField(_l("Legal person"), validators=[Length(max=80)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=80)])
    contact_phone = StringField(
        _l("Contact phone"), validators=[Length(max=20)], render_kw={"type": "tel"}
    )
    contact_email = EmailField(
        _l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    store_name = StringField(_l("Store name"), validators=[Length(max=120)])
    store_slug = StringField(_l("Store address"), validators=[Length(max=40)])
    business_licence = FileField(DOCUMENT_LABELS["business_licence"])
    legal_person_id = FileField(DOCUMENT_LABELS["legal_person_id"])
    tax_registration = FileField(DOCUMENT_LABELS["tax_registration"])
    agreement = FileField(DOCUMENT_LABELS["agreement"])
    save = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))

    def values(self) -> ApplicationValues:
        """Return the typed values."""
        return ApplicationValues(**{name: self[name].data or "" for name in FIELDS})

    def uploads(self) -> dict:
        """Return the documents chosen this time: purpose -> (stream, file name)."""
        chosen = {}
        for purpose in DOCUMENT_LABELS:
            upload = self[purpose].data
            if upload is not None and getattr(upload, "filename", ""):
                chosen[purpose] = (upload.stream, upload.filename)
        return chosen
