"""The cart quote as JSON, and the wording of its refusals (limits, mixing, SPEC §3).

Shared by the shop's cart page (`/cart/quote.json`) and the JSON API's quote, so both answer
with exactly the same body; it lives outside both web packages so neither imports the other.
"""

from flask_babel import gettext as _

from storefront.domain.limits import OrderQuote, to_json_dict
from storefront.services.cart import CartSnapshot


def cart_json(snapshot: CartSnapshot) -> dict:
    """Serialise the snapshot; money as strings with two decimals."""
    orders = []
    for group in snapshot.groups:
        body = quote_json(group.quote)
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


def quote_json(quote: OrderQuote) -> dict:
    """Serialise one order's quote, its refusals worded for the shopper."""
    body = to_json_dict(quote)
    for item, violation in zip(body["violations"], quote.violations, strict=True):
        item["message"] = violation_message(violation)
    return body


def _line_json(line) -> dict:
    return {
        "product_id": line.product.id,
        "name": line.product.name,
        "price": f"{line.product.price:.2f}",
        "quantity": line.quantity,
        "amount": f"{line.amount:.2f}",
    }


def violation_message(violation) -> str:
    """Name the rule, the limit and the amount that broke it (SPEC §3)."""
    values = {"limit": f"{violation.limit:.2f}", "amount": f"{violation.amount:.2f}"}
    code = str(violation.code)
    if code == "order_limit":
        return _(
            "Order limit: goods and freight of one order may not exceed ¥%(limit)s; "
            "this order comes to ¥%(amount)s.",
            **values,
        )
    if code == "direct_mail_limit":
        return _(
            "Direct-mail limit: direct-mail goods and freight may not exceed ¥%(limit)s; "
            "with this order they come to ¥%(amount)s.",
            **values,
        )
    return _(
        "Annual limit: one person may buy at most ¥%(limit)s of cross-border goods a "
        "year; with this order the total would be ¥%(amount)s.",
        **values,
    )


def mix_message(problem) -> str:
    if str(problem.code) == "tax_and_non_tax":
        return _(
            "Cross-border (taxed) products and ordinary products cannot be bought in one "
            "order. Remove these lines or buy them separately:"
        )
    return _(
        "Products of different tax classes cannot be bought in one order. Remove these "
        "lines or buy them separately:"
    )
