from storefront.domain.secrets import mask_secret


def test_a_secret_shows_at_most_its_last_four_characters():
    assert mask_secret("whsec_abcdefghijklmnop1234") == "••••1234"
    assert mask_secret("sk_test_abc") == "••••"  # short: nothing of it
    assert mask_secret("") == "••••"
