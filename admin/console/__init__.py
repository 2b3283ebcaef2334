"""The merchant console: every request runs as the signed-in staff member's tenant."""

from flask import Blueprint

from admin.access import guard_console

bp = Blueprint("console", __name__, url_prefix="/admin", template_folder="../templates")
guard_console(bp)

from admin.console import (  # noqa: E402, F401 - routes register on import
    api_keys,
    area_reports,
    auth,
    catalog,
    customs,
    dashboard,
    embedding,
    filings,
    hooks,
    integrations,
    invoice_settings,
    invoices,
    opening,
    orders,
    reconciliation,
    staff,
    tax,
)
