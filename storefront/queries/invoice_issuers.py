"""Look-ups of the store's invoice issuer for its pages and the operator's review page."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import InvoiceIssuerProduct, InvoiceSettings, Product, ProductInvoicing
from storefront.models.uploads import StoredFile
from storefront.tenancy import require_tenant_id, system_context


def own_certificate(settings: InvoiceSettings | None) -> StoredFile | None:
    """Return the certificate of the store in context's issuer (never another tenant's file:
    stored files are not under the tenant filter, so the tenant is named here)."""
    if settings is None or settings.certificate_file_id is None:
        return None
    return db.session.scalar(
        select(StoredFile).where(
            StoredFile.id == settings.certificate_file_id,
            StoredFile.tenant_id == require_tenant_id(),
        )
    )


def listed_products(settings: InvoiceSettings) -> list[tuple[Product, str]]:
    """Return any store's issuer's products by SKU, each with the tax classification code it
    is invoiced under (its own, or the issuer's default): what the operator approves."""
    with system_context():  # the operator reviews every store's issuer
        rows = db.session.execute(
            select(Product, ProductInvoicing.tax_code)
            .join(InvoiceIssuerProduct, InvoiceIssuerProduct.product_id == Product.id)
            .outerjoin(ProductInvoicing, ProductInvoicing.product_id == Product.id)
            .where(InvoiceIssuerProduct.tenant_id == settings.tenant_id)
            .order_by(Product.sku)
        ).all()
    return [(product, own or settings.tax_code) for product, own in rows]
