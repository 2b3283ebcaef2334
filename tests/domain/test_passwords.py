"""Password rules: minimum length and the list of common passwords."""

import pytest

from storefront.domain.passwords import PasswordProblem, password_problems


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("12345678", [PasswordProblem.TOO_COMMON]),
        ("Password1", [PasswordProblem.TOO_COMMON]),
        ("aaaaaaaaaaaa", [PasswordProblem.TOO_COMMON]),
        ("1234567", [PasswordProblem.TOO_SHORT, PasswordProblem.TOO_COMMON]),
        ("short", [PasswordProblem.TOO_SHORT]),
        ("correct horse battery", []),
        ("long enough", []),
    ],
)
def test_password_problems(password, problems):
    assert password_problems(password) == problems
