"""Inbound provider callbacks: verify the signature over the raw body, record, enqueue.

`/webhooks/<plugin_id>` receives the platform account's callbacks (`/webhooks/stripe` for
Stripe); `/webhooks/<plugin_id>/<store_slug>` those of a tenant's own account, verified
with that tenant's settings. `/webhooks/invoice/<store_slug>` receives the store's e-invoice
provider's callbacks, verified with the store's provider settings.
"""

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.errors import json_error
from storefront.extensions import csrf, db
from storefront.integrations import UnknownPlugin, registry
from storefront.jobs import enqueue
from storefront.jobs.invoices import collect_invoice
from storefront.jobs.payments import apply_payment_event
from storefront.models import Tenant
from storefront.ports import InvalidCallback, InvalidSignature, Port
from storefront.services.callbacks import accept_payment_event
from storefront.services.invoice_issuing import accept_callback
from storefront.tenancy import tenant_context

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.route("/invoice/<store_slug>", methods=["POST"])
@csrf.exempt
def invoice_callback(store_slug: str):
    tenant_id = _store_id(store_slug)
    if tenant_id is None:
        return json_error(404, ErrorCode.UNKNOWN_PLUGIN, "no invoice callbacks here")
    adapter = registry.get(Port.INVOICE, tenant_id)
    header = request.headers.get(adapter.SIGNATURE_HEADER, "")
    try:
        result = adapter.parse_callback(request.get_data(cache=False), header)
    except InvalidCallback as refused:
        return json_error(400, ErrorCode.INVALID_SIGNATURE, refused.message)
    with tenant_context(tenant_id):
        invoice_id = accept_callback(result)
    if invoice_id is None:
        return jsonify({"received": True, "unknown": True})
    enqueue(collect_invoice, tenant_id, invoice_id, queue="orders")
    return jsonify({"received": True})


@bp.route("/<plugin_id>", methods=["POST"])
@bp.route("/<plugin_id>/<store_slug>", methods=["POST"])
@csrf.exempt
def payment_callback(plugin_id: str, store_slug: str | None = None):
    account = _account(plugin_id, store_slug)
    if account is None:
        return json_error(404, ErrorCode.UNKNOWN_PLUGIN, f"no callbacks for {plugin_id!r} here")
    tenant_id, adapter = account
    header = request.headers.get(adapter.SIGNATURE_HEADER, "")
    try:
        event = adapter.parse_event(request.get_data(cache=False), header)
        recorded = accept_payment_event(event, plugin_id, tenant_id)
    except (InvalidSignature, Refused) as refused:
        return json_error(400, refused.code, refused.message)
    if recorded is None:
        return jsonify({"received": True, "duplicate": True})
    row, payment_tenant_id = recorded
    if payment_tenant_id is not None:
        enqueue(apply_payment_event, payment_tenant_id, row.id, queue="payments")
    return jsonify({"received": True})


def _account(plugin_id: str, store_slug: str | None) -> tuple[int | None, object] | None:
    """Return (tenant id or None for the platform, adapter) receiving these callbacks."""
    tenant_id = None
    if store_slug is not None:
        tenant_id = _store_id(store_slug)
        if tenant_id is None:
            return None
    try:
        return tenant_id, registry.for_callback(Port.PAYMENT, plugin_id, tenant_id)
    except UnknownPlugin:
        return None


def _store_id(store_slug: str) -> int | None:
    """Return the id of the active store at this slug."""
    return db.session.scalar(select(Tenant.id).where(Tenant.slug == store_slug, Tenant.active))
