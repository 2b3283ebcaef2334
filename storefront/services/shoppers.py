"""Shopper accounts, addresses and buyer identities of the current store."""

from sqlalchemy import select

from storefront.crypto import identity_hash
from storefront.domain.identity import validate_prc_id
from storefront.extensions import db
from storefront.jobs import enqueue
from storefront.jobs.notifications import welcome_shopper
from storefront.models import Address, BuyerIdentity, Shopper
from storefront.services.errors import NotFound

ADDRESS_FIELDS = ("consignee", "phone", "province", "city", "district", "detail", "postcode")
IDENTITY_FIELDS = ("real_name", "id_number", "phone")


class EmailTaken(Exception):
    """The store already has a shopper with this e-mail."""


class DuplicateIdentity(Exception):
    """The shopper already keeps this ID number."""


def register_shopper(name: str, email: str, password: str) -> Shopper:
    """Create a shopper in the current store."""
    email = email.strip().lower()
    if db.session.scalar(select(Shopper.id).where(Shopper.email == email)):
        raise EmailTaken(email)
    shopper = Shopper(name=name.strip(), email=email)
    shopper.set_password(password)
    db.session.add(shopper)
    db.session.commit()
    enqueue(welcome_shopper, shopper.tenant_id, shopper.id, queue="notifications")
    return shopper


def add_address(shopper: Shopper, data: dict) -> Address:
    """Save a delivery address for the shopper."""
    address = Address(shopper_id=shopper.id, **{key: data[key].strip() for key in ADDRESS_FIELDS})
    db.session.add(address)
    db.session.commit()
    return address


def add_identity(shopper: Shopper, data: dict) -> BuyerIdentity:
    """Save a buyer identity; raise InvalidIdNumber unless the number passes GB 11643."""
    values = {key: data[key].strip() for key in IDENTITY_FIELDS}
    values["id_number"] = validate_prc_id(values["id_number"])  # whoever called, normalised
    exists = select(BuyerIdentity.id).where(
        BuyerIdentity.shopper_id == shopper.id,
        BuyerIdentity.id_number_hash == identity_hash(values["id_number"]),
    )
    if db.session.scalar(exists):
        raise DuplicateIdentity()
    identity = BuyerIdentity(shopper_id=shopper.id, **values)
    db.session.add(identity)
    db.session.commit()
    return identity


def delete_address(shopper: Shopper, address_id: int) -> None:
    """Remove one of the shopper's addresses; any other id is not found."""
    db.session.delete(_owned(Address, shopper, address_id))
    db.session.commit()


def delete_identity(shopper: Shopper, identity_id: int) -> None:
    """Remove one of the shopper's identities; any other id is not found."""
    db.session.delete(_owned(BuyerIdentity, shopper, identity_id))
    db.session.commit()


def _owned(model, shopper: Shopper, row_id: int):
    row = db.session.scalar(select(model).where(model.id == row_id, model.shopper_id == shopper.id))
    if row is None:
        raise NotFound()
    return row
