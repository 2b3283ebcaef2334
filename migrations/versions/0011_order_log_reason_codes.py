"""order log reasons as codes with parameters

Revision ID: 0011
Revises: 0010

Older rows held English text ("placed", "payment ch_...", "refund 12.00"); they become
the codes the pages translate. Text that matches no code (a merchant's own words on a
cancellation or return) is kept as the note of that move.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FIXED = {
    "placed": "placed",
    "receipt confirmed": "receipt_confirmed",
    "receipt confirmed automatically": "receipt_auto",
    "completion confirmed": "completion_confirmed",
    "not paid in time": "unpaid_expired",
    "cancelled by the shopper": "cancelled_by_shopper",
    "return": "return_accepted",
}
NOTE_CODES = {"cancelled": "cancelled_by_merchant", "returned": "return_accepted"}

events = sa.table(
    "order_events",
    sa.column("id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("reason", sa.Text),
    sa.column("reason_params", sa.JSON),
)


def _code(reason: str, to_status: str) -> tuple[str, dict | None] | None:
    if reason in FIXED:
        return FIXED[reason], None
    head, _space, rest = reason.partition(" ")
    if head == "payment" and rest:
        return "payment", {"reference": rest}
    if head == "refund" and rest:
        return "refund", {"amount": rest}
    if to_status == "shipped":
        exchange = reason.startswith("exchange: ")
        carrier, _space, tracking = reason.removeprefix("exchange: ").partition(" ")
        code = "exchange_shipped" if exchange else "shipped"
        return code, {"carrier": carrier, "tracking_number": tracking}
    if to_status in NOTE_CODES:
        return NOTE_CODES[to_status], ({"note": reason} if reason else None)
    return None


def upgrade():
    with op.batch_alter_table("order_events") as batch_op:
        batch_op.add_column(sa.Column("reason_params", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(events.c.id, events.c.reason, events.c.to_status))
    for row in rows.all():
        coded = _code(row.reason or "", row.to_status)
        if coded is not None:
            connection.execute(
                events.update()
                .where(events.c.id == row.id)
                .values(reason=coded[0], reason_params=coded[1])
            )


def downgrade():
    with op.batch_alter_table("order_events") as batch_op:
        batch_op.drop_column("reason_params")
