"""Migration 0020 moves the customs filings' reviews onto the one review mechanism: each old
decision becomes a history row, and its downgrade gives the old columns back."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from storefront import create_app
from storefront.extensions import db
from tests.conftest import app_config
from tests.web.test_id_number_migration import empty_database  # noqa: F401 - a fixture

COLUMNS = (
    "platform_code, platform_name, enterprise_code, enterprise_name, payment_code, "
    "payment_name, logistics_code, logistics_name, agent_code, agent_name, customs_code, "
    "port_code, trade_mode, traf_mode, ems_no, area_code, area_name, loct_no, traf_no, "
    "voyage_no, bill_no, dxp_id"
)
# tenant, status, note, reviewer, reviewed: never reviewed, approved, rejected, and pending
# again after a rejection
OLD = [
    (1, "pending", "", None, False),
    (2, "approved", "", "operator:1 Op", True),
    (3, "rejected", "账册有误", "operator:1 Op", True),
    (4, "pending", "请补充", "operator:2 Op", True),
]


def _run(url: str, statements, params=None) -> list:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('kuajing.system', 'on', true)"))
        rows = [conn.execute(text(s), params or {}).all() for s in statements]
    engine.dispose()
    return rows


def _old_filings(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('kuajing.system', 'on', true)"))
        for tenant, status, note, by, reviewed in OLD:
            conn.execute(
                text(
                    "INSERT INTO tenants (id, slug, name, default_locale, limit_policy_code, "
                    "active, commission_rate, created_at) "
                    "VALUES (:t, 's' || :t, 'S', 'zh_CN', 'seed', true, 0, now())"
                ),
                {"t": tenant},
            )
            conn.execute(
                text(
                    f"INSERT INTO customs_filings (tenant_id, {COLUMNS}, status, review_note, "
                    f"reviewed_by, reviewed_at, submitted_at) VALUES (:t, "
                    + ", ".join(["'x'"] * 22)
                    + ", :s, :n, :b, CASE WHEN :r THEN now() END, now())"
                ),
                {"t": tenant, "s": status, "n": note, "b": by, "r": reviewed},
            )
    engine.dispose()


def test_old_filing_reviews_become_states_and_history_and_come_back(empty_database):  # noqa: F811
    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="0019")
        _old_filings(empty_database)
        upgrade(revision="0020")
        states, steps = _run(
            empty_database,
            [
                "SELECT tenant_id, review_state, review_version, last_reason "
                "FROM customs_filings ORDER BY tenant_id",
                "SELECT tenant_id, kind, action, from_state, to_state, reason, actor, version "
                "FROM review_decisions ORDER BY tenant_id",
            ],
        )
        assert states == [
            (1, "submitted", 1, ""),
            (2, "approved", 1, ""),
            (3, "rejected", 1, "账册有误"),
            (4, "submitted", 2, "请补充"),  # resubmitted after the decision on version 1
        ]
        kind = "enterprise_filing"
        assert steps == [
            (2, kind, "approve", "submitted", "approved", "", "operator:1 Op", 1),
            (3, kind, "reject", "submitted", "rejected", "账册有误", "operator:1 Op", 1),
            (4, kind, "reject", "submitted", "rejected", "请补充", "operator:2 Op", 1),
        ]
        downgrade(revision="0019")
        [old] = _run(
            empty_database,
            [
                "SELECT tenant_id, status, review_note, reviewed_by, reviewed_at IS NOT NULL "
                "FROM customs_filings ORDER BY tenant_id"
            ],
        )
        assert old == [(t, status, note, by, reviewed) for t, status, note, by, reviewed in OLD]
        db.engine.dispose()
