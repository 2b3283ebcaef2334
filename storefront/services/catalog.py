"""Catalogue changes made in the merchant console."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Supplier
from storefront.services.errors import Conflict


def save_supplier(supplier: Supplier | None, data: dict) -> Supplier:
    """Create or update a supplier; names are unique within the store."""
    name = data["name"].strip()
    clash = select(Supplier.id).where(Supplier.name == name)
    if supplier is not None:
        clash = clash.where(Supplier.id != supplier.id)
    if db.session.scalar(clash):
        raise Conflict(name)
    supplier = supplier or Supplier()
    supplier.name = name
    supplier.freight = data["freight"]
    supplier.free_shipping_from = data["free_shipping_from"]
    db.session.add(supplier)
    db.session.commit()
    return supplier
