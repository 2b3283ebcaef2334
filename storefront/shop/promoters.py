"""Referral links: remember ?ref= for the checkout; promoters see their own commission."""

from decimal import Decimal

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from storefront.queries.commission import promoter_of, promoter_records
from storefront.services.commission import become_promoter
from storefront.shop import bp


@bp.before_request
def remember_referral() -> None:
    code = request.args.get("ref", "").strip()
    if code.isalnum() and len(code) <= 16:
        session["ref"] = {**session.get("ref", {}), str(g.tenant.id): code}


def referral_code() -> str | None:
    return session.get("ref", {}).get(str(g.tenant.id))


@bp.route("/account/commission", methods=["GET", "POST"])
@login_required
def commission():
    if request.method == "POST":
        become_promoter(current_user)
        flash(_("You are a promoter now: share your link."), "success")
        return redirect(url_for("shop.commission"))
    promoter = promoter_of(current_user.id)
    records = promoter_records(promoter) if promoter else []
    link = url_for("shop.home", ref=promoter.code, _external=True) if promoter else None
    return render_template(
        "shop/commission.html",
        promoter=promoter,
        records=records,
        link=link,
        total=sum((r.amount for r in records), Decimal("0.00")),
    )
