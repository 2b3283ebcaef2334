"""Filing lookups: the merchant's own filings, and the platform operator's review queues
(the queues cross stores, always inside system_context)."""

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from storefront.domain.customs.filings import FilingStatus
from storefront.extensions import db
from storefront.models import CustomsFiling, Product, ProductFiling, Tenant
from storefront.tenancy import system_context

MISSING = "missing"  # a tax product with no filing at all


def store_filing() -> CustomsFiling | None:
    """Return the current store's enterprise filing, if it made one."""
    return db.session.scalar(select(CustomsFiling))


def tax_product_or_404(product_id: int) -> Product:
    """Return the store's tax product (only tax products are filed), or 404."""
    return db.first_or_404(
        select(Product).where(Product.id == product_id, Product.tax_tag.is_not(None))
    )


def product_filing(product_id: int) -> ProductFiling | None:
    """Return the store's filing of one product, if any."""
    return db.session.scalar(select(ProductFiling).where(ProductFiling.product_id == product_id))


def filing_statuses(product_ids) -> dict[int, str]:
    """Map each of the store's products that has a filing to its status (one query)."""
    rows = db.session.execute(
        select(ProductFiling.product_id, ProductFiling.status).where(
            ProductFiling.product_id.in_(list(product_ids))
        )
    )
    return dict(rows.all())


def product_filing_counts() -> dict[str, int]:
    """Count the store's tax products by filing status (MISSING: not filed yet)."""
    rows = db.session.execute(
        select(ProductFiling.status, func.count())
        .select_from(Product)
        .outerjoin(ProductFiling, ProductFiling.product_id == Product.id)
        .where(Product.tax_tag.is_not(None))
        .group_by(ProductFiling.status)
    )
    return {status or MISSING: count for status, count in rows}


@dataclass(frozen=True)
class QueueFilters:
    kind: str = "product"  # "product" or "enterprise"
    status: str | None = FilingStatus.PENDING  # None: every status
    search: str = ""  # product name or HS code; store, enterprise name or code


def review_queue(filters: QueueFilters, page: int, per_page: int):
    """Return one page of every store's filings of one kind, pending first (oldest first)."""
    model = ProductFiling if filters.kind == "product" else CustomsFiling
    statement = select(model).join(Tenant, Tenant.id == model.tenant_id)
    if filters.status:
        statement = statement.where(model.status == filters.status)
    if filters.kind == "product":
        statement = statement.join(Product, Product.id == ProductFiling.product_id).options(
            selectinload(ProductFiling.product)
        )
    if filters.search:
        statement = statement.where(_matches(filters.kind, filters.search))
    pending_first = case((model.status == FilingStatus.PENDING, 0), else_=1)
    statement = statement.order_by(pending_first, model.submitted_at, model.id)
    with system_context():
        return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _matches(kind: str, search: str):
    pattern = f"%{search}%"
    if kind == "product":
        return or_(Product.name.ilike(pattern), ProductFiling.hs_code.startswith(search))
    return or_(
        Tenant.name.ilike(pattern),
        CustomsFiling.enterprise_name.ilike(pattern),
        CustomsFiling.enterprise_code.ilike(pattern),
    )


def pending_counts() -> dict[str, int]:
    """Count the filings waiting for review, per kind."""
    with system_context():
        return {
            kind: db.session.scalar(
                select(func.count()).select_from(model).where(model.status == FilingStatus.PENDING)
            )
            for kind, model in (("enterprise", CustomsFiling), ("product", ProductFiling))
        }


def tenant_names(filings) -> dict[int, str]:
    """Map the stores of these filings to their names."""
    ids = {filing.tenant_id for filing in filings}
    return dict(db.session.execute(select(Tenant.id, Tenant.name).where(Tenant.id.in_(ids))).all())


def filing_for_review_or_404(kind: str, filing_id: int):
    """Return any store's filing of this kind with its store, or 404."""
    model = ProductFiling if kind == "product" else CustomsFiling
    statement = select(model).where(model.id == filing_id)
    if model is ProductFiling:
        statement = statement.options(selectinload(ProductFiling.product))
    with system_context():
        filing = db.first_or_404(statement)
    return filing, db.session.scalar(select(Tenant).where(Tenant.id == filing.tenant_id))
