"""The customs code tables shipped with the package, as look-ups (spec §7, S1 tables 3-x).

The CSVs are read once, on first use, never at import time.
"""

import csv
from functools import cache
from importlib import resources


@cache
def _table(name: str, key: str, value: str) -> dict[str, str]:
    text = resources.files("storefront.customs").joinpath("codes", name).read_text("utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        # Table 7-2 lists -621027 and -625022 twice (README "codes/"): keep the first wording.
        table.setdefault(row[key].strip(), row[value].strip())
    return table


def return_status_text(status: str) -> str | None:
    """Return the Chinese meaning of a receipt's returnStatus, e.g. "2" -> 电子口岸申报中."""
    text = status.strip()
    statuses = _table("return_status.csv", "code", "meaning_zh")
    if text.startswith("-") and text[1:].isdigit():
        return statuses.get("<0")  # every negative status is a processing exception (NOTES §4)
    return statuses.get(text)


def error_text(code: str) -> str | None:
    """Return the Chinese text of a business error code (table 7-2, e.g. "-621018")."""
    return _table("ceb_error_codes.csv", "code", "message_zh").get(code.strip())


def dxp_error_text(code: str) -> str | None:
    """Return the Chinese text of a data-exchange platform error code (table 7-1, e.g. "0002")."""
    return _table("dxp_error_codes.csv", "code", "message_zh").get(code.strip())
