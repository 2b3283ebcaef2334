"""How the operator's review pages show each reviewable kind, and the decision form.

Each kind registered with storefront.services.reviews registers a `QueueView` here saying how
its rows are listed, searched and described; admin.platform_reviews serves every kind alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import Length

from storefront.domain.reviews import ReviewAction
from storefront.services import reviews


@dataclass(frozen=True)
class QueueView:
    """How the operator's pages show one review kind."""

    kind: str
    search_hint: str  # the search box's placeholder: what a search finds
    headings: tuple[str, ...]  # the queue's columns of this kind
    cells: Callable[[object], tuple]  # a row's values under those headings
    name: Callable[[object], str]  # the item as the review page's title names it
    fields: Callable[[object], list[tuple[str, object]]]  # (label, value) of the review page
    prepare: Callable = lambda statement: statement  # joins and eager loads
    matches: Callable[[str], object] | None = None  # the rows a search finds
    # (label, StoredFile id or None) of the documents shown inline on the review page
    documents: Callable[[object], list[tuple[str, int | None]]] = field(default=lambda row: [])


QUEUE_VIEWS: dict[str, QueueView] = {}


def register_queue_view(view: QueueView) -> None:
    """Show a registered review kind in the operator's queues."""
    reviews.kind_of(view.kind)  # the kind itself must be registered with the service
    QUEUE_VIEWS[view.kind] = view


class ReviewDecisionForm(FlaskForm):
    """The operator's decision; reject and ask-for-changes need a reason (the service checks)."""

    reason = TextAreaField(
        _l("Reason (required to reject or ask for changes)"), validators=[Length(max=2000)]
    )
    seen_version = HiddenField()  # the version on screen: a newer submission is refused
    approve = SubmitField(_l("Approve"))
    ask_changes = SubmitField(_l("Ask for changes"))
    reject = SubmitField(_l("Reject"))

    def action(self) -> ReviewAction | None:
        """Return the decision whose button was pressed."""
        for action in (ReviewAction.APPROVE, ReviewAction.ASK_CHANGES, ReviewAction.REJECT):
            if self[action.value].data:
                return action
        return None
