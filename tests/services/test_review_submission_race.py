"""A merchant's save that started before another save sent the item to the queue waits for it
and is refused, instead of overwriting what the operator opened under the same version number
(the version is what the operator's decision names: SPEC §9, seed 000 step 2)."""

import threading
import time
from io import BytesIO

import pytest
from sqlalchemy import select, text

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import CustomsFiling, InvoiceSettings, ProductFiling
from storefront.services.customs_filings import (
    PRODUCT_FIELDS,
    save_customs_filing,
    save_product_filing,
)
from storefront.services.invoice_issuer import Certificate
from storefront.services.invoice_settings import InvoiceSettingsRefused, save_settings
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.invoices import CERTIFICATE, SETTINGS
from tests.support.race import race_app


@pytest.fixture
def racing(database_url, app, tmp_path):
    with race_app(database_url, 2, UPLOAD_FOLDER=str(tmp_path)) as racing_app:
        yield racing_app


def _store(racing):
    """A store whose enterprise filing, a product filing and invoice issuer are approved."""
    with racing.app_context():
        store = factories.store("race-store")
        with tenant_context(store.tenant.id):
            certificate = Certificate(BytesIO(CERTIFICATE), "证.pdf")
            products = [store.non_tax_product.id]
            issuer = save_settings(SETTINGS, "owner", certificate, products)
            issuer.review_state = "approved"
            ids = {
                "tenant": store.tenant.id,
                "product": store.product.id,
                "enterprise_filing": db.session.scalar(select(CustomsFiling.id)),
                "product_filing": db.session.scalar(select(ProductFiling.id)),
                "invoice_issuer": issuer.id,
            }
            db.session.commit()
        db.session.remove()
    return ids


def _other_save_in_flight(racing, table: str, row_id: int, merchant_save) -> object:
    """Run `merchant_save` while another transaction holds the row, having just sent it to
    the queue as version 2 (not committed yet); return what the save returned or raised."""
    outcome = {}

    def save():
        with racing.test_request_context():
            try:
                outcome["result"] = merchant_save()
            except Refused as refused:
                outcome["result"] = refused
            finally:
                db.session.remove()

    with racing.app_context(), db.engine.connect() as other:
        other.execute(text("SELECT set_config('kuajing.system', 'on', true)"))
        other.execute(
            text(
                f"UPDATE {table} SET review_state = 'submitted', review_version = 2 WHERE id = :id"
            ),
            {"id": row_id},
        )
        worker = threading.Thread(target=save)
        worker.start()
        _until_someone_waits_for_a_lock(other)
        other.commit()  # the other save is done: the item waits in the queue as version 2
    worker.join(timeout=30)
    assert not worker.is_alive()
    return outcome["result"]


def _until_someone_waits_for_a_lock(connection) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # pg_locks, not pg_stat_activity: that one is read once per transaction
        if connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
            return
        time.sleep(0.02)
    raise AssertionError("the merchant's save never reached the row")


def _row(racing, model, row_id: int):
    with racing.app_context(), system_context():
        row = db.session.scalar(select(model).where(model.id == row_id))
        db.session.expunge(row)
        db.session.remove()
    return row


def test_an_enterprise_filing_saved_during_another_submission_is_refused(racing):
    ids = _store(racing)

    def merchant_save():
        with tenant_context(ids["tenant"]):
            changed = {**factories.ENTERPRISE_FILING, "enterprise_name": "另一家公司"}
            return save_customs_filing(changed, "staff@store.example")

    result = _other_save_in_flight(
        racing, "customs_filings", ids["enterprise_filing"], merchant_save
    )
    assert isinstance(result, Refused) and result.code == ErrorCode.UNDER_REVIEW
    row = _row(racing, CustomsFiling, ids["enterprise_filing"])
    assert (row.review_version, row.enterprise_name) == (
        2,
        factories.ENTERPRISE_FILING["enterprise_name"],
    )


def test_a_product_filing_saved_during_another_submission_is_refused(racing):
    ids = _store(racing)
    before = _row(racing, ProductFiling, ids["product_filing"])

    def merchant_save():
        with tenant_context(ids["tenant"]):
            filed = {name: getattr(before, name) for name in PRODUCT_FIELDS}
            return save_product_filing(ids["product"], {**filed, "hs_code": "3304100000"}, "s@x")

    result = _other_save_in_flight(racing, "product_filings", ids["product_filing"], merchant_save)
    assert isinstance(result, Refused) and result.code == ErrorCode.UNDER_REVIEW
    row = _row(racing, ProductFiling, ids["product_filing"])
    assert (row.review_version, row.hs_code) == (2, before.hs_code)


def test_an_invoice_issuer_saved_during_another_submission_is_refused(racing):
    ids = _store(racing)

    def merchant_save():
        with tenant_context(ids["tenant"]):
            return save_settings({**SETTINGS, "payee_name": "另一个开票方"}, "staff")

    result = _other_save_in_flight(racing, "invoice_settings", ids["invoice_issuer"], merchant_save)
    assert isinstance(result, InvoiceSettingsRefused) and "review" in result.errors
    row = _row(racing, InvoiceSettings, ids["invoice_issuer"])
    assert (row.review_version, row.payee_name) == (2, SETTINGS["payee_name"])


def test_the_second_of_two_first_product_filings_is_refused_as_in_the_queue(racing):
    ids = _store(racing)
    before = _row(racing, ProductFiling, ids["product_filing"])
    filed = {name: getattr(before, name) for name in PRODUCT_FIELDS}
    with racing.app_context(), db.engine.connect() as other:
        system = text("SELECT set_config('kuajing.system', 'on', true)")
        other.execute(system)
        other.execute(
            text("CREATE TEMP TABLE kept AS SELECT * FROM product_filings WHERE id = :id"),
            {"id": ids["product_filing"]},
        )
        other.execute(text("UPDATE kept SET review_state = 'submitted'"))
        other.execute(
            text("DELETE FROM product_filings WHERE id = :id"), {"id": ids["product_filing"]}
        )
        other.commit()  # the product has no filing yet: its first save is about to happen
        other.execute(system)
        other.execute(text("INSERT INTO product_filings SELECT * FROM kept"))  # not committed
        outcome = {}

        def merchant_save():
            with racing.test_request_context(), tenant_context(ids["tenant"]):
                try:
                    outcome["result"] = save_product_filing(ids["product"], filed, "staff")
                except Refused as refused:
                    outcome["result"] = refused
                finally:
                    db.session.remove()

        worker = threading.Thread(target=merchant_save)
        worker.start()
        _until_someone_waits_for_a_lock(other)
        other.commit()  # the other first save lands: the merchant's insert now clashes
        worker.join(timeout=30)
    assert isinstance(outcome["result"], Refused)
    assert outcome["result"].code == ErrorCode.UNDER_REVIEW
