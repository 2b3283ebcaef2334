"""A merchant application's credit code (GB 32100-2015) and store address rules."""

import pytest

from storefront.domain.errors import ErrorCode
from storefront.domain.onboarding import (
    WEIGHTS,
    check_character,
    credit_code_problems,
    mask_phone,
    normalise_credit_code,
    normalise_slug,
    slug_problems,
)

E = ErrorCode


def test_the_weights_are_powers_of_three_modulo_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("91350100M000100Y4", "3"),
        ("91110000802100433", "B"),
        ("91440300708461136", "T"),
        ("12100000400000624", "D"),
        # a sum that is a multiple of 31 gives the check character 0, not 31
        ("91310000000000011", "0"),
    ],
)
def test_the_check_character_is_computed_over_the_first_17(first17, check):
    assert check_character(first17) == check


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        ("91350100M000100Y43", []),
        ("91110000802100433B", []),
        ("913100000000000110", []),
        ("91350100m000100y43", []),  # lower case is read as upper case
        (" 9135 0100 M000 100Y43 ", []),  # spaces are dropped
        ("９１３５０１００Ｍ０００１００Ｙ４３", []),  # full-width forms are folded
        ("91350100M000100Y44", [E.CREDIT_CODE_CHECK]),
        ("91110000802100433A", [E.CREDIT_CODE_CHECK]),
        ("91350100M000100I43", [E.CREDIT_CODE_CHARACTERS]),
        ("91350100M000100O43", [E.CREDIT_CODE_CHARACTERS]),
        ("91350100M000100Z43", [E.CREDIT_CODE_CHARACTERS]),
        ("91350100M000100S43", [E.CREDIT_CODE_CHARACTERS]),
        ("91350100M000100V43", [E.CREDIT_CODE_CHARACTERS]),
        ("91350100M000100-43", [E.CREDIT_CODE_CHARACTERS]),
        ("913501A0M000100Y43", [E.CREDIT_CODE_DIVISION]),
        ("91350100M000100Y4", [E.CREDIT_CODE_LENGTH]),
        ("91350100M000100Y433", [E.CREDIT_CODE_LENGTH]),
        ("", [E.CREDIT_CODE_LENGTH]),
    ],
)
def test_credit_codes(raw, problems):
    assert credit_code_problems(normalise_credit_code(raw)) == problems


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        ("haitao-mall", []),
        ("abc", []),
        ("a" * 40, []),
        ("shop2025", []),
        ("  Haitao-Mall ", []),  # trimmed and lower-cased first
        ("ab", [E.SLUG_INVALID]),
        ("a" * 41, [E.SLUG_INVALID]),
        ("-haitao", [E.SLUG_INVALID]),
        ("haitao-", [E.SLUG_INVALID]),
        ("hai_tao", [E.SLUG_INVALID]),
        ("hai tao", [E.SLUG_INVALID]),
        ("海淘商城", [E.SLUG_INVALID]),
        ("../etc", [E.SLUG_INVALID]),
        ("api", [E.SLUG_RESERVED]),
        ("platform", [E.SLUG_RESERVED]),
        ("admin", [E.SLUG_RESERVED]),
        ("join", [E.SLUG_RESERVED]),
        ("static", [E.SLUG_RESERVED]),
        ("outbox", [E.SLUG_RESERVED]),
        ("webhooks", [E.SLUG_RESERVED]),
    ],
)
def test_store_addresses(raw, problems):
    assert slug_problems(normalise_slug(raw)) == problems


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13800138000", "138****8000"), ("+8613800138000", "+86*******8000"), ("1234567", "*******")],
)
def test_phones_are_masked(phone, masked):
    assert mask_phone(phone) == masked
