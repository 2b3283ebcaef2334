"""The cart lives in the signed session cookie: {product id: quantity} per store."""

from flask import g, session

MAX_LINES = 50


def cart_items() -> dict[int, int]:
    """Return this store's cart as {product id: quantity}."""
    stored = session.get("carts", {}).get(str(g.tenant.id), {})
    return {int(pid): int(qty) for pid, qty in stored.items() if str(pid).isdigit()}


def save_cart(items: dict[int, int]) -> None:
    carts = dict(session.get("carts", {}))
    carts[str(g.tenant.id)] = {str(pid): qty for pid, qty in items.items() if qty > 0}
    session["carts"] = carts


def set_quantity(product_id: int, quantity: int) -> None:
    items = cart_items()
    if quantity <= 0:
        items.pop(product_id, None)
    elif product_id in items or len(items) < MAX_LINES:
        items[product_id] = quantity
    save_cart(items)


def clear_cart() -> None:
    save_cart({})
