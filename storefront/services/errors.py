"""The lookup error services raise for the web layers to map to 404 (refusals: domain.errors)."""


class NotFound(LookupError):
    """The row does not exist for the current tenant (or the current shopper)."""
