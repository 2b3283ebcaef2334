"""Errors that services raise for the web layers to map (404, 409, form errors)."""


class NotFound(LookupError):
    """The row does not exist for the current tenant (or the current shopper)."""


class Conflict(Exception):
    """The change clashes with existing data (a unique name, a row in use)."""
