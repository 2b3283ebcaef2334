"""One store's items in the operator's review (SPEC §9): what its page in the platform console
lists, each kind read through the tenant filter of that store."""

from collections.abc import Callable, Mapping

from sqlalchemy import Select, select

from storefront.domain.reviews import ReviewState
from storefront.extensions import db
from storefront.services import reviews
from storefront.tenancy import TenantScoped, tenant_context

# Waiting for the operator, or sent back to the merchant and not yet resubmitted.
IN_REVIEW = (ReviewState.SUBMITTED, ReviewState.NEEDS_CHANGES)


def items_in_review(
    tenant_id: int, prepares: Mapping[str, Callable[[Select], Select]]
) -> list[tuple[str, object]]:
    """Return (kind, item) of the store's items submitted or sent back for changes, oldest
    submission first per kind; `prepares` gives each shown kind its joins and eager loads."""
    found = []
    with tenant_context(tenant_id):
        for kind, registered in reviews.kinds().items():
            model = registered.model
            if kind not in prepares or not issubclass(model, TenantScoped):
                continue  # an application belongs to no store until approved
            statement = prepares[kind](select(model)).where(
                model.review_state.in_([str(state) for state in IN_REVIEW])
            )
            rows = db.session.scalars(statement.order_by(model.submitted_at, model.id))
            found.extend((kind, row) for row in rows)
    return found
