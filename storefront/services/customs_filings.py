"""Customs filings (备案): the store's enterprise filing, each product's filing, and which
products may not be sold cross-border for want of an approved one.

Seed 000 step 2 and seed 001 §4: a merchant files its customs codes and every tax product
before selling cross-border; the platform operator reviews each filing. Both kinds go through
the one review mechanism (storefront.services.reviews), which keeps their history.
"""

import logging
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.models import CustomsFiling, Product, ProductFiling
from storefront.queries import row_or_none
from storefront.services import reviews
from storefront.services.errors import NotFound

ENTERPRISE_KIND, PRODUCT_KIND = "enterprise_filing", "product_filing"
reviews.register_kind(ENTERPRISE_KIND, CustomsFiling, title=_l("Enterprise filings"))
reviews.register_kind(PRODUCT_KIND, ProductFiling, title=_l("Product filings"))

log = logging.getLogger(__name__)

# The columns a merchant files; the review columns are the operator's.
ENTERPRISE_FIELDS = (
    "enterprise_code",
    "enterprise_name",
    "platform_code",
    "platform_name",
    "payment_code",
    "payment_name",
    "logistics_code",
    "logistics_name",
    "agent_code",
    "agent_name",
    "customs_code",
    "port_code",
    "trade_mode",
    "traf_mode",
    "ems_no",
    "area_code",
    "area_name",
    "loct_no",
    "traf_no",
    "voyage_no",
    "bill_no",
    "dxp_id",
)
PRODUCT_FIELDS = (
    "hs_code",
    "record_no",
    "origin_country",
    "unit",
    "unit1",
    "qty1_per_unit",
    "unit2",
    "qty2_per_unit",
    "gross_weight",
    "net_weight",
    "model",
    "bar_code",
    "postal_tax_number",
)
_NULLABLE = {"qty2_per_unit"}  # the only filed column that may be NULL


def save_customs_filing(data: dict, who: str) -> bool:
    """Create or update the store's enterprise filing; return whether anything changed."""
    with _first_save_once():
        filing = db.session.scalar(_for_update(select(CustomsFiling))) or CustomsFiling()
        changed = _submit(ENTERPRISE_KIND, filing, data, ENTERPRISE_FIELDS, who)
        db.session.commit()
    return changed


def save_product_filing(product_id: int, data: dict, who: str) -> bool:
    """Create or update a tax product's filing; return whether anything changed."""
    product = row_or_none(Product, product_id)
    if product is None or not product.is_tax_product:
        raise NotFound("product")
    with _first_save_once():
        filing = db.session.scalar(
            _for_update(select(ProductFiling).where(ProductFiling.product_id == product.id))
        ) or ProductFiling(product_id=product.id)
        changed = _submit(PRODUCT_KIND, filing, data, PRODUCT_FIELDS, who)
        db.session.commit()
    return changed


@contextmanager
def _first_save_once():
    """Refuse, as "in the queue", the second of two first saves made at the same moment.

    Neither finds a filing to lock, so both insert; the unique constraint lets one through and
    the other would fail as an error page. The first has just sent the filing for review."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise Refused(ErrorCode.UNDER_REVIEW, "filed at the same moment by another save") from None


def _for_update(statement):
    # Locked and read fresh: a save that read the filing before another save sent it to the
    # queue would otherwise overwrite what the operator opened under the same version number.
    return statement.with_for_update().execution_options(populate_existing=True)


def _submit(kind: str, filing, data: dict, fields: tuple[str, ...], who: str) -> bool:
    """Copy the filed values; any change sends the filing to the operator's queue as a new
    version. A filing in the queue is not changed: the operator decides on what it opened
    (the review state table allows no submission while submitted)."""
    values = {name: data.get(name) for name in fields}
    changed = filing.id is None or any(getattr(filing, k) != v for k, v in values.items())
    if not changed:
        return False
    if filing.review_state == ReviewState.SUBMITTED:
        raise Refused(ErrorCode.UNDER_REVIEW, f"{kind} {filing.id} is in the queue")
    for name, value in values.items():
        setattr(filing, name, "" if value is None and name not in _NULLABLE else value)
    reviews.submit(kind, filing, who, "staff")
    return True


def unfiled_products(product_ids) -> list[str]:
    """Name the tax products among `product_ids` that may not be sold cross-border yet.

    A tax product sells only when the store's enterprise filing and its own product filing
    are both approved (seed 001 §4); ordinary products need no filing.
    """
    ids = list(product_ids)
    if not ids:
        return []
    rows = db.session.execute(
        with_filing_states(select(Product)).where(Product.id.in_(ids)).order_by(Product.id)
    ).all()
    return [product.name for product, *states in rows if is_unfiled(product, *states)]


def with_filing_states(statement):
    """Add to a statement of products the two filing states `is_unfiled` reads: its own and
    its store's (one statement on the cart's hot path, with the products themselves)."""
    store_state = select(CustomsFiling.review_state).limit(1).scalar_subquery()
    return statement.add_columns(ProductFiling.review_state, store_state).outerjoin(
        ProductFiling, ProductFiling.product_id == Product.id
    )


def is_unfiled(product: Product, product_state: str | None, store_state: str | None) -> bool:
    """Tell whether `product` is a tax product whose filings are not both approved yet."""
    approved = ReviewState.APPROVED
    return product.tax_tag is not None and (store_state != approved or product_state != approved)
