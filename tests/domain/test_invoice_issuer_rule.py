"""Only an approved invoice issuer invoices, and a blue invoice only its approved products
(seed 000 step 2(2)): every review state, both kinds, listed and unlisted products."""

import pytest

from storefront.domain.errors import ErrorCode
from storefront.domain.invoices.issuer import issuing_refusal
from storefront.domain.reviews import ReviewState

S = ReviewState
LISTED = {1, 2}


@pytest.mark.parametrize(
    ("state", "kind", "products", "expected"),
    [
        (S.APPROVED, "blue", {1, 2}, None),
        (S.APPROVED, "blue", {1}, None),
        (S.APPROVED, "blue", {1, 3}, ErrorCode.PRODUCT_NOT_INVOICEABLE),
        (S.APPROVED, "red", {1, 3}, None),  # reverses a blue one already issued
        (S.DRAFT, "blue", {1}, ErrorCode.ISSUER_NOT_APPROVED),
        (S.SUBMITTED, "blue", {1}, ErrorCode.ISSUER_NOT_APPROVED),  # changed: back in review
        (S.NEEDS_CHANGES, "blue", {1}, ErrorCode.ISSUER_NOT_APPROVED),
        (S.REJECTED, "blue", {1}, ErrorCode.ISSUER_NOT_APPROVED),
        (S.SUBMITTED, "red", {1}, ErrorCode.ISSUER_NOT_APPROVED),
    ],
)
def test_who_may_issue(state, kind, products, expected):
    refused = issuing_refusal(state, kind, products, LISTED)
    assert (refused.code if refused else None) == expected
