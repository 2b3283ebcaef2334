"""Reconciliation throughput: prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.recon_throughput [--orders 1000000]

On a fresh PostgreSQL, one store's N orders released by customs in one month, each with its
checkout, payment, receipt, tax bill and the provider's settlement, are generated in SQL
(generate_series, copying one order made by the test factories); 1 % are underpaid, 2 % are
taxed differently by customs, 0.5 % are settled under another reference (no settlement
for the payment, a charge with no order), 0.2 % are refunded after release.

1. `reconciliation.run` over the month (records upserted, six mismatch kinds, clearing,
   counts), against PostgreSQL materialising the bare join of the same tables in the same
   run; then the same run again (every record unchanged); peak RSS before and after;
2. export rows per second: CSV of every record, and XLSX (write-only) of up to 100,000,
   both streamed with yield_per, against `COPY (SELECT ...) TO STDOUT` of the same rows.
"""

import argparse
import io
import resource
import time
from datetime import date

from sqlalchemy import text

from benchmarks._setup import machine, migrated_app
from storefront.extensions import db
from storefront.models import (
    Checkout,
    CustomsDeclaration,
    CustomsReceipt,
    CustomsTaxBill,
    Order,
    Payment,
    ProviderSettlement,
)
from storefront.queries import reconciliation as queries
from storefront.services import reconciliation
from storefront.tenancy import system_context
from tests.support import factories
from tests.support import reconciliation as scenario

MONTH = (date(2026, 11, 1), date(2026, 11, 30))
XLSX_LIMIT = 100_000
BASE = 1_000_000  # generated ids start above the template rows'
# released across November (China time): one order every few seconds of the month
SPREAD = "timestamptz '2026-10-31 16:00:00+00' + (g * (2592000.0 / :n)) * interval '1 second'"
CLONES = (
    (Checkout, {"id": ":base + g", "token": "'bench-' || g"}),
    (
        Order,
        {
            "id": ":base + g",
            "number": "'KB' || lpad(g::text, 18, '0')",
            "checkout_id": ":base + g",
            "placed_at": SPREAD,
            "paid_at": SPREAD,
            "refunded": "CASE WHEN g % 500 = 0 THEN t.total ELSE 0 END",
        },
    ),
    (
        Payment,
        {
            "id": ":base + g",
            "checkout_id": ":base + g",
            "reference": "'pi_bench_' || g",
            "serial_number": "'ch_bench_' || g",
            "idempotency_key": "NULL",
            "paid_at": SPREAD,
            "amount": "CASE WHEN g % 100 = 0 THEN t.amount - 1 ELSE t.amount END",
        },
    ),
    (
        CustomsDeclaration,
        {
            "id": ":base + g",
            "order_id": ":base + g",
            "released_at": SPREAD,
            "invt_no": "'2299' || lpad(g::text, 14, '0')",
            "pre_no": "'P' || lpad(g::text, 17, '0')",
            "waybill_number": "'SF' || lpad(g::text, 12, '0')",
        },
    ),
    (
        CustomsReceipt,
        {
            "id": ":base + g",
            "declaration_id": ":base + g",
            "document_id": "NULL",
            "business_key": "'bench|' || g",
        },
    ),
    (
        CustomsTaxBill,
        {
            "id": ":base + g",
            "declaration_id": ":base + g",
            "invt_no": "'2299' || lpad(g::text, 14, '0')",
            "tax_no": "'2299' || lpad(g::text, 14, '0') || '001'",
            "consumption_tax": "CASE WHEN g % 50 = 0 THEN t.consumption_tax - 1 "
            "ELSE t.consumption_tax END",
        },
    ),
    (
        ProviderSettlement,
        {
            "id": ":base + g",
            "transaction_id": "'txn_bench_' || g",
            "source": "'ch_bench_' || g",
            # 0.5 %: a charge of another payment reference (settlement missing for the
            # order's payment, and a payment with no order for the provider's record)
            "payment_reference": "CASE WHEN g % 200 = 0 THEN 'pi_other_' ELSE 'pi_bench_' END || g",
            "created_at": SPREAD,
        },
    ),
)
# PostgreSQL's own version of the records' join: what the run cannot do faster than
BARE_JOIN = """
CREATE TEMP TABLE bare_join AS
SELECT o.id, o.number, p.serial_number, d.waybill_number, d.invt_no, o.placed_at, p.paid_at,
       p.amount, o.goods_total, p.currency, p.exchange_rate, o.tax_due, o.freight,
       o.goods_total + o.freight AS goods_and_freight, o.buyer_name, b.return_time,
       b.customs_tax + b.value_added_tax + b.consumption_tax AS deducted
FROM customs_declarations d
JOIN orders o ON o.id = d.order_id
JOIN payments p ON p.checkout_id = o.checkout_id
LEFT JOIN customs_tax_bills b ON b.declaration_id = d.id
WHERE d.tenant_id = :tenant AND d.released_at >= :start AND d.released_at < :end
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(tenant_id: int, n: int) -> float:
    """Copy the template order's rows N times in SQL; return the seconds it took."""
    started = time.perf_counter()
    with system_context():
        for model, overrides in CLONES:
            table = model.__table__
            template = db.session.execute(
                text(f"SELECT max(id) FROM {table.name} WHERE id < :base"),  # noqa: S608 - a model's name
                {"base": BASE},
            ).scalar_one()
            columns = [column.name for column in table.columns]
            values = [overrides.get(name, f"t.{name}") for name in columns]
            db.session.execute(
                text(
                    f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - model columns
                    f"SELECT {', '.join(values)} FROM {table.name} t "
                    "CROSS JOIN generate_series(1, :n) g WHERE t.id = :template"
                ),
                {"n": n, "base": BASE, "template": template},
            )
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :top)"),
                {"top": BASE + n},
            )
        db.session.commit()
        db.session.execute(text("ANALYZE"))  # as autovacuum would after such a load
        db.session.commit()
    return time.perf_counter() - started


