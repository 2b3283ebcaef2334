"""What may be bought together (SPEC §3, seed 002 §1 注): never tax with non-tax products,
never two tax classes (template + tag) in one order; a cart becomes one order per supplier."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class MixCode(StrEnum):
    TAX_AND_NON_TAX = "tax_and_non_tax"
    DIFFERENT_TAX_CLASSES = "different_tax_classes"


@dataclass(frozen=True)
class CartItem:
    key: str
    tax_class: Hashable | None  # (template id, tag) for a tax product, None otherwise


@dataclass(frozen=True)
class MixProblem:
    code: MixCode
    remove_keys: tuple[str, ...]  # the lines to remove so the rest can be bought


def split_orders(lines: Iterable[T], order_key: Callable[[T], Hashable]) -> list[list[T]]:
    """Group cart lines into future orders, one per `order_key(line)` (supplier and tax
    class, SPEC §3), in the order the lines were added."""
    orders: dict[Hashable, list[T]] = {}
    for line in lines:
        orders.setdefault(order_key(line), []).append(line)
    return list(orders.values())


def check_mix(items: Sequence[CartItem]) -> tuple[MixProblem, ...]:
    """Return every mixing problem, each naming the lines to remove (the smaller group)."""
    problems = []
    taxed = [item for item in items if item.tax_class is not None]
    plain = [item for item in items if item.tax_class is None]
    if taxed and plain:
        position = {item.key: index for index, item in enumerate(items)}
        removed = _smaller(plain, taxed, position)
        problems.append(MixProblem(MixCode.TAX_AND_NON_TAX, tuple(i.key for i in removed)))
        if removed is taxed:
            return tuple(problems)
    classes: dict[Hashable, list[CartItem]] = {}
    for item in taxed:
        classes.setdefault(item.tax_class, []).append(item)
    if len(classes) > 1:
        keep = max(classes.values(), key=len)  # the first of the largest groups stays
        removed = [item for item in taxed if item not in keep]
        problems.append(MixProblem(MixCode.DIFFERENT_TAX_CLASSES, tuple(i.key for i in removed)))
    return tuple(problems)


def _smaller(first: list[CartItem], second: list[CartItem], position: dict) -> list[CartItem]:
    """Return the group to remove: the smaller one; on a tie, the one added later."""
    if len(first) != len(second):
        return first if len(first) < len(second) else second
    started = {id(group): min(position[item.key] for item in group) for group in (first, second)}
    return first if started[id(first)] > started[id(second)] else second
