"""Lookups of the signed-in shopper's own rows."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Address, BuyerIdentity, Shopper


def chosen_identity(user, identity_id: int | None) -> BuyerIdentity | None:
    """Return the shopper's chosen identity, else their first one, else None."""
    if not isinstance(user._get_current_object(), Shopper):
        return None
    return shopper_identity(user.id, identity_id)


def shopper_identity(shopper_id: int, identity_id: int | None) -> BuyerIdentity | None:
    """Return the shopper's identity `identity_id`, else their first one, else None."""
    statement = select(BuyerIdentity).where(BuyerIdentity.shopper_id == shopper_id)
    if identity_id:
        statement = statement.where(BuyerIdentity.id == identity_id)
    return db.session.scalars(statement.order_by(BuyerIdentity.id)).first()


def addresses_statement(shopper_id: int):
    """The shopper's addresses (for a paged list)."""
    return select(Address).where(Address.shopper_id == shopper_id)


def identities_statement(shopper_id: int):
    """The shopper's buyer identities (for a paged list)."""
    return select(BuyerIdentity).where(BuyerIdentity.shopper_id == shopper_id)


def shopper_address(shopper_id: int, address_id: int) -> Address | None:
    """Return the shopper's address `address_id`, or None."""
    return db.session.scalar(addresses_statement(shopper_id).where(Address.id == address_id))
