"""Reviews for the product page (average, count, list) and for an order's lines."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, select

from storefront.domain.ratings import average_rating, reviewer_name
from storefront.extensions import db
from storefront.models import Order, Review, Shopper


@dataclass(frozen=True)
class ShownReview:
    rating: int
    body: str
    reviewer: str
    created_at: datetime


@dataclass(frozen=True)
class ProductReviews:
    average: Decimal | None
    count: int
    reviews: list[ShownReview]


def product_reviews(product_id: int) -> ProductReviews:
    """Return the product's reviews, newest first, with their average and count."""
    rows = db.session.execute(_product_reviews_statement(), {"product_id": product_id}).all()
    shown = [
        ShownReview(review.rating, review.body, reviewer_name(name), review.created_at)
        for review, name in rows
    ]
    return ProductReviews(average_rating([r.rating for r in shown]), len(shown), shown)


@cache
def _product_reviews_statement():
    """Built once per process: every product page runs it."""
    return (
        select(Review, Shopper.name)
        .join(Shopper, Shopper.id == Review.shopper_id)
        .where(Review.product_id == bindparam("product_id"))
        .order_by(Review.created_at.desc(), Review.id.desc())
    )


def order_reviews(order: Order) -> dict[int, Review]:
    """Return the reviews already written for the order's lines, by line id."""
    line_ids = [line.id for line in order.lines]
    reviews = db.session.scalars(select(Review).where(Review.order_line_id.in_(line_ids)))
    return {review.order_line_id: review for review in reviews}
