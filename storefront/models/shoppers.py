"""Shoppers of a store, their addresses and buyer identities (实名信息)."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship, validates

from storefront.crypto import identity_hash
from storefront.domain.identity import mask_prc_id, normalise_prc_id
from storefront.extensions import db
from storefront.models.accounts import PasswordMixin
from storefront.models.types import Encrypted, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped


class Shopper(TenantScoped, PasswordMixin, UserMixin, db.Model):
    """A customer of one store; signs in at that store only."""

    __tablename__ = "shoppers"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    addresses = relationship("Address", back_populates="shopper", order_by="Address.id")
    identities = relationship(
        "BuyerIdentity", back_populates="shopper", order_by="BuyerIdentity.id"
    )
    # How many of their notifications are unread, read with the shopper by a session's sign-in
    # to a page (queries.shoppers.signed_in_shopper); None when loaded otherwise or reloaded.
    unread_notifications: Mapped[int | None] = query_expression()
    SESSION_KIND = "shopper"


class Address(TenantScoped, db.Model):
    """A delivery address (consignee) in mainland China."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    consignee: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(30))
    city: Mapped[str] = mapped_column(String(30))
    district: Mapped[str] = mapped_column(String(30), default="")
    detail: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(6), default="")
    shopper = relationship("Shopper", back_populates="addresses")

    def one_line(self) -> str:
        return f"{self.province}{self.city}{self.district}{self.detail}"


class BuyerIdentity(TenantScoped, db.Model):
    """The real-name identity customs requires for a cross-border order (SPEC §1).

    The ID number is sensitive personal information (PIPL art. 28): stored encrypted, found
    by its keyed hash, shown masked.
    """

    __tablename__ = "buyer_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "shopper_id", "id_number_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shopper_id: Mapped[int] = mapped_column(ForeignKey("shoppers.id"), index=True)
    real_name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str] = mapped_column(Encrypted)
    id_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    shopper = relationship("Shopper", back_populates="identities")

    @validates("id_number")
    def _normalise_and_hash(self, _key: str, number: str) -> str:
        number = normalise_prc_id(number)
        self.id_number_hash = identity_hash(number)
        return number

    @property
    def masked_id(self) -> str:
        return mask_prc_id(self.id_number)
