"""The cart quote as JSON: one object per future order in the `flask tax quote` shape."""

from storefront.domain.limits import to_json_dict
from storefront.services.cart import CartSnapshot
from storefront.shop.messages import mix_message, violation_message


def cart_json(snapshot: CartSnapshot) -> dict:
    """Serialise the snapshot; money as strings with two decimals."""
    orders = []
    for group in snapshot.groups:
        body = to_json_dict(group.quote)
        for item, violation in zip(body["violations"], group.quote.violations, strict=True):
            item["message"] = violation_message(violation)
        body["supplier"] = group.supplier.name
        body["lines"] = [_line_json(line) for line in group.lines]
        orders.append(body)
    remaining = snapshot.annual_remaining
    return {
        "orders": orders,
        "problems": [
            {"code": str(p.code), "message": mix_message(p), "remove": list(p.remove_keys)}
            for p in snapshot.problems
        ],
        "unavailable": snapshot.unavailable,
        "unfiled": snapshot.unfiled,
        "total": f"{snapshot.total:.2f}",
        "annual_remaining": None if remaining is None else f"{remaining:.2f}",
        "can_check_out": snapshot.can_check_out,
    }


def _line_json(line) -> dict:
    return {
        "product_id": line.product.id,
        "name": line.product.name,
        "price": f"{line.product.price:.2f}",
        "quantity": line.quantity,
        "amount": f"{line.amount:.2f}",
    }
