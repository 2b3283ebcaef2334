"""GB 11643-1999 resident ID numbers."""

import pytest

from storefront.domain.identity import (
    InvalidIdNumber,
    check_char,
    is_valid_prc_id,
    mask_prc_id,
    normalise_prc_id,
    validate_prc_id,
)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "11010519491231002x", "110101199003077731", "440308199901011234"],
)
def test_valid_numbers(number):
    assert validate_prc_id(number) == number.upper()


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491231002", "17 digits"),
        ("1101051949123100211", "17 digits"),
        ("11010519491331002X", "birth date"),
        ("A1010519491231002X", "17 digits"),
        ("110105180001010010", "birth date"),
    ],
)
def test_invalid_numbers_say_why(number, why):
    with pytest.raises(InvalidIdNumber, match=why):
        validate_prc_id(number)
    assert not is_valid_prc_id(number)


def test_check_char_follows_iso_7064_mod_11_2():
    assert check_char("11010519491231002") == "X"
    assert check_char("11010119900307773") == "1"


def test_mask_keeps_the_first_three_and_last_four():
    assert mask_prc_id("11010519491231002X") == "110***********002X"


@pytest.mark.parametrize(
    "written",
    [
        "１１０１０５１９４９１２３１００２ｘ",
        "110105 19491231 002x",
        "\u3000110105194912310０2X ",
        "11010519491231002ｘ",
    ],
)
def test_full_width_spaced_and_lower_case_numbers_normalise_to_one_number(written):
    assert normalise_prc_id(written) == "11010519491231002X"
    assert validate_prc_id(written) == "11010519491231002X"


def test_digits_of_other_scripts_are_not_an_id_number():
    arabic_indic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
    with pytest.raises(InvalidIdNumber, match="17 digits"):
        validate_prc_id(arabic_indic)
