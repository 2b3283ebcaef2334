"""One refusal exception with one code catalogue: codes compare as strings, travel intact."""

import pytest

from storefront.domain.errors import ErrorCode, Refused, provider_code
from storefront.tenancy import tenant_context


def test_a_refusal_raised_inside_a_with_block_reaches_the_caller_intact():
    with pytest.raises(Refused) as caught, tenant_context(1):
        raise Refused(ErrorCode.CARD_DECLINED, "Your card was declined.")
    refusal = caught.value
    assert (refusal.code, refusal.message) == (ErrorCode.CARD_DECLINED, "Your card was declined.")
    assert refusal.__traceback__ is not None


def test_codes_compare_and_print_as_their_strings():
    assert ErrorCode.EMPTY_CART == "empty_cart"
    assert f"{ErrorCode.EMPTY_CART}" == "empty_cart"


@pytest.mark.parametrize(
    ("port_code", "code"),
    [
        ("card_declined", ErrorCode.CARD_DECLINED),
        ("unavailable", ErrorCode.UNAVAILABLE),
        ("something_new_at_the_provider", ErrorCode.PROVIDER_ERROR),
    ],
)
def test_a_port_code_maps_to_ours_or_to_a_provider_error(port_code, code):
    assert provider_code(port_code) is code
