"""Console forms."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from storefront.domain.shipping import CARRIERS
from storefront.input_hardening import RATE_LIMIT, BoundedDecimalField, BoundedIntegerField


class SupplierForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    freight = BoundedDecimalField(
        _l("Freight per order (¥)"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    free_shipping_from = BoundedDecimalField(
        _l("Free shipping from (¥, empty: never)"),
        places=2,
        validators=[Optional(), NumberRange(min=0)],
    )


def _rate_field(label):
    return BoundedDecimalField(
        label,
        places=4,
        limit=RATE_LIMIT,
        validators=[
            InputRequired(),
            NumberRange(
                min=0, max=Decimal("99.9999"), message=_l("A rate is at least 0 and below 100.")
            ),
        ],
    )


class TaxTemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    tariff_rate = _rate_field(_l("Tariff rate (%)"))
    consumption_rate = _rate_field(_l("Consumption tax rate (%)"))
    vat_rate = _rate_field(_l("VAT rate (%)"))
    postal_rate = _rate_field(_l("Postal articles tax rate (%)"))


TAX_TAGS = [
    ("cross_border_retail", _l("Cross-border retail")),
    ("domestic_dropship", _l("Domestic drop-ship")),
    ("overseas_consolidation", _l("Overseas consolidation")),
    ("direct_mail", _l("Overseas direct mail")),
]


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class ProductForm(FlaskForm):
    sku = StringField(_l("SKU"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    price = BoundedDecimalField(
        _l("Price (¥)"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    stock = BoundedIntegerField(_l("Stock"), validators=[InputRequired(), NumberRange(min=0)])
    supplier_id = SelectField(_l("Supplier"), coerce=int)
    active = BooleanField(_l("On sale"), default=True)
    is_tax_product = BooleanField(_l("Tax product (cross-border)"))
    tax_template_id = SelectField(_l("Tax template"), coerce=int)
    tax_tag = SelectField(_l("Tax tag"), choices=lambda: choices(TAX_TAGS))
    commission_rate = BoundedDecimalField(
        _l("Commission rate (%, empty: the store's)"),
        limit=RATE_LIMIT,
        places=2,
        validators=[Optional(), NumberRange(min=0, max=100)],
    )

    def validate_tax_template_id(self, field) -> None:
        if self.is_tax_product.data and not field.data:
            raise ValidationError(_l("A tax product needs a tax template."))


class StoreSettingsForm(FlaskForm):
    name = StringField(_l("Store name"), validators=[DataRequired(), Length(max=120)])
    default_locale = SelectField(
        _l("Store language"), choices=lambda: choices([("zh_CN", "中文"), ("en", "English")])
    )
    limit_policy_code = SelectField(_l("Limit policy"))
    commission_rate = BoundedDecimalField(
        _l("Commission rate for promoters (%)"),
        limit=RATE_LIMIT,
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )


class ShipForm(FlaskForm):
    carrier = SelectField(
        _l("Carrier"), choices=lambda: choices(CARRIERS.items()), validators=[DataRequired()]
    )
    tracking_number = StringField(
        _l("Tracking number"), validators=[DataRequired(), Length(min=8, max=40)]
    )


class RefundForm(FlaskForm):
    amount = BoundedDecimalField(
        _l("Amount (¥)"), places=2, validators=[InputRequired(), NumberRange(min=Decimal("0.01"))]
    )
    # one key per refund request: a double submit or a retry refunds once
    request_key = HiddenField(validators=[InputRequired(), Length(min=16, max=64)])
    confirmed = BooleanField()


class WebhookEndpointForm(FlaskForm):
    url = StringField(
        _l("Endpoint URL (https://)"),
        validators=[DataRequired(), Length(max=500)],  # the address is checked by the service
    )


class ConfirmForm(FlaskForm):
    """An irreversible action: the page states what happens, this form only confirms it."""