def bare_join(tenant_id: int) -> float:
    start, end = reconciliation.period_bounds(*MONTH)
    started = time.perf_counter()
    with system_context():
        db.session.execute(text(BARE_JOIN), {"tenant": tenant_id, "start": start, "end": end})
        db.session.execute(text("DROP TABLE bare_join"))
        db.session.commit()
    return time.perf_counter() - started


def timed_run(tenant_id: int) -> tuple[float, reconciliation.Summary]:
    started = time.perf_counter()
    summary = reconciliation.run(tenant_id, *MONTH, "benchmark")
    return time.perf_counter() - started, summary


def export_csv(tenant_id: int, limit: int | None = None) -> tuple[int, float]:
    fields = [field for field, _title in queries.columns_for("both")]
    titles = [title for _field, title in queries.columns_for("both")]
    statement = queries.records_statement(queries.RecordFilters(*MONTH, tenant_id=tenant_id))
    started, size = time.perf_counter(), 0
    with system_context():
        for chunk in queries.csv_chunks(queries.export_rows(statement, fields), titles, fields):
            size += len(chunk)
    return size, time.perf_counter() - started


def export_xlsx(tenant_id: int, limit: int) -> float:
    fields = [field for field, _title in queries.columns_for("both")]
    titles = [title for _field, title in queries.columns_for("both")]
    statement = queries.records_statement(queries.RecordFilters(*MONTH, tenant_id=tenant_id))
    started = time.perf_counter()
    with system_context():
        rows = queries.export_rows(statement.limit(limit), fields)
        queries.write_xlsx(rows, titles, fields, io.BytesIO())
    return time.perf_counter() - started


def copy_out(tenant_id: int) -> tuple[int, float]:
    """COPY the same rows (the export's columns) to STDOUT as CSV: the database's own speed."""
    fields = ", ".join(field for field, _title in queries.columns_for("both"))
    start, end = reconciliation.period_bounds(*MONTH)
    started, size = time.perf_counter(), 0
    connection = db.engine.raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('kuajing.system', 'on', false)")
            sql = (
                f"COPY (SELECT {fields} FROM recon_records WHERE tenant_id = %s "  # noqa: S608 - export fields
                "AND released_at >= %s AND released_at < %s "
                "ORDER BY released_at, id) TO STDOUT WITH (FORMAT csv, HEADER)"
            )
            with cursor.copy(sql, (tenant_id, start, end)) as copy:
                for data in copy:
                    size += len(data)
    finally:
        connection.close()
    return size, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    n = parser.parse_args().orders
    print(machine())
    with migrated_app() as (app, _url), app.app_context():
        store = factories.store("recon-bench")
        scenario.released(store)  # the template: one order with everything
        db.session.commit()
        tenant_id = store.tenant.id
        print(f"generated {n:,} orders with their rows in {generate(tenant_id, n):.1f} s")
        rss_before = peak_rss_mb()
        reference = bare_join(tenant_id)
        product, summary = timed_run(tenant_id)
        again, second = timed_run(tenant_id)
        print(f"run:   {product:.1f} s for {summary.orders:,} orders ({summary.line()})")
        print(f"bare join (PostgreSQL, CREATE TEMP TABLE AS): {reference:.1f} s")
        print(f"ratio run / bare join: {product / reference:.1f}×")
        print(f"same period again: {again:.1f} s ({second.line()})")
        print(f"peak RSS: {rss_before:.0f} MB before the runs, {peak_rss_mb():.0f} MB after")
        size, seconds = export_csv(tenant_id)
        print(f"CSV export: {summary.orders / seconds:,.0f} rows/s ({size / 1e6:.0f} MB)")
        limit = min(XLSX_LIMIT, summary.orders)
        print(f"XLSX export: {limit / export_xlsx(tenant_id, limit):,.0f} rows/s ({limit:,} rows)")
        size, seconds = copy_out(tenant_id)
        print(f"COPY ... TO STDOUT: {summary.orders / seconds:,.0f} rows/s ({size / 1e6:.0f} MB)")
        print(f"peak RSS after the exports: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
