"""The shopper's "forgot password" pages, and the demo's outbox of sent e-mail."""

import re

from flask import abort, g, render_template

from storefront.queries.mail import demo_outbox, demo_outbox_offered
from storefront.shop import bp, site
from storefront.shop.password_pages import forgot_password_page, reset_password_page

LINK = re.compile(r"https?://\S+")


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return forgot_password_page("shopper", g.tenant.id, "shop.login", "shop/form_page.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return reset_password_page(token, "shop.login", "shop/form_page.html")


@site.context_processor
def _demo_outbox() -> dict:
    return {"demo_outbox_offered": demo_outbox_offered}


@site.route("/outbox")
def outbox():
    """The sandbox mailer's messages, so the demo's people can open their links (never in
    production, never with SMTP: see demo_outbox_offered)."""
    if not demo_outbox_offered():
        abort(404)
    messages = [(message, LINK.findall(message.text)) for message in demo_outbox()]
    return render_template("shop/outbox.html", messages=messages)
