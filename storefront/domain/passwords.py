"""Password rules: a minimum length and no password from the lists attackers try first."""

from enum import StrEnum

MIN_LENGTH = 8

# The most used passwords of public breach lists (NCSC top 100k, SecLists); an attacker's
# first guesses, so refused whatever the length rule says.
COMMON_PASSWORDS = frozenset(
    """
    123456 123456789 12345678 1234567890 12345 1234567 123123 111111 000000 1111111
    11111111 00000000 88888888 66666666 12341234 87654321 11223344 147258369 123321
    1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwerty qwerty123 qwertyuiop qweasdzxc asdfghjkl asdf1234
    zxcvbnm password password1 password123 passw0rd p@ssw0rd p@ssword admin123 admin1234
    administrator abc123456 abcd1234 abcdefgh iloveyou iloveyou1 woaini woaini1314
    woaini520 5201314 520520520 1314520 aaaaaaaa a1234567 a12345678 aa123456 qq123456
    princess sunshine football baseball welcome welcome1 letmein1 monkey123 dragon123
    trustno1 superman batman123 starwars whatever changeme computer internet
    michael1 shadow123 master123 qazwsxedc zaq12wsx 1qazxsw2 q1w2e3r4 q1w2e3r4t5
    secret123 test1234 testtest guest123 default1 welcome123 password12 password1234
    """.split()  # noqa: SIM905 - a word list reads better as words
)


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_COMMON = "too_common"


def password_problems(password: str) -> list[PasswordProblem]:
    """Return every rule the password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    folded = password.strip().casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2:
        problems.append(PasswordProblem.TOO_COMMON)
    return problems
