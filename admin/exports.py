"""CSV and XLSX exports of console lists (streamed in pages, money as numbers)."""

import csv
import io

from flask import Response
from flask_babel import get_timezone, to_user_timezone
from flask_babel import gettext as _
from openpyxl import Workbook

from storefront.documents.cells import spreadsheet_safe
from storefront.extensions import db
from storefront.i18n import status_label, tax_tag_label


def order_columns():
    """Return the order export's columns: (title, getter of one order)."""
    # the store's time zone, as on every page; the header names it, each value has its offset
    zone = str(get_timezone())
    return [
        (_("Order number"), lambda o: o.number),
        (
            _("Placed at (%(zone)s)", zone=zone),
            lambda o: to_user_timezone(o.placed_at).isoformat(timespec="seconds"),
        ),
        (_("Status"), lambda o: status_label(o.status)),
        (_("Tax tag"), lambda o: tax_tag_label(o.tax_tag)),
        (_("Buyer"), lambda o: o.buyer_name),
        (_("Consignee"), lambda o: o.consignee),
        (_("Goods"), lambda o: o.goods_total),
        (_("Freight"), lambda o: o.freight),
        (_("Tax due"), lambda o: o.tax_due),
        (_("Total"), lambda o: o.total),
        (_("Refunded"), lambda o: o.refunded),
        (_("Carrier"), lambda o: o.carrier or ""),
        (_("Tracking number"), lambda o: o.tracking_number or ""),
    ]


def export_response(statement, fmt: str, columns=None, name: str = "orders") -> Response:
    """Return every row of the statement as a CSV or XLSX download named `name`, one column
    per (title, getter) pair (the order export's columns unless others are given)."""
    columns = columns if columns is not None else order_columns()
    rows = (
        [spreadsheet_safe(getter(row)) for _title, getter in columns]
        for row in db.session.scalars(statement.execution_options(yield_per=500))
    )
    header = [title for title, _getter in columns]
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly with a BOM
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([str(value) for value in row] for row in rows)
        return _download(buffer.getvalue().encode(), "text/csv; charset=utf-8", f"{name}.csv")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(out.getvalue(), xlsx, f"{name}.xlsx")


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
