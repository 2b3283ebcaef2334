"""Stock: taken atomically when an order is placed, given back when its goods come back.

The decrement is one conditional UPDATE (`stock >= quantity`), so concurrent placements can
never take more than there is, whatever the loaded objects say (SPEC §4).
"""

from sqlalchemy import update

from storefront.extensions import db
from storefront.models import Order, Product


class OutOfStock(Exception):
    """The product no longer has the quantity asked for."""

    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id} is out of stock")
        self.product_id = product_id


def take(product_id: int, quantity: int) -> None:
    """Take `quantity` from the product's stock, or raise OutOfStock (nothing taken)."""
    taken = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session="fetch")
    )
    if taken.rowcount != 1:
        raise OutOfStock(product_id)


def give_back(order: Order) -> None:
    """Return every line's quantity to stock (the goods never left, or came back)."""
    for line in order.lines:
        db.session.execute(
            update(Product)
            .where(Product.id == line.product_id)
            .values(stock=Product.stock + line.quantity)
            .execution_options(synchronize_session="fetch")
        )
