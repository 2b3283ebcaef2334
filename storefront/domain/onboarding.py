"""A merchant's application (seed 000 step 1, SPEC §9): its credit code and its store's address.

The unified social credit code (统一社会信用代码) follows GB 32100-2015: 18 characters from a
31-character alphabet (no I, O, S, V, Z), the administrative division code in positions 3-8,
and a check character over the first 17 with weights 3^i mod 31.
"""

import re
import unicodedata

from storefront.domain.errors import ErrorCode

# GB 32100-2015 §4.2: the code alphabet, in the order of the values 0..30.
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_VALUES = {char: value for value, char in enumerate(CODE_ALPHABET)}
CODE_LENGTH = 18
# GB 32100-2015 §5: the weight of position i (from 0) is 3^i mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(CODE_LENGTH - 1))
DIVISION = slice(2, 8)  # positions 3-8: the administrative division code, digits only

SLUG_MIN, SLUG_MAX = 3, 40
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# First path segments of the site's own areas and files, and names people would take for the
# platform's: a store called one of them would look like the platform speaking.
RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "apply", "console", "embed", "embed-js", "join", "login", "logout",
        "outbox", "platform", "register", "s", "signup", "static", "store", "stores",
        "support", "webhooks", "www", "help", "kuajing", "mail", "operator", "root", "system",
    }
)  # fmt: skip


def normalise_credit_code(code: str) -> str:
    """Return the code as stored: full-width forms folded (NFKC), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", code or "").split()).upper()


def check_character(first17: str) -> str:
    """Return the GB 32100-2015 check character of the first 17 characters of a code."""
    total = sum(CODE_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problems(code: str) -> list[ErrorCode]:
    """Return why a (normalised) unified social credit code is not valid; empty when it is."""
    if len(code) != CODE_LENGTH:
        return [ErrorCode.CREDIT_CODE_LENGTH]
    problems = []
    if any(char not in CODE_VALUES for char in code):
        problems.append(ErrorCode.CREDIT_CODE_CHARACTERS)
    elif not code[DIVISION].isdigit():
        problems.append(ErrorCode.CREDIT_CODE_DIVISION)
    elif check_character(code[:-1]) != code[-1]:
        problems.append(ErrorCode.CREDIT_CODE_CHECK)
    return problems


def normalise_slug(slug: str) -> str:
    """Return a store address as stored: trimmed and lower case."""
    return (slug or "").strip().lower()


def slug_problems(slug: str) -> list[ErrorCode]:
    """Return why a (normalised) store address cannot be used; empty when it can."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX or not _SLUG.match(slug):
        return [ErrorCode.SLUG_INVALID]
    if slug in RESERVED_SLUGS:
        return [ErrorCode.SLUG_RESERVED]
    return []


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 characters of a phone number (PIPL: masked on screen)."""
    phone = (phone or "").strip()
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
