"""Pages of a list with their total read in the same statement (the store home's hot path).

Flask-SQLAlchemy's `paginate` reads a page, then counts in a second statement. Here each row
carries the total (`count(*) OVER ()`, computed before LIMIT); only a page past the end,
which has no row to carry it, counts apart. The page answers what the pager macro asks.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload

from storefront.extensions import db


@dataclass(frozen=True)
class Page:
    """One page of rows, its number and size, and the number of rows on every page."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page) if self.per_page else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self) -> Iterator:
        return iter(self.items)


def counted_page(statement, page: int, per_page: int) -> Page:
    """Return page `page` (from 1) of `statement`'s entities with their total."""
    window = {"page_limit": per_page, "page_offset": (max(page, 1) - 1) * per_page}
    rows = db.session.execute(_counted(statement), window).all()
    if rows:
        total = rows[0][-1]
    else:
        rows_of = statement.options(lazyload("*")).order_by(None).subquery()  # no eager joins
        counted = select(func.count()).select_from(rows_of)
        total = db.session.scalar(counted)
    return Page([row[0] for row in rows], page, per_page, total)


def _counted(statement):
    """The statement's page with the total in each row, built once per statement: the page
    window is bound at execution, so a statement kept by its caller is paged the same way on
    every request."""
    counted = _COUNTED.get(statement)
    if counted is None:
        counted = _COUNTED[statement] = (
            statement.add_columns(func.count().over())
            .limit(bindparam("page_limit"))
            .offset(bindparam("page_offset"))
        )
    return counted


_COUNTED: "WeakKeyDictionary" = WeakKeyDictionary()
