"""A paid cross-border order goes through the sandbox customs and warehouse by itself:
waybill, three documents, inventory list, release, shipment (SPEC §6)."""

from decimal import Decimal

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from storefront.customs.schema import schema_problems
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.customs.states import State
from storefront.domain.errors import Refused
from storefront.domain.events import EventName
from storefront.domain.orders import OrderStatus
from storefront.extensions import db
from storefront.integrations import registry
from storefront.jobs import dispatch_committed_events
from storefront.models import CustomsDeclaration, CustomsReceipt, Notification, QuotaMovement
from storefront.ports import Port
from storefront.services import customs, outbox, quota
from storefront.services.customs_receipts import ingest
from storefront.services.customs_upkeep import advance_each, collect_all, due_declarations
from storefront.services.integrations import save_plugin_settings
from storefront.tenancy import tenant_context


def declare(store) -> int:
    with tenant_context(store.tenant.id):
        store.payment.paid_at = store.payment.created_at
        person = quota.person_hash(store.identity.id_number)
        quota.lock_person(person)
        quota.reserve(person, store.order, store.order.total, Decimal(0), store.order.placed_at)
        declaration_id = customs.open_declaration(store.order.id)
        db.session.commit()
        customs.advance(declaration_id)
    return declaration_id


def state_of(store, declaration_id: int) -> CustomsDeclaration:
    with tenant_context(store.tenant.id):
        db.session.expire_all()
        return db.session.scalar(
            select(CustomsDeclaration).where(CustomsDeclaration.id == declaration_id)
        )


def collect_and_advance():
    report = collect_all()
    advance_each(report.to_advance)
    return report


def held_quota(store) -> Decimal:
    with tenant_context(store.tenant.id):
        total = db.session.scalar(
            select(func.coalesce(func.sum(QuotaMovement.annual_amount), 0)).where(
                QuotaMovement.order_id == store.order.id
            )
        )
    return Decimal(total)


def test_a_paid_order_is_declared_released_and_shipped_without_hand_work(tenants):
    a = tenants.a
    declaration_id = declare(a)
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.DOCUMENTS_SENT and declaration.waybill_number
    kinds = sorted(doc.kind for doc in declaration.documents)
    assert kinds == ["311", "411", "511"]
    for document in declaration.documents:
        xml = document.xml.encode()
        assert schema_problems(xml) == [], document.kind
        assert a.order.number.encode() in xml  # the product's order number everywhere

    collect_and_advance()  # 2 then 120 for each: the inventory list follows at once
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.INVENTORY_SENT
    inventory = [d for d in declaration.documents if d.kind == DocumentKind.INVENTORY]
    assert len(inventory) == 1 and b"Signature" in inventory[0].xml.encode()
    assert schema_problems(inventory[0].xml.encode()) == []

    collect_and_advance()  # 2, 120, 399, 800: released, then the warehouse ships
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.RELEASED and declaration.invt_no
    with tenant_context(a.tenant.id):
        order = declaration.order
        assert order.status == OrderStatus.SHIPPED and order.carrier == "SF"
        assert order.tracking_number.startswith("SF")
        told = db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.shopper_id == a.shopper.id)
        )
        assert told >= 1  # the shopper hears of the shipment
        receipts = db.session.scalar(
            select(func.count())
            .select_from(CustomsReceipt)
            .where(CustomsReceipt.declaration_id == declaration_id)
        )
    assert receipts == 3 * 2 + 4  # each status once, though every file came twice


def test_the_same_receipts_twice_change_nothing(tenants, tmp_path):
    a = tenants.a
    declaration_id = declare(a)
    with tenant_context(a.tenant.id):
        transport = registry.get(Port.CUSTOMS_TRANSPORT, a.tenant.id)
    files = [(item.name, item.content) for item in transport.collect()]
    assert files
    first = ingest(files)
    assert first.applied == 6 and first.duplicates > 0  # customs sends each file twice
    again = ingest(files)
    assert again.applied == 0 and again.duplicates == again.receipts
    assert state_of(a, declaration_id).state == State.DOCUMENTS_ACCEPTED


