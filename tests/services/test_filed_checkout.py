"""Only approved product filings are sold cross-border (seed 000 step 2(1), issue 13): the
checkout service refuses a tax product whose filing waits for review, needs changes or was
rejected, and sells it once the operator approves the filing."""

import uuid
from datetime import UTC, datetime

import pytest

from storefront.domain.errors import ErrorCode
from storefront.domain.reviews import ReviewAction
from storefront.services import reviews
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.customs_filings import PRODUCT_KIND
from storefront.tenancy import tenant_context
from tests.support import factories

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("state", ["submitted", "needs_changes", "rejected"])
def test_a_filing_not_approved_is_not_sold_until_the_operator_approves_it(app, tenants, state):
    a = tenants.a
    with app.test_request_context(), tenant_context(a.tenant.id):
        product = factories.product(
            a.supplier, "99.00", a.template, "cross_border_retail", filed=False
        )
        filing = factories.product_filing(product, review_state=state)
        request = PlacementRequest(
            items={product.id: 1},
            identity_id=a.identity.id,
            address_id=a.address.id,
            token=uuid.uuid4().hex,
            expected_total=None,
        )
        with pytest.raises(CheckoutRefused) as refused:
            place_order(a.tenant, a.shopper, request, NOW)
        assert refused.value.code == ErrorCode.NOT_FILED
        if state != "submitted":  # the merchant corrects it and sends it again
            reviews.submit(PRODUCT_KIND, filing, a.owner.email, "staff")
    version = filing.review_version
    reviews.decide(PRODUCT_KIND, filing.id, ReviewAction.APPROVE, "", "operator@x", version)
    with app.test_request_context(), tenant_context(a.tenant.id):
        assert place_order(a.tenant, a.shopper, request, NOW).orders
