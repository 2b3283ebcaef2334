"""Lookups of the signed-in shopper's own rows."""

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import with_expression

from storefront.extensions import db
from storefront.models import Address, BuyerIdentity, Notification, Shopper


def signed_in_shopper(shopper_id: int) -> Shopper | None:
    """Return the shopper of a session with their unread notifications' count, which every
    shopper page shows beside the account link: one statement, not two per page."""
    return db.session.scalar(_signed_in_statement(), {"shopper_id": shopper_id})


@cache
def _signed_in_statement():
    """Built once per process: a statement kept is one the tenant filter inspects once."""
    # the tenant filter adds its criteria to the statement's entities, not to a subquery in
    # its columns: the shopper's own tenant stands for it here (row-level security holds too)
    unread = (
        select(func.count())
        .where(
            Notification.tenant_id == Shopper.tenant_id,
            Notification.shopper_id == Shopper.id,
            Notification.read_at.is_(None),
        )
        .correlate(Shopper)
        .scalar_subquery()
    )
    return (
        select(Shopper)
        .where(Shopper.id == bindparam("shopper_id"))
        .options(with_expression(Shopper.unread_notifications, unread))
    )


def addresses_statement(shopper_id: int):
    """The shopper's addresses (for a paged list)."""
    return select(Address).where(Address.shopper_id == shopper_id)


def identities_statement(shopper_id: int):
    """The shopper's buyer identities (for a paged list)."""
    return select(BuyerIdentity).where(BuyerIdentity.shopper_id == shopper_id)


def shopper_address(shopper_id: int, address_id: int) -> Address | None:
    """Return the shopper's address `address_id`, or None."""
    return db.session.scalar(addresses_statement(shopper_id).where(Address.id == address_id))
