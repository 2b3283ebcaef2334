"""Forms of customs filings: the store's enterprise filing, a product's filing, the review."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from admin.forms import choices
from storefront.domain.customs.filings import (
    COUNTRIES,
    CUSTOMS_CODE,
    ENTERPRISE_CODE,
    HS_CODE,
    POSTAL_TAX_NUMBER,
    TRANSPORT_MODES,
    UNITS,
)
from storefront.input_hardening import BoundedDecimalField

# Measures are N19,5 (NOTES §3.2); a kilogram figure this large is a typing error anyway.
MEASURE_LIMIT = Decimal("1000000")
REQUIRED = _l("This field is required.")
TRADE_MODE_LABELS = [
    ("1210", _l("1210 Bonded stock (bonded warehouse)")),
    ("9610", _l("9610 Direct purchase (shipped from abroad)")),
]
# What each trade mode needs beyond the common fields (NOTES §3.2, tradeMode of CEB621).
MODE_FIELDS = {
    "1210": ("ems_no", "area_code", "area_name"),
    "9610": ("traf_no", "voyage_no", "bill_no"),
}


def _code(value):
    """Customs codes are upper-case: accept them typed in any case, with stray spaces."""
    return (value or "").strip().upper()


def _text(value):
    return (value or "").strip()


def _enterprise_code(label):
    return StringField(
        label,
        filters=[_code],
        validators=[
            DataRequired(),
            Regexp(ENTERPRISE_CODE, message=_l("Enter the 10-character customs code.")),
        ],
    )


def _name(label, maximum: int = 100):
    return StringField(label, filters=[_text], validators=[DataRequired(), Length(max=maximum)])


def _optional(label, maximum: int, code: bool = False):
    return StringField(
        label, filters=[_code if code else _text], validators=[Optional(), Length(max=maximum)]
    )


def _customs_code(label):
    return StringField(
        label,
        filters=[_code],
        validators=[DataRequired(), Regexp(CUSTOMS_CODE, message=_l("Enter the 4-digit code."))],
    )


class CustomsFilingForm(FlaskForm):
    """The store's enterprise filing (企业备案); names follow the customs_filings columns."""

    enterprise_code = _enterprise_code(_l("E-commerce enterprise code"))
    enterprise_name = _name(_l("E-commerce enterprise name"))
    platform_code = _enterprise_code(_l("E-commerce platform code"))
    platform_name = _name(_l("E-commerce platform name"))
    payment_code = _enterprise_code(_l("Payment enterprise code"))
    payment_name = _name(_l("Payment enterprise name"))
    logistics_code = _enterprise_code(_l("Logistics enterprise code"))
    logistics_name = _name(_l("Logistics enterprise name"))
    agent_code = _enterprise_code(_l("Declaration agent code"))
    agent_name = _name(_l("Declaration agent name"))
    customs_code = _customs_code(_l("Customs code (declaring customs)"))
    port_code = _customs_code(_l("Port code (entry customs)"))
    trade_mode = SelectField(_l("Trade mode"), choices=lambda: choices(TRADE_MODE_LABELS))
    traf_mode = SelectField(
        _l("Transport mode"),
        choices=lambda: choices((code, f"{code} {name}") for code, name in TRANSPORT_MODES.items()),
    )
    ems_no = _optional(_l("Bonded account book number (1210)"), 30, code=True)
    area_code = StringField(
        _l("Bonded area enterprise code (1210)"),
        filters=[_code],
        validators=[
            Optional(),
            Regexp(ENTERPRISE_CODE, message=_l("Enter the 10-character customs code.")),
        ],
    )
    area_name = _optional(_l("Bonded area enterprise name (1210)"), 100)
    traf_no = _optional(_l("Vessel, flight or vehicle (9610)"), 100, code=True)
    voyage_no = _optional(_l("Voyage or flight number (9610)"), 32, code=True)
    bill_no = _optional(_l("Bill of lading number (9610)"), 37, code=True)
    loct_no = _optional(_l("Supervision site code"), 10, code=True)
    dxp_id = _optional(_l("Data exchange (DXP) user id"), 30)

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then what the chosen trade mode needs (each field says so)."""
        valid = super().validate(extra_validators)
        for name in MODE_FIELDS.get(self.trade_mode.data, ()):
            field = self[name]
            if not field.data and not field.errors:
                field.errors = [*field.errors, _l("Required for this trade mode.")]
                valid = False
        return valid


def _measure(label, required: bool = True):
    return BoundedDecimalField(
        label,
        places=5,
        limit=MEASURE_LIMIT,
        validators=[
            InputRequired() if required else Optional(),
            NumberRange(min=Decimal("0.00001"), message=_l("Enter a number above 0.")),
        ],
    )


def _unit_choices(optional: bool = False):
    units = [(code, f"{code} {name}") for code, name in UNITS.items()]
    return choices([("", "—"), *units] if optional else units)


class ProductFilingForm(FlaskForm):
    """A product's filing (商品备案); names follow the product_filings columns."""

    hs_code = StringField(
        _l("HS code"),
        filters=[_text],
        validators=[DataRequired(), Regexp(HS_CODE, message=_l("Enter the 10-digit HS code."))],
    )
    record_no = StringField(
        _l("Filing number"), filters=[_code], validators=[DataRequired(), Length(max=30)]
    )
    origin_country = SelectField(
        _l("Country of origin"),
        choices=lambda: choices((code, f"{code} {name}") for code, name in COUNTRIES.items()),
    )
    unit = SelectField(_l("Declared unit"), choices=_unit_choices)
    unit1 = SelectField(_l("First legal unit"), choices=_unit_choices)
    qty1_per_unit = _measure(_l("First legal quantity per declared unit"))
    unit2 = SelectField(_l("Second legal unit"), choices=lambda: _unit_choices(optional=True))
    qty2_per_unit = _measure(_l("Second legal quantity per declared unit"), required=False)
    gross_weight = _measure(_l("Gross weight per unit (kg)"))
    net_weight = _measure(_l("Net weight per unit (kg)"))
    model = TextAreaField(
        _l("Brand, specification, ingredients"),
        filters=[_text],
        validators=[DataRequired(), Length(max=510)],
    )
    bar_code = _optional(_l("Bar code"), 50)
    postal_tax_number = StringField(
        _l("Postal tax number (direct mail)"),
        filters=[_text],
        validators=[
            Optional(),
            Regexp(POSTAL_TAX_NUMBER, message=_l("Enter the 8-digit postal tax number.")),
        ],
    )

    def __init__(self, *args, direct_mail: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.direct_mail = direct_mail  # direct-mail parcels are taxed by postal tax number

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then the rules that tie fields together."""
        valid = super().validate(extra_validators)
        if not self.unit2.data:
            self.qty2_per_unit.data = None  # a second quantity means nothing without its unit
        gross, net = self.gross_weight.data, self.net_weight.data
        if gross is not None and net is not None and net > gross:
            self.net_weight.errors = [*self.net_weight.errors, _l("Net weight exceeds gross.")]
            valid = False
        if self.unit2.data and self.qty2_per_unit.data is None and not self.qty2_per_unit.errors:
            self.qty2_per_unit.errors = [*self.qty2_per_unit.errors, REQUIRED]
            valid = False
        if self.direct_mail and not self.postal_tax_number.data:
            self.postal_tax_number.errors = [
                *self.postal_tax_number.errors,
                _l("Direct-mail products need a postal tax number."),
            ]
            valid = False
        return valid
