"""The shopper's delivery addresses and buyer identities.

Bodies are checked by the shop's own forms (storefront/shop/forms.py: the mainland mobile
number, the lengths, GB 11643 for the ID number after NFKC normalisation), so the API and the
pages accept exactly the same values; the services are the pages' too. An ID number is never
answered in full: only masked (first 3 and last 4 characters).
"""

from flask_babel import gettext as _
from pydantic import BaseModel, Field
from werkzeug.datastructures import MultiDict

from storefront.api import bp
from storefront.api.auth import SHOPPER_ONLY, current_shopper
from storefront.api.errors import ApiCode, ApiError, not_found
from storefront.api.operation import operation
from storefront.api.pagination import PageQuery, paginate
from storefront.api.schemas import Request
from storefront.models import Address as AddressRow
from storefront.models import BuyerIdentity
from storefront.queries.shoppers import (
    addresses_statement,
    identities_statement,
    shopper_address,
)
from storefront.services import shoppers
from storefront.shop.forms import AddressForm, IdentityForm

TEXT_CAP = 400  # the forms say the real limits; this only bounds what is read at all
PHONE = "An 11-digit mainland mobile number"


class AddressFields(Request):
    consignee: str = Field(max_length=TEXT_CAP, description="Up to 60 characters")
    phone: str = Field(max_length=TEXT_CAP, description=PHONE, examples=["13800138000"])
    province: str = Field(max_length=TEXT_CAP, description="Up to 30 characters")
    city: str = Field(max_length=TEXT_CAP, description="Up to 30 characters")
    district: str = Field("", max_length=TEXT_CAP, description="Up to 30 characters")
    detail: str = Field(max_length=TEXT_CAP, description="Street address, up to 200 characters")
    postcode: str = Field("", max_length=TEXT_CAP, description="6 digits, or empty")


class AddressChange(Request):
    """Only the fields to change; the address as changed is checked whole."""

    consignee: str | None = Field(None, max_length=TEXT_CAP)
    phone: str | None = Field(None, max_length=TEXT_CAP, description=PHONE)
    province: str | None = Field(None, max_length=TEXT_CAP)
    city: str | None = Field(None, max_length=TEXT_CAP)
    district: str | None = Field(None, max_length=TEXT_CAP)
    detail: str | None = Field(None, max_length=TEXT_CAP)
    postcode: str | None = Field(None, max_length=TEXT_CAP)


class Address(BaseModel):
    id: int
    consignee: str
    phone: str
    province: str
    city: str
    district: str
    detail: str
    postcode: str
    one_line: str = Field(description="Province, city, district and street as one line")


class AddressPage(BaseModel):
    items: list[Address]
    next_cursor: str | None


class IdentityFields(Request):
    real_name: str = Field(max_length=TEXT_CAP, description="As on the ID card, up to 60")
    id_number: str = Field(
        max_length=TEXT_CAP,
        description="Resident ID number (GB 11643); full-width digits and spaces are normalised",
    )
    phone: str = Field(max_length=TEXT_CAP, description=PHONE)


class Identity(BaseModel):
    id: int
    real_name: str
    id_number_masked: str = Field(
        description="First 3 and last 4 characters; the full number is never answered",
        examples=["110***********123X"],
    )
    phone: str


class IdentityPage(BaseModel):
    items: list[Identity]
    next_cursor: str | None


@bp.route("/stores/<store_slug>/addresses", methods=["GET"])
@operation(access=SHOPPER_ONLY, query=PageQuery, responses={200: AddressPage}, tags=("account",))
def addresses(query: PageQuery):
    """The shopper's delivery addresses, newest first."""
    page = paginate(addresses_statement(current_shopper().id), AddressRow.id, query)
    return AddressPage(items=[_address(row) for row in page.items], next_cursor=page.next_cursor)


@bp.route("/stores/<store_slug>/addresses", methods=["POST"])
@operation(
    access=SHOPPER_ONLY,
    body=AddressFields,
    responses={201: Address},
    tags=("account",),
    idempotent=True,
)
def add_address(json: AddressFields):
    """Save a delivery address (checked as the shop's address form checks it)."""
    data = _checked(AddressForm, json.model_dump())
    return _address(shoppers.add_address(current_shopper(), data)), 201


@bp.route("/stores/<store_slug>/addresses/<int:address_id>", methods=["PATCH"])
@operation(access=SHOPPER_ONLY, body=AddressChange, responses={200: Address}, tags=("account",))
def change_address(address_id: int, json: AddressChange):
    """Change some fields of an address; the result is checked whole."""
    shopper = current_shopper()
    row = shopper_address(shopper.id, address_id)
    if row is None:
        raise not_found()
    current = {key: getattr(row, key) for key in shoppers.ADDRESS_FIELDS}
    changes = json.model_dump(exclude_none=True)
    data = _checked(AddressForm, current | changes)
    return _address(shoppers.update_address(shopper, row.id, data))


@bp.route("/stores/<store_slug>/addresses/<int:address_id>", methods=["DELETE"])
@operation(access=SHOPPER_ONLY, responses={204: None}, tags=("account",))
def delete_address(address_id: int):
    """Remove an address (placed orders keep their own copy)."""
    shoppers.delete_address(current_shopper(), address_id)
    return "", 204


@bp.route("/stores/<store_slug>/identities", methods=["GET"])
@operation(access=SHOPPER_ONLY, query=PageQuery, responses={200: IdentityPage}, tags=("account",))
def identities(query: PageQuery):
    """The shopper's buyer identities, ID numbers masked, newest first."""
    page = paginate(identities_statement(current_shopper().id), BuyerIdentity.id, query)
    return IdentityPage(items=[_identity(row) for row in page.items], next_cursor=page.next_cursor)


@bp.route("/stores/<store_slug>/identities", methods=["POST"])
@operation(
    access=SHOPPER_ONLY,
    body=IdentityFields,
    responses={201: Identity},
    tags=("account",),
    idempotent=True,
)
def add_identity(json: IdentityFields):
    """Save a buyer identity for cross-border orders (customs needs the real name and ID)."""
    data = _checked(IdentityForm, json.model_dump())
    try:
        row = shoppers.add_identity(current_shopper(), data)
    except shoppers.DuplicateIdentity:
        raise _invalid({"id_number": _("This ID number is already saved.")}) from None
    return _identity(row), 201


@bp.route("/stores/<store_slug>/identities/<int:identity_id>", methods=["DELETE"])
@operation(access=SHOPPER_ONLY, responses={204: None}, tags=("account",))
def delete_identity(identity_id: int):
    """Remove a buyer identity (placed orders keep their own copy)."""
    shoppers.delete_identity(current_shopper(), identity_id)
    return "", 204


def _checked(form_class, values: dict) -> dict:
    """Run the shop's form over the values; answer 422 with its messages per field."""
    form = form_class(formdata=MultiDict(values), meta={"csrf": False})
    if not form.validate():
        raise _invalid({name: str(messages[0]) for name, messages in form.errors.items()})
    return form.data


def _invalid(fields: dict[str, str]) -> ApiError:
    return ApiError(422, ApiCode.INVALID_REQUEST, _("Some fields are not valid."), fields=fields)


def _address(row: AddressRow) -> Address:
    values = {key: getattr(row, key) or "" for key in shoppers.ADDRESS_FIELDS}
    return Address(id=row.id, one_line=row.one_line(), **values)


def _identity(row: BuyerIdentity) -> Identity:
    return Identity(
        id=row.id, real_name=row.real_name, id_number_masked=row.masked_id, phone=row.phone
    )
