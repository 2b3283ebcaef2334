"""Showing secrets: never in full, only enough to recognise which one is stored."""

MASK = "••••"
SHOWN_TAIL = 4
# Shorter secrets would give away too large a share of themselves.
MIN_LENGTH_TO_SHOW_TAIL = 12


def mask_secret(value: str) -> str:
    """Return the secret masked: its last four characters at most, or nothing when short."""
    if len(value) < MIN_LENGTH_TO_SHOW_TAIL:
        return MASK
    return MASK + value[-SHOWN_TAIL:]
