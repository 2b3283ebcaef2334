"""Taxpayer numbers on invoices: the unified social credit code (GB 32100-2015).

A seller's tax register number and an enterprise buyer's tax ID are the 18-character
unified social credit code (统一社会信用代码): registration authority (1), organisation type
(1), administrative division (6 digits), organisation code (9) and a check character
computed modulo 31 over the first 17 (GB 32100-2015 §4-§5).
"""

import unicodedata
from enum import StrEnum

# GB 32100 §4: the code's 31 characters (no I, O, S, V, Z, which read like digits).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100 §5: weight of position i (1-based) is 3^(i-1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


class TaxIdProblem(StrEnum):
    LENGTH = "length"  # not 18 characters
    CHARACTERS = "characters"  # a character outside the code's 31
    DIVISION = "division"  # positions 3-8 are the 6-digit administrative division code
    CHECK = "check"  # the 18th character is not the check character of the first 17


def normalise_tax_id(text: str) -> str:
    """Return the code as written everywhere: NFKC (full-width to ASCII), no spaces, upper."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def check_character(first17: str) -> str:
    """Return the GB 32100 check character of the first 17 characters."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def tax_id_problem(text: str) -> TaxIdProblem | None:
    """Say what is wrong with the code (after normalising), or None when it is valid."""
    code = normalise_tax_id(text)
    if len(code) != 18:
        return TaxIdProblem.LENGTH
    if any(c not in CHARSET for c in code):
        return TaxIdProblem.CHARACTERS
    if not code[2:8].isdigit():
        return TaxIdProblem.DIVISION
    if check_character(code[:17]) != code[17]:
        return TaxIdProblem.CHECK
    return None


def is_valid_tax_id(text: str) -> bool:
    """Say whether the text is a valid unified social credit code."""
    return tax_id_problem(text) is None
