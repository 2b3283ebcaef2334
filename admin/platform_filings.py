"""The platform operator's review of every store's customs filings (seed 000 step 2)."""

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin.console.messages import console_message
from admin.filing_forms import ReviewForm
from admin.platform import bp
from storefront.domain.customs.filings import COUNTRIES, TRANSPORT_MODES, UNITS, FilingStatus
from storefront.domain.errors import Refused
from storefront.input_hardening import page_number
from storefront.queries import customs_filings as filing_queries
from storefront.services.customs_filings import review_filing

KINDS = ("product", "enterprise")
NEVER = datetime.fromtimestamp(0, UTC)  # an unreadable stamp matches no submission


@bp.route("/filings")
def filings():
    filters = _filters()
    page = request.args.get("page", 1, type=page_number)
    listing = filing_queries.review_queue(filters, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "platform/filings.html",
        filings=listing,
        filters=filters,
        stores=filing_queries.tenant_names(listing.items),
        pending=filing_queries.pending_counts(),
    )


@bp.route("/filings/enterprise/<int:customs_filing_id>", methods=["GET", "POST"])
def enterprise_filing(customs_filing_id: int):
    return _review("enterprise", customs_filing_id)


@bp.route("/filings/product/<int:product_filing_id>", methods=["GET", "POST"])
def product_filing(product_filing_id: int):
    return _review("product", product_filing_id)


def _review(kind: str, filing_id: int):
    filing, store = filing_queries.filing_for_review_or_404(kind, filing_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review_filing(
                kind, filing.id, bool(form.approve.data), form.note.data or "", _who(), _seen(form)
            )
        except Refused as refused:
            form.note.errors.append(console_message(refused))
        else:
            flash(_("Filing approved.") if form.approve.data else _("Filing rejected."), "success")
            return redirect(url_for("platform.filings", kind=kind))
    form.submitted_at.data = filing.submitted_at.isoformat()
    return render_template(
        "platform/filing_review.html",
        form=form,
        filing=filing,
        store=store,
        kind=kind,
        countries=COUNTRIES,
        units=UNITS,
        transport_modes=TRANSPORT_MODES,
    )


def _filters() -> filing_queries.QueueFilters:
    args = request.args
    status = args.get("status", FilingStatus.PENDING)
    return filing_queries.QueueFilters(
        kind=args.get("kind") if args.get("kind") in KINDS else "product",
        status=status if status in set(FilingStatus) else None,  # "all"
        search=args.get("q", "").strip(),
    )


def _seen(form: ReviewForm) -> datetime:
    try:
        return datetime.fromisoformat(form.submitted_at.data or "")
    except ValueError:
        return NEVER


def _who() -> str:
    return f"operator:{current_user.id} {current_user.name}"
