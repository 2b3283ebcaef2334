"""Who may issue an invoice (seed 000 step 2(2), issue 13): only an invoice issuer the platform
operator approved, and only for the products on its approved list."""

from collections.abc import Iterable

from storefront.domain.errors import ErrorCode, Refused
from storefront.domain.reviews import ReviewState


def issuing_refusal(
    review_state: str, kind: str, product_ids: Iterable[int], approved_ids: Iterable[int]
) -> Refused | None:
    """Return why the issuer may not issue this invoice now, or None when it may.

    A red invoice only reverses a blue one already issued for approved products, so its
    products are not checked again; the issuer must still be approved (it issues the red one).
    """
    if review_state != ReviewState.APPROVED:
        return Refused(ErrorCode.ISSUER_NOT_APPROVED, f"issuer is {review_state}")
    if kind != "blue":
        return None
    unlisted = sorted(set(product_ids) - set(approved_ids))
    if unlisted:
        return Refused(ErrorCode.PRODUCT_NOT_INVOICEABLE, f"products {unlisted} not approved")
    return None
