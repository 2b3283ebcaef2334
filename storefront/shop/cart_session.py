"""The cart lives in the signed session cookie: [[product id, quantity], ...] per store.

A list, not a mapping: the session serialiser sorts mapping keys, and the order in which
lines were added decides which lines a mixing refusal asks to remove.
"""

from flask import g, session

from storefront.services.cart import with_quantity


def cart_items() -> dict[int, int]:
    """Return this store's cart as {product id: quantity}, in the order lines were added."""
    stored = session.get("carts", {}).get(str(g.tenant.id), [])
    items = {}
    for entry in stored if isinstance(stored, list) else []:
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, int) for v in entry):
            items[entry[0]] = entry[1]
    return items


def save_cart(items: dict[int, int]) -> None:
    carts = dict(session.get("carts", {}))
    carts[str(g.tenant.id)] = [[pid, qty] for pid, qty in items.items() if qty > 0]
    session["carts"] = carts


def set_quantity(product_id: int, quantity: int) -> None:
    save_cart(with_quantity(cart_items(), product_id, quantity))


def clear_cart() -> None:
    save_cart({})
