"""The platform operator's review queues and review pages, one set for every reviewable kind
(seed 000 steps 1-2, SPEC §9); each kind says how it is shown in admin.review_views."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console.messages import console_message
from admin.platform import bp
from admin.review_views import QUEUE_VIEWS, QueueView, ReviewDecisionForm
from storefront.domain.errors import Refused
from storefront.domain.reviews import ReviewState
from storefront.input_hardening import page_number
from storefront.queries import review_queues
from storefront.services import reviews
from storefront.services.uploads import upload_response


@bp.route("/reviews")
def reviews_home():
    return redirect(url_for("platform.review_queue", kind=next(iter(QUEUE_VIEWS))))


@bp.route("/reviews/<kind>")
def review_queue(kind: str):
    view = _view(kind)
    filters = _filters()
    page = request.args.get("page", 1, type=page_number)
    listing = review_queues.review_queue(
        reviews.kind_of(kind).model,
        filters,
        page,
        current_app.config["PAGE_SIZE"],
        view.prepare,
        view.matches,
    )
    return render_template(
        "platform/review_queue.html",
        view=view,
        kinds=reviews.kinds(),
        views=QUEUE_VIEWS,
        items=listing,
        filters=filters,
        stores=review_queues.store_names(listing.items),
        pending=reviews.pending_counts(),
        states=list(ReviewState),
    )


@bp.route("/reviews/<kind>/<int:subject_id>", methods=["GET", "POST"])
def review_item(kind: str, subject_id: int):
    view, item = _item(kind, subject_id)
    form = ReviewDecisionForm()
    if form.validate_on_submit() and form.action() is not None:
        try:
            reason = form.reason.data or ""
            reviews.decide(kind, item.id, form.action(), reason, current_user.email, _seen(form))
        except Refused as refused:
            form.reason.errors.append(console_message(refused))
        else:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("platform.review_queue", kind=kind))
    form.seen_version.data = str(item.review_version)
    documents = view.documents(item)
    return render_template(
        "platform/review_item.html",
        view=view,
        kind=kind,
        title=reviews.kind_of(kind).title,
        item=item,
        form=form,
        store=review_queues.store_names([item]).get(getattr(item, "tenant_id", None)),
        documents=documents,
        files=review_queues.stored_files(file_id for _label, file_id in documents),
        history=review_queues.history_for_review(kind, item.id),
    )


@bp.route("/reviews/<kind>/<int:subject_id>/files/<int:stored_file_id>")
def review_document(kind: str, subject_id: int, stored_file_id: int):
    """Serve one of the item's own documents (only ids the item names: no other file)."""
    view, item = _item(kind, subject_id)
    if stored_file_id not in {found for _label, found in view.documents(item)}:
        abort(404)
    stored = review_queues.stored_files([stored_file_id]).get(stored_file_id) or abort(404)
    return upload_response(stored)


def _view(kind: str) -> QueueView:
    view = QUEUE_VIEWS.get(kind)
    if view is None:
        abort(404)
    return view


def _item(kind: str, subject_id: int):
    view = _view(kind)
    model = reviews.kind_of(kind).model
    return view, review_queues.item_for_review_or_404(model, subject_id, view.prepare)


def _filters() -> review_queues.QueueFilters:
    state = request.args.get("state", ReviewState.SUBMITTED)
    return review_queues.QueueFilters(
        state=state if state in set(ReviewState) else None,  # "all"
        search=request.args.get("q", "").strip()[:100],
    )


def _seen(form: ReviewDecisionForm) -> int:
    try:
        return int(form.seen_version.data or "")
    except ValueError:
        return -1  # an unreadable version matches no submission
