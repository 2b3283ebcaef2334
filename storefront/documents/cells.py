"""What every spreadsheet export writes into a cell."""

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (CSV injection, OWASP): shoppers and merchants type names, so text cells are defused.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return text that a spreadsheet shows as text; numbers and dates unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
