"""Reconciliation pages: the merchant's two record tables with totals and exports (the XLSX
read back: number and date cells, frozen header, totals row equal to the sum of rows), the
mismatches marked resolved with a note, the run button, and the platform's merchant filter."""

import csv
import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from storefront.extensions import db
from storefront.models.reconciliation import Kind, ReconMismatch
from storefront.services import reconciliation
from storefront.tenancy import tenant_context
from tests.support import factories
from tests.support import reconciliation as scenario
from tests.support.reconciliation import DAY, NOW
from tests.web.helpers import login_operator, login_staff

PERIOD = {"from": DAY.isoformat(), "to": DAY.isoformat()}
EN = {"Accept-Language": "en"}


def reconciled(store, count=3):
    orders = [scenario.released(store)[0] for _ in range(count)]
    orders.append(scenario.released(store, paid=Decimal("800.00"))[0])
    reconciliation.run(store.tenant.id, DAY, DAY, "finance@test", now=NOW)
    return orders


def test_the_transaction_and_tax_tables_show_the_period_with_totals(client, tenants):
    a = tenants.a
    orders = reconciled(a)
    login_staff(client, a.owner)
    page = client.get("/admin/reconciliation", query_string=PERIOD, headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(order.number in html for order in orders)
    assert "3432.35" in html  # total paid: 3 × 877.45 + 800.00
    tax = client.get("/admin/reconciliation", query_string={**PERIOD, "table": "tax"}, headers=EN)
    assert "Tax actually deducted" in tax.get_data(as_text=True)
    found = client.get("/admin/reconciliation", query_string={**PERIOD, "number": orders[0].number})
    assert orders[1].number not in found.get_data(as_text=True)


def test_the_xlsx_export_has_numbers_dates_a_frozen_header_and_true_totals(client, tenants):
    a = tenants.a
    reconciled(a)
    login_staff(client, a.owner)
    response = client.get("/admin/reconciliation/export.xlsx", query_string=PERIOD, headers=EN)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=False))
    header = [cell.value for cell in rows[0]]
    body, totals = rows[1:-1], rows[-1]
    assert len(body) == 4 and totals[0].value == "Total"
    paid = header.index("Total paid")
    assert all(row[paid].data_type == "n" for row in body)
    assert all(isinstance(row[header.index("Payment time")].value, datetime) for row in body)
    for column in ("Total paid", "Goods amount", "Tax withheld", "Settlement amount"):
        i = header.index(column)
        assert Decimal(str(totals[i].value)) == sum(Decimal(str(row[i].value)) for row in body)
    assert Decimal(str(totals[paid].value)) == Decimal("3432.35")


def test_the_csv_export_streams_rows_and_a_totals_row(client, tenants):
    a = tenants.a
    reconciled(a)
    login_staff(client, a.owner)
    response = client.get(
        "/admin/reconciliation/export.csv", query_string={**PERIOD, "table": "tax"}, headers=EN
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Order number", "Payment serial"] and rows[-1][0] == "Total"
    i = rows[0].index("Tax withheld")
    assert Decimal(rows[-1][i]) == sum(Decimal(row[i]) for row in rows[1:-1])


def test_staff_mark_a_mismatch_resolved_with_a_note(client, tenants):
    a = tenants.a
    reconciled(a)
    with tenant_context(a.tenant.id):
        staff = factories.staff(f"finance@{a.tenant.slug}.example", role="staff")
    login_staff(client, staff)
    page = client.get("/admin/reconciliation/mismatches", query_string=PERIOD, headers=EN)
    assert "Paid amount differs from the declared amount" in page.get_data(as_text=True)
    with tenant_context(a.tenant.id):
        mismatch = db.session.scalar(
            select(ReconMismatch).where(ReconMismatch.kind == Kind.PAID_NOT_DECLARED)
        )
    refused = client.post(f"/admin/reconciliation/mismatches/{mismatch.id}/resolve", data={})
    assert refused.status_code == 302
    client.post(
        f"/admin/reconciliation/mismatches/{mismatch.id}/resolve",
        data={"note": "Shopper paid the rest by transfer"},
    )
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        kept = db.session.get(ReconMismatch, mismatch.id)
        assert (kept.resolved_by, kept.note) == (staff.email, "Shopper paid the rest by transfer")
    resolved = client.get(
        "/admin/reconciliation/mismatches", query_string={**PERIOD, "status": "resolved"}
    )
    assert "Shopper paid the rest by transfer" in resolved.get_data(as_text=True)


def test_another_stores_mismatch_cannot_be_resolved(client, tenants):
    a, b = tenants.a, tenants.b
    reconciled(b)
    with tenant_context(b.tenant.id):
        theirs = db.session.scalar(select(ReconMismatch.id))
    login_staff(client, a.owner)
    response = client.post(
        f"/admin/reconciliation/mismatches/{theirs}/resolve", data={"note": "mine now"}
    )
    assert response.status_code == 404


def test_the_run_button_reconciles_the_chosen_period(client, tenants):
    a = tenants.a
    order, _ = scenario.released(a)
    login_staff(client, a.owner)
    response = client.post(
        "/admin/reconciliation/run", data=PERIOD, follow_redirects=True, headers=EN
    )
    html = response.get_data(as_text=True)
    assert "Reconciled: 1 orders, 1 matched" in html and order.number in html


def test_the_operator_sees_every_merchant_or_one(client, tenants):
    a, b = tenants.a, tenants.b
    ours, theirs = reconciled(a, 1), reconciled(b, 1)
    login_operator(client, tenants.operator)
    both = client.get("/platform/reconciliation", query_string=PERIOD).get_data(as_text=True)
    assert ours[0].number in both and theirs[0].number in both
    only_b = client.get(
        "/platform/reconciliation", query_string={**PERIOD, "tenant": b.tenant.id}
    ).get_data(as_text=True)
    assert theirs[0].number in only_b and ours[0].number not in only_b
    listed = client.get(
        "/platform/reconciliation/mismatches", query_string={**PERIOD, "tenant": a.tenant.id}
    ).get_data(as_text=True)
    assert ours[-1].number in listed and theirs[-1].number not in listed
    export = client.get(
        "/platform/reconciliation/export.csv", query_string={**PERIOD, "tenant": b.tenant.id}
    )
    text = export.data.decode("utf-8-sig")
    assert theirs[0].number in text and ours[0].number not in text


def test_the_first_and_last_calendar_days_are_periods_like_any_other(client, tenants):
    a = tenants.a
    orders = reconciled(a, 1)
    login_staff(client, a.owner)
    widest = {"from": "0001-01-01", "to": "9999-12-31"}
    for url in (
        "/admin/reconciliation",
        "/admin/reconciliation/mismatches",
        "/admin/reconciliation/export.csv",
    ):
        response = client.get(url, query_string=widest)
        assert response.status_code == 200
        assert orders[-1].number in response.get_data(as_text=True)  # paid 800: a mismatch
    ran = client.post("/admin/reconciliation/run", data=widest, follow_redirects=True, headers=EN)
    assert "Reconciled: 2 orders" in ran.get_data(as_text=True)


def test_a_stale_page_cannot_write_over_a_resolution(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        mismatch_id = scenario.mismatch(a)
    login_staff(client, a.owner)
    url = f"/admin/reconciliation/mismatches/{mismatch_id}/resolve"
    client.post(url, data={"note": "Settled by hand"})
    again = client.post(url, data={"note": "Written over"}, follow_redirects=True, headers=EN)
    assert "already resolved" in again.get_data(as_text=True)
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        assert db.session.get(ReconMismatch, mismatch_id).note == "Settled by hand"
