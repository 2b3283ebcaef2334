"""The new store's opening checklist (issue 13): each item links to where it is done, and the
owner opens the store to shoppers once every item is done."""

from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin.console import bp
from admin.console.messages import console_message
from storefront.domain.errors import Refused
from storefront.queries import opening
from storefront.services import store_opening as opening_service

LABELS = {
    "payment": _l("Payment settings"),
    "customs": _l("Customs settings (transport and signature)"),
    "warehouse": _l("Bonded warehouse settings"),
    "invoice": _l("E-invoice settings"),
    "enterprise_filing": _l("Enterprise customs filing approved by the platform"),
    "product": _l("At least one product"),
    "product_filing": _l("A product filing approved by the platform"),
    "invoice_issuer": _l("Invoice issuer approved by the platform"),
}
LINKS = {
    "payment": ("console.integration", {"port": "payment"}),
    "customs": ("console.integrations", {}),
    "warehouse": ("console.integration", {"port": "warehouse"}),
    "invoice": ("console.integration", {"port": "invoice"}),
    "enterprise_filing": ("console.customs_filing", {}),
    "product": ("console.edit_product", {}),
    "product_filing": ("console.products", {}),
    "invoice_issuer": ("console.invoice_settings", {}),
}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    done: bool
    link: str
    default_offered: bool


def checklist_rows() -> list[Row]:
    """Return the checklist of the signed-in staff's store, worded, with a link per item."""
    rows = []
    for item in opening.checklist():
        endpoint, values = LINKS[item.key]
        link = url_for(endpoint, **values)
        rows.append(Row(item.key, str(LABELS[item.key]), item.done, link, item.default_offered))
    return rows


@bp.context_processor
def _opening_checklist() -> dict:
    return {"opening_checklist": checklist_rows}  # read only by the pages that show it


@bp.route("/opening")
def store_opening():
    return render_template("admin/opening.html")


@bp.route("/opening/open", methods=["POST"])
def opening_open():
    try:
        opened = opening_service.open_store(_who())
    except Refused as refused:
        flash(console_message(refused), "error")
        return redirect(url_for("console.store_opening"))
    flash(_("The store is open to shoppers.") if opened else _("The store was already open."))
    return redirect(url_for("console.dashboard"))


@bp.route("/opening/default/<item>", methods=["POST"])
def opening_default(item: str):
    try:
        opening_service.choose_platform_default(item, _who())
    except Refused as refused:
        flash(console_message(refused), "error")
    else:
        flash(_("The platform's service is chosen."), "success")
    return redirect(url_for("console.store_opening"))


def _who() -> str:
    return f"{current_user.name} <{current_user.email}>"