def test_a_rejection_frees_the_quota_and_a_corrected_resend_goes_through(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        save_plugin_settings(
            Port.CUSTOMS_TRANSPORT, "sandbox_customs_transport", {"fail": "reject_once"}, "t"
        )
        db.session.commit()
    declaration_id = declare(a)
    quota_before = held_quota(a)
    collect_and_advance()
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.REJECTED and declaration.reason_text
    assert held_quota(a) == 0 < quota_before  # SPEC §6.3: a rejection frees the quota

    with tenant_context(a.tenant.id):
        customs.resend(declaration_id, "owner")
    declaration = state_of(a, declaration_id)
    assert held_quota(a) == quota_before
    resent = [d for d in declaration.documents if d.current and d.app_type == "2"]
    assert resent and all(d.status == "sending" for d in resent)
    with tenant_context(a.tenant.id):
        customs.advance(declaration_id)
    collect_and_advance()  # the corrections accepted; the inventory list's first version goes
    collect_and_advance()  # ... and is rejected once too (the sandbox rejects each first one)
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.REJECTED
    rejected = [d.kind for d in declaration.documents if d.current and d.status == "rejected"]
    assert rejected == ["621"]
    with tenant_context(a.tenant.id):
        customs.resend(declaration_id, "owner")
        customs.advance(declaration_id)
    collect_and_advance()
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.RELEASED and declaration.order.status == "shipped"
    app_times = [d.app_time for d in declaration.documents if d.kind == "621"]
    assert app_times == sorted(app_times) and len(set(app_times)) == 2  # later on each resend


def test_resending_what_was_not_rejected_is_refused(tenants):
    a = tenants.a
    declaration_id = declare(a)
    with tenant_context(a.tenant.id), pytest.raises(Refused):
        customs.resend(declaration_id, "owner")


def test_a_non_tax_or_unpaid_order_opens_no_declaration(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        a.order.tax_tag = None
        assert customs.open_declaration(a.order.id) is None


LIMIT_RECEIPT = """<?xml version="1.0" encoding="UTF-8"?>
<CEB622Message xmlns="http://www.chinaport.gov.cn/ceb" guid="{guid}" version="1.0">
<InventoryReturn><guid>{guid}</guid><customsCode>2244</customsCode><ebpCode>{ebp}</ebpCode>
<ebcCode>{ebc}</ebcCode><agentCode>{ebc}</agentCode><copNo>{cop}</copNo>
<preNo>B20991231000000001</preNo><returnStatus>-621018</returnStatus>
<returnTime>20991231235959000</returnTime>
<returnInfo>已用购买额度为[19500.00]，本次购买将超过年度限额[20000.00]</returnInfo>
</InventoryReturn></CEB622Message>"""


def test_customs_refusing_the_annual_limit_rejects_with_its_reason(tenants):
    a = tenants.a
    declaration_id = declare(a)
    collect_all()  # the three documents accepted
    with tenant_context(a.tenant.id):
        customs.advance(declaration_id)  # the inventory list goes out
        declaration = state_of(a, declaration_id)
        filing = declaration.documents[0].business_key.split("|")[0]
    receipt = LIMIT_RECEIPT.format(
        guid="0" * 8 + "-AAAA-BBBB-CCCC-" + "1" * 12, ebp=filing, ebc=filing, cop=a.order.number
    )
    report = ingest([("limit.xml", receipt.encode())])
    assert report.applied == 1
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.REJECTED and declaration.reason_code == "-621018"
    assert "年度限额" in declaration.reason_text
    assert held_quota(a) == 0


class WorkerKilled(BaseException):
    """Stands for a worker killed mid-job: nothing of ours catches it."""


def test_a_worker_killed_while_sending_sends_the_same_documents_once(tenants, monkeypatch):
    a = tenants.a
    with tenant_context(a.tenant.id):
        transport = registry.get(Port.CUSTOMS_TRANSPORT, a.tenant.id)
    send, sent = type(transport).send, []

    def killed_after_one(self, message):
        if sent:
            raise WorkerKilled
        sent.append(message.message_id)
        return send(self, message)

    monkeypatch.setattr(type(transport), "send", killed_after_one)
    with pytest.raises(WorkerKilled):
        declare(a)
    db.session.rollback()
    monkeypatch.setattr(type(transport), "send", send)
    with tenant_context(a.tenant.id):
        declaration_id = db.session.scalar(
            select(CustomsDeclaration.id).where(CustomsDeclaration.order_id == a.order.id)
        )
        guids = sorted(d.guid for d in state_of(a, declaration_id).documents)
        assert len(guids) == 3  # written down before the first one left
        customs.advance(declaration_id)  # the next run sends what is still marked sending
    declaration = state_of(a, declaration_id)
    assert sorted(d.guid for d in declaration.documents) == guids
    collect_and_advance()
    with tenant_context(a.tenant.id):
        first = next(d for d in declaration.documents if d.guid == sent[0])
        answers = db.session.scalars(
            select(CustomsReceipt.return_status).where(
                CustomsReceipt.business_key == first.business_key
            )
        ).all()
    assert sorted(answers) == ["120", "2"]  # customs saw it once, though it was sent twice


def test_an_inventory_list_left_unsent_by_a_crash_is_sent_by_the_next_sweep(tenants, monkeypatch):
    a = tenants.a
    declaration_id = declare(a)
    report = collect_all()  # the three documents accepted
    with tenant_context(a.tenant.id):
        transport = registry.get(Port.CUSTOMS_TRANSPORT, a.tenant.id)

    def killed(self, message):
        raise WorkerKilled

    monkeypatch.setattr(type(transport), "send", killed)
    with pytest.raises(WorkerKilled):
        advance_each(report.to_advance)
    db.session.rollback()
    monkeypatch.undo()
    declaration = state_of(a, declaration_id)
    assert declaration.state == State.INVENTORY_SENT
    assert [d.status for d in declaration.documents if d.kind == "621"] == ["sending"]
    assert (a.tenant.id, declaration_id) in due_declarations()
    advance_each(due_declarations())
    collect_and_advance()
    assert state_of(a, declaration_id).state == State.RELEASED


def test_under_a_real_rq_worker_payment_starts_the_declaration(app, tenants, redis_url):
    a = tenants.a
    tenant_id, order_id = a.tenant.id, a.order.id  # the worker ends the session after each job
    app.config["REDIS_URL"] = redis_url
    app.extensions.pop("redis", None)
    try:
        with tenant_context(a.tenant.id):
            a.payment.paid_at = a.payment.created_at
            outbox.record(EventName.ORDER_PAID, a.order, status="paid")
            db.session.commit()
        dispatch_committed_events()  # the request's end: the event's dispatcher is queued
        connection = Redis.from_url(redis_url)
        queues = [Queue(name, connection=connection) for name in ("events", "customs")]
        assert SimpleWorker(queues, connection=connection).work(burst=True)
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("redis", None)
    with tenant_context(tenant_id):
        declaration = db.session.scalar(
            select(CustomsDeclaration).where(CustomsDeclaration.order_id == order_id)
        )
        assert declaration.state == State.DOCUMENTS_SENT  # the subscriber's job ran after it


def test_a_defect_in_one_declaration_does_not_stop_the_others(tenants, monkeypatch):
    opened = []
    for store in (tenants.a, tenants.b):
        with tenant_context(store.tenant.id):
            store.payment.paid_at = store.payment.created_at
            opened.append((store.tenant.id, customs.open_declaration(store.order.id)))
            db.session.commit()
    broken_id = opened[0][1]
    advance = customs.advance

    def defective(declaration_id):
        if declaration_id == broken_id:
            raise RuntimeError("a defect in this declaration")
        return advance(declaration_id)

    monkeypatch.setattr(customs, "advance", defective)
    counts = advance_each(opened)
    assert counts["failed"] == 1
    assert state_of(tenants.b, opened[1][1]).state == State.DOCUMENTS_SENT
