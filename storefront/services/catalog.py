"""Catalogue changes made in the merchant console."""

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import Product, Supplier, TaxTemplate
from storefront.queries import row_or_none, taken
from storefront.services.errors import NotFound


def save_supplier(supplier: Supplier | None, data: dict) -> Supplier:
    """Create or update a supplier; names are unique within the store."""
    name = data["name"].strip()
    if taken(Supplier.name, name, supplier):
        raise Refused(ErrorCode.DUPLICATE_SUPPLIER, name)
    supplier = supplier or Supplier()
    supplier.name = name
    supplier.freight = data["freight"]
    supplier.free_shipping_from = data["free_shipping_from"]
    db.session.add(supplier)
    db.session.commit()
    return supplier


def save_product(product: Product | None, data: dict) -> Product:
    """Create or update a product; a tax product carries one template and one tag."""
    sku = data["sku"].strip()
    if taken(Product.sku, sku, product):
        raise Refused(ErrorCode.DUPLICATE_SKU, sku)
    if row_or_none(Supplier, data["supplier_id"]) is None:
        raise NotFound("supplier")
    product = product or Product()
    product.sku, product.name = sku, data["name"].strip()
    product.description = data["description"] or ""
    product.price, product.stock = data["price"], data["stock"]
    product.supplier_id, product.active = data["supplier_id"], data["active"]
    taxed = data["is_tax_product"]
    if taxed and row_or_none(TaxTemplate, data["tax_template_id"]) is None:
        raise NotFound("tax template")
    product.tax_template_id = data["tax_template_id"] if taxed else None
    product.tax_tag = data["tax_tag"] if taxed else None
    product.commission_rate = data.get("commission_rate")
    db.session.add(product)
    db.session.commit()
    return product
