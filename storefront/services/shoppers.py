"""Shopper accounts, addresses and buyer identities of the current store."""

from sqlalchemy import select

from storefront.crypto import identity_hash
from storefront.domain.identity import validate_prc_id
from storefront.extensions import db
from storefront.jobs import enqueue
from storefront.jobs.notifications import registration_attempted, welcome_shopper
from storefront.models import Address, BuyerIdentity, Shopper
from storefront.services.errors import NotFound
from storefront.tenancy import require_tenant_id

ADDRESS_FIELDS = ("consignee", "phone", "province", "city", "district", "detail", "postcode")
IDENTITY_FIELDS = ("real_name", "id_number", "phone")


class DuplicateIdentity(Exception):
    """The shopper already keeps this ID number."""


def register_shopper(name: str, email: str, password: str) -> None:
    """Create a shopper in the current store, or tell the owner of a taken e-mail.

    The caller cannot tell the two apart (same answer, same password hashing work), so
    registration does not reveal which e-mails have an account.
    """
    email = email.strip().lower()
    shopper = Shopper(name=name.strip(), email=email)
    shopper.set_password(password)
    existing = db.session.scalar(select(Shopper.id).where(Shopper.email == email))
    if existing is not None:
        enqueue(registration_attempted, require_tenant_id(), existing, queue="notifications")
        return
    db.session.add(shopper)
    db.session.commit()
    enqueue(welcome_shopper, shopper.tenant_id, shopper.id, queue="notifications")


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


def update_address(shopper: Shopper, address_id: int, data: dict) -> Address:
    """Change one of the shopper's addresses; any other id is not found."""
    address = _owned(Address, shopper, address_id)
    for key in ADDRESS_FIELDS:
        setattr(address, key, data[key].strip())
    db.session.commit()
    return address


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
