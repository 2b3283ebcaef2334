"""Inbound provider callbacks: verify the signature over the raw body, record, enqueue."""

from flask import Blueprint, jsonify, request

from storefront.errors import json_error
from storefront.extensions import csrf
from storefront.integrations import payment_provider
from storefront.jobs import enqueue
from storefront.jobs.payments import apply_payment_event
from storefront.ports import InvalidSignature
from storefront.services.payments import record_event

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.route("/stripe", methods=["POST"])
@csrf.exempt
def stripe_webhook():
    try:
        event = payment_provider().parse_event(
            request.get_data(cache=False), request.headers.get("Stripe-Signature", "")
        )
    except InvalidSignature as refused:
        return json_error(400, refused.code, refused.message)
    recorded = record_event(event)
    if recorded is None:
        return jsonify({"received": True, "duplicate": True})
    row, tenant_id = recorded
    if tenant_id is not None:
        enqueue(apply_payment_event, tenant_id, row.id, queue="payments")
    return jsonify({"received": True})
