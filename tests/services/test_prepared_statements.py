"""Read-only transactions keep PostgreSQL's prepared statements; a transaction that wrote
still rolls back (storefront.prepared_statements)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError

from storefront.extensions import db

_POLICY = "SELECT order_limit FROM limit_policies WHERE code = :code"


def _prepared(connection) -> list[str]:
    return connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()


def test_a_query_run_in_read_only_transactions_gets_prepared(app):
    with app.app_context(), db.engine.connect() as connection:
        for _ in range(7):  # psycopg prepares a statement at its sixth run on a connection
            connection.execute(text(_POLICY), {"code": "seed"})
            connection.rollback()  # what the end of every request that only read does
        assert any("FROM limit_policies WHERE code" in sql for sql in _prepared(connection))


def test_a_transaction_that_wrote_is_rolled_back(app):
    insert = text(
        "INSERT INTO limit_policies (code, effective_from, order_limit, annual_limit, "
        "annual_counts_tax, direct_mail_limit, direct_mail_scope, single_item_over_order_limit) "
        "SELECT 'rolled-back', effective_from, order_limit, annual_limit, annual_counts_tax, "
        "direct_mail_limit, direct_mail_scope, single_item_over_order_limit "
        "FROM limit_policies WHERE code = 'seed'"
    )
    with app.app_context(), db.engine.connect() as connection:
        for _ in range(7):
            connection.execute(text(_POLICY), {"code": "seed"})
            connection.rollback()
        count = text("SELECT count(*) FROM limit_policies WHERE code = 'rolled-back'")
        try:
            connection.execute(insert)
            connection.rollback()
            assert connection.execute(count).scalar() == 0
        finally:  # a broken rollback must not leave the row to later tests
            connection.execute(text("DELETE FROM limit_policies WHERE code = 'rolled-back'"))
            connection.commit()


def test_an_aborted_transaction_is_rolled_back_and_the_connection_goes_on(app):
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(DataError):
            connection.execute(text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.execute(text(_POLICY), {"code": "seed"}).scalar() is not None
