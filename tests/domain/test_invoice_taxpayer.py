"""The unified social credit code (GB 32100-2015) of sellers and enterprise buyers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storefront.domain.invoices.taxpayer import (
    CHARSET,
    TaxIdProblem,
    check_character,
    is_valid_tax_id,
    normalise_tax_id,
    tax_id_problem,
)

# Codes published by the enterprises themselves (business licences on their sites).
PUBLISHED = ("91350100M000100Y43", "9144030071526726XG", "91110108551385082Q")


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code):
    assert tax_id_problem(code) is None and is_valid_tax_id(code)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("91350100M000100Y4", TaxIdProblem.LENGTH),
        ("91350100M000100Y433", TaxIdProblem.LENGTH),
        ("", TaxIdProblem.LENGTH),
        ("91350100M000100I43", TaxIdProblem.CHARACTERS),  # I is not in the code's set
        ("91350100M00010OY43", TaxIdProblem.CHARACTERS),  # nor O
        ("913501A0M000100Y43", TaxIdProblem.DIVISION),
        ("91350100M000100Y44", TaxIdProblem.CHECK),
        ("9144030071526726XH", TaxIdProblem.CHECK),
        ("91110108551385082R", TaxIdProblem.CHECK),
    ],
)
def test_each_problem_is_named(text, problem):
    assert tax_id_problem(text) == problem
    assert not is_valid_tax_id(text)


def test_full_width_lower_case_and_spaces_are_normalised():
    written = "９１３５０１００m０００１００y４３"
    assert normalise_tax_id(written) == PUBLISHED[0]
    assert is_valid_tax_id(" 9144 0300 7152 6726 xg ")


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17), st.sampled_from(CHARSET))
def test_exactly_one_check_character_fits_any_17(first17, last):
    code = first17[:2] + "310115" + first17[8:] + last
    valid = last == check_character(code[:17])
    assert is_valid_tax_id(code) == valid


@given(st.integers(min_value=0, max_value=16), st.sampled_from(CHARSET))
def test_a_single_changed_character_is_caught(position, replacement):
    code = PUBLISHED[1]
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code and changed[2:8].isdigit():
        assert tax_id_problem(changed) == TaxIdProblem.CHECK
