"""Let PostgreSQL keep the plans of the queries each request runs again and again.

psycopg prepares a statement on a connection once it has run five times there, and forgets
every prepared statement at each rollback (it cannot tell whether the transaction changed the
schema). A request that only reads ends its transaction with a rollback, so no statement was
ever prepared: PostgreSQL planned every query of every request again, 40 % of its time on a
cart quote (issue 15). A transaction that wrote nothing ends here with a commit instead,
which for it is the same thing, and the prepared statements stay.
"""

import re
from weakref import WeakSet

from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event

# What only reads (or locks rows, which a commit releases as a rollback does). Anything else,
# DDL and savepoints included, counts as a write and keeps the rollback.
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def keep_prepared_statements(engine: Engine) -> None:
    """End `engine`'s read-only transactions with a commit (psycopg on PostgreSQL only)."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    written = WeakSet()  # the connections whose open transaction wrote
    dialect = engine.dialect
    rollback, commit = dialect.do_rollback, dialect.do_commit

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
        if not _READ.match(statement):
            written.add(cursor.connection)

    def end_without_forgetting(connection) -> None:
        # the pool passes its proxy when it resets a connection on return
        dbapi_connection = getattr(connection, "dbapi_connection", connection)
        wrote = dbapi_connection in written
        written.discard(dbapi_connection)
        status = dbapi_connection.info.transaction_status
        if wrote or status != TransactionStatus.INTRANS:  # an aborted one must roll back
            rollback(connection)
        else:
            commit(connection)

    def commit_and_forget_writes(connection) -> None:
        written.discard(getattr(connection, "dbapi_connection", connection))
        commit(connection)

    dialect.do_rollback = end_without_forgetting
    dialect.do_commit = commit_and_forget_writes
