"""Who hears domain events: subscribers registered at app set-up and through entry points.

A plugin adds one with an entry point in the `kuajing.subscribers` group that names a
`Subscriber`. Subscribers run after commit, in the event's tenant context (storefront.services
.outbox), once each per event.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points

from flask import Flask, current_app

from storefront.domain.events import DomainEvent, EventName

ENTRY_POINT_GROUP = "kuajing.subscribers"
EXTENSION = "subscribers"


@dataclass(frozen=True)
class Subscriber:
    name: str  # stable: the outbox remembers which subscribers already ran by this name
    events: frozenset[EventName]
    handler: Callable[[DomainEvent], None]


def init_app(app: Flask, built_ins: Iterable[Subscriber]) -> None:
    """Register the built-in subscribers and those plugins declare as entry points."""
    found = [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]
    app.extensions[EXTENSION] = [*built_ins, *found]


def subscribe(app: Flask, subscriber: Subscriber) -> None:
    """Add a subscriber at app set-up (names are unique)."""
    if any(known.name == subscriber.name for known in app.extensions[EXTENSION]):
        raise ValueError(f"a subscriber named {subscriber.name!r} exists")
    app.extensions[EXTENSION].append(subscriber)


def subscribers_for(name: EventName) -> list[Subscriber]:
    """Return the subscribers of event `name`, in registration order."""
    return [known for known in current_app.extensions[EXTENSION] if name in known.events]
