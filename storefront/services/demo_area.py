"""Demo goods in the bonded warehouse: inbound notes of last month for the demo store's bonded
products, so that its supervised-area report (seed 001 §12) has something to show."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Product
from storefront.queries.area_reports import previous_month
from storefront.services.bonded_stock import Inbound, register_inbound

# (inbound note, SKU, quantity, value, day of last month)
INBOUND_NOTES = (
    ("RK-DEMO-001", "CB-100", 200, "14000.00", 3),
    ("RK-DEMO-001", "CB-1980", 20, "26000.00", 3),
    ("RK-DEMO-002", "DD-800", 60, "30000.00", 17),
    ("RK-DEMO-003", "CB-100", 100, "7000.00", 24),
)


def add_inbound_notes(now: datetime) -> int:
    """Register the demo's inbound notes, dated last month; return how many were registered."""
    month = previous_month(now)
    for number, sku, quantity, value, day in INBOUND_NOTES:
        product_id = db.session.scalar(select(Product.id).where(Product.sku == sku))
        inbound = Inbound(product_id, quantity, month.replace(day=day), number, Decimal(value))
        register_inbound(inbound, "demo", now)
    return len(INBOUND_NOTES)
