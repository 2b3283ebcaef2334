"""The PRC resident identity number (GB 11643-1999): 17 digits and an ISO 7064 check char."""

import unicodedata
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class InvalidIdNumber(ValueError):
    """The text is not a valid resident identity number."""


def check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise_prc_id(text: str) -> str:
    """Return the text as one person's number is written everywhere: NFKC, no spaces, X.

    Full-width digits (３１０...) and spaces are how one person would otherwise get a second
    ledger entry, and with it a fresh annual limit.
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def validate_prc_id(text: str) -> str:
    """Return the normalised number (ASCII digits, upper-case X) or raise InvalidIdNumber."""
    number = normalise_prc_id(text)
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise InvalidIdNumber("an ID number has 17 digits and a digit or X")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise InvalidIdNumber("the birth date in the ID number does not exist") from error
    if int(number[6:10]) < 1900:
        raise InvalidIdNumber("the birth date in the ID number is implausible")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("the check digit of the ID number is wrong")
    return number


def is_valid_prc_id(text: str) -> bool:
    try:
        validate_prc_id(text)
    except InvalidIdNumber:
        return False
    return True


def mask_prc_id(number: str) -> str:
    """Keep the first 3 and last 4 characters."""
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"
