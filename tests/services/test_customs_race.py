"""Workers advancing one declaration at the same time (threads, own connections, PostgreSQL):
one tally sheet, one set of documents, one shipment (SPEC §6: nothing declared twice)."""

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import CustomsDeclaration, CustomsDocument, OrderEvent
from storefront.services import customs
from storefront.services.customs_upkeep import collect_all
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support.race import all_at_once, race_app

WORKERS = 8


def test_parallel_workers_declare_and_ship_once(database_url, app, tmp_path):
    with race_app(database_url, WORKERS, SANDBOX_DIR=str(tmp_path)) as race:
        with race.app_context():
            store = factories.store("race")
            tenant_id, order_id = store.tenant.id, store.order.id
            with tenant_context(tenant_id):
                store.payment.paid_at = store.payment.created_at
                declaration_id = customs.open_declaration(order_id)
                db.session.commit()
            db.session.remove()

        def advance(_i, barrier):
            with race.app_context(), tenant_context(tenant_id):
                barrier.wait()
                customs.advance(declaration_id)
                db.session.remove()

        for _round in range(3):  # waybill and documents; inventory list; outbound
            all_at_once(WORKERS, advance)
            with race.app_context():
                collect_all()
                db.session.remove()
        with race.app_context(), tenant_context(tenant_id):
            documents = db.session.scalars(
                select(CustomsDocument.kind).where(CustomsDocument.declaration_id == declaration_id)
            ).all()
            state = db.session.scalar(
                select(CustomsDeclaration.state).where(CustomsDeclaration.id == declaration_id)
            )
            shipments = db.session.scalar(
                select(func.count())
                .select_from(OrderEvent)
                .where(OrderEvent.order_id == order_id, OrderEvent.to_status == "shipped")
            )
    assert sorted(documents) == ["311", "411", "511", "621"]
    assert state == "released" and shipments == 1
