"""Writing an order's customs documents: built from one set of facts, checked for what the
schema cannot check (SPEC §6.4; every problem reported at once), signed, validated against
the official schema, and stored before they are sent."""

import uuid
from datetime import datetime, timedelta

from storefront.customs.schema import schema_problems
from storefront.domain.customs.consistency import check_declaration
from storefront.domain.customs.declarations import MessageHead, OrderDeclaration
from storefront.domain.customs.messages import (
    inventory_message,
    order_message,
    payment_message,
    waybill_message,
)
from storefront.domain.customs.receipts import DocumentKind, business_key
from storefront.domain.customs.states import DocumentStatus, State, Step
from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.integrations import registry
from storefront.models import (
    CustomsDeclaration,
    CustomsDocument,
    CustomsEvent,
    LimitPolicyRow,
    Order,
)
from storefront.models.types import utcnow
from storefront.ports import Port
from storefront.services import quota
from storefront.services.customs_facts import order_declaration
from storefront.services.quota import CHINA

BUILDERS = {
    DocumentKind.ORDER: order_message,
    DocumentKind.PAYMENT: payment_message,
    DocumentKind.WAYBILL: waybill_message,
}


class InvalidMessage(RuntimeError):
    """A generated message fails the official schema: a defect of ours, never sent."""


def write(
    declaration: CustomsDeclaration, order: Order, kinds, app_type: str
) -> list[CustomsDocument]:
    """Build, check, sign and store the documents of `kinds`; none if a rule is broken."""
    facts = order_declaration(order, declaration.waybill_number)
    previous = max((doc.app_time for doc in declaration.documents), default=None)
    app_time = later_app_time(previous, utcnow())
    heads = {kind: _head(app_type, app_time) for kind in kinds}
    problems = check_declaration(facts, next(iter(heads.values())), previous)
    if problems:
        _record_problems(declaration, problems)
        return []
    signer = registry.get(Port.CUSTOMS_SIGNER, declaration.tenant_id)
    documents = []
    for kind, head in heads.items():
        xml = signer.sign(_build(kind, facts, head)).xml
        errors = schema_problems(xml)
        if errors:
            raise InvalidMessage(f"CEB{kind}: {errors[0]}")
        documents.append(
            CustomsDocument(
                declaration_id=declaration.id,
                kind=kind,
                business_key=document_key(kind, facts),
                guid=head.guid,
                app_type=app_type,
                app_time=app_time,
                xml=xml.decode("utf-8"),
            )
        )
    db.session.add_all(documents)
    declaration.documents.extend(documents)
    db.session.flush()
    return documents


def _build(kind: DocumentKind, facts: OrderDeclaration, head: MessageHead) -> bytes:
    if kind == DocumentKind.INVENTORY:
        # declTime is the China date of the declaration (NOTES §3.2)
        return inventory_message(facts, head, head.app_time.astimezone(CHINA).date())
    return BUILDERS[kind](facts, head)


def _head(app_type: str, app_time: datetime) -> MessageHead:
    # guids upper case, 36 characters (NOTES §3.2)
    return MessageHead(guid=str(uuid.uuid4()).upper(), app_type=app_type, app_time=app_time)


def _record_problems(declaration: CustomsDeclaration, problems) -> None:
    listed = [{"code": p.code, "field": p.field, "detail": p.detail} for p in problems]
    declaration.last_error = "; ".join(f"{p.code} {p.field}" for p in problems)
    db.session.add(
        CustomsEvent(
            declaration_id=declaration.id,
            at=utcnow(),
            actor="system:customs",
            from_state=declaration.state,
            to_state=declaration.state,
            reason=Step.PROBLEMS,
            params={"problems": listed},
        )
    )


def document_key(kind: DocumentKind, facts: OrderDeclaration) -> str:
    """The business key customs answers the document under (NOTES §4)."""
    filing = facts.filing
    if kind == DocumentKind.ORDER:
        return business_key(kind, ebp_code=filing.platform.code, order_no=facts.order_no)
    if kind == DocumentKind.PAYMENT:
        return business_key(
            kind, pay_code=filing.payment.code, pay_transaction_id=facts.payment.transaction_id
        )
    if kind == DocumentKind.WAYBILL:
        return business_key(
            kind, logistics_code=filing.logistics.code, logistics_no=facts.logistics_no
        )
    return business_key(kind, cop_no=facts.cop_no)


def later_app_time(previous: datetime | None, now: datetime) -> datetime:
    """Return an appTime later than any sent before (whole seconds: the format has no more)."""
    moment = now.replace(microsecond=0)
    if previous is not None and moment <= previous:
        moment = previous + timedelta(seconds=1)
    return moment


def check_resendable(declaration: CustomsDeclaration) -> None:
    """Refuse a resend unless customs rejected a document of a still-paid order."""
    if declaration.state != State.REJECTED or declaration.order.status != OrderStatus.PAID:
        raise Refused(ErrorCode.NOT_RESENDABLE)
    if not any(
        doc.current and doc.status == DocumentStatus.REJECTED for doc in declaration.documents
    ):
        raise Refused(ErrorCode.NOT_RESENDABLE)  # stopped before any document: nothing to fix


def retake_quota(order: Order) -> None:
    """Count the order against the shopper's annual limit again (the limit of the policy it
    was placed under), or refuse the resend."""
    annual_limit = db.session.get(LimitPolicyRow, order.policy_code).annual_limit
    if not quota.retake(order, annual_limit, reason="customs_resend"):
        raise Refused(ErrorCode.LIMIT_EXCEEDED)
