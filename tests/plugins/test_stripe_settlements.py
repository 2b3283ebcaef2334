"""The provider's balance records through the official library, from the local server."""

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
import stripe

from plugins.stripe_payments import StripePayments
from plugins.stripe_payments.provider import settlement_from_dict
from storefront.ports import ProviderUnavailable, Settlement
from tests.plugins.test_stripe_payments import paid_by_card, slip
from tests.support.localstripe import approve_wallet
from tests.support.servers import free_port


def period(minutes=5):
    now = datetime.now(UTC)
    return now - timedelta(minutes=minutes), now + timedelta(minutes=1)


def of(settlements, reference) -> list[Settlement]:
    return sorted(
        (s for s in settlements if s.payment_reference == reference), key=lambda s: s.amount
    )


def test_card_and_wallet_payments_and_refunds_are_listed_with_their_intent(
    stripe_provider, stripe_server
):
    start, end = period()
    card, _, _ = paid_by_card(stripe_provider, stripe_server, key="settle-card")
    stripe_provider.refund(card.reference, D("234.56"), "settle-card-r")
    wallet = stripe_provider.create_payment(slip("alipay", amount="88.00", key="settle-wallet"))
    approve_wallet(stripe_server, wallet.reference)
    stripe_provider.refund(wallet.reference, D("8.00"), "settle-wallet-r")
    found = stripe_provider.settlements(start, end)
    assert len({s.transaction_id for s in found}) == len(found)
    refund, charge = of(found, card.reference)
    assert (charge.type, charge.amount, charge.fee, charge.net) == (
        "charge",
        D("1234.56"),
        D("0.00"),
        D("1234.56"),
    )
    assert charge.source == stripe_provider.retrieve(card.reference).serial_number
    assert charge.currency == "CNY" and charge.transaction_id.startswith("txn_")
    assert start <= charge.created <= end and charge.created.tzinfo is not None
    assert (refund.type, refund.amount, refund.net) == ("refund", D("-234.56"), D("-234.56"))
    assert refund.source.startswith("re_")
    wallet_refund, wallet_charge = of(found, wallet.reference)
    assert (wallet_charge.type, wallet_charge.amount) == ("charge", D("88.00"))
    assert (wallet_refund.type, wallet_refund.amount) == ("refund", D("-8.00"))
    assert stripe_provider.settlements(end, end + timedelta(minutes=1)) == ()


def test_the_local_server_pages_and_filters_as_stripe_does(stripe_provider, stripe_server):
    start, end = period()
    for n in range(3):
        paid_by_card(stripe_provider, stripe_server, key=f"settle-page-{n}")
    transactions = stripe_provider.client.balance_transactions
    created = {"gte": int(start.timestamp()), "lte": int(end.timestamp())}
    everything = [
        t.id
        for t in transactions.list(params={"created": created, "limit": 100}).auto_paging_iter()
    ]
    assert len(everything) >= 3 and len(set(everything)) == len(everything)
    first = transactions.list(params={"created": created, "limit": 2})
    assert first.object == "list" and first.has_more and len(first.data) == 2
    assert first.url == "/v1/balance_transactions"
    item = first.data[0]
    assert item.object == "balance_transaction" and isinstance(item.amount, int)
    assert item.currency == "cny" and item.status == "available"
    assert isinstance(item.source, str)  # an id unless expanded
    rest = transactions.list(params={"created": created, "starting_after": first.data[-1].id})
    pages = [t.id for t in first.data] + [t.id for t in rest.data]
    assert pages == everything[: len(pages)]
    one_by_one = transactions.list(params={"created": created, "limit": 1})
    assert [t.id for t in one_by_one.auto_paging_iter()] == everything
    created_times = [t.created for t in transactions.list(params={"created": created}).data]
    assert created_times == sorted(created_times, reverse=True)  # newest first
    later = {"gt": int(end.timestamp())}
    assert transactions.list(params={"created": later}).data == []
    refunds = transactions.list(params={"created": created, "type": "refund", "limit": 100})
    assert all(t.type == "refund" for t in refunds.data)


def test_one_record_is_retrieved_with_its_source(stripe_provider, stripe_server):
    card, _, _ = paid_by_card(stripe_provider, stripe_server, key="settle-one")
    (charge,) = of(stripe_provider.settlements(*period()), card.reference)
    transactions = stripe_provider.client.balance_transactions
    one = transactions.retrieve(charge.transaction_id, params={"expand": ["source"]})
    assert one.source.payment_intent == card.reference
    with pytest.raises(Exception, match="No such balance transaction"):
        transactions.retrieve("txn_missing")


def test_the_records_need_the_secret_key(stripe_server):
    request = urllib.request.Request(f"{stripe_server}/v1/balance_transactions")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - loopback
    refused.value.close()
    assert refused.value.code == 401


def test_a_bad_page_size_is_refused_and_an_unreachable_server_is_unavailable(stripe_provider):
    with pytest.raises(stripe.InvalidRequestError, match="between 1 and 100"):
        stripe_provider.client.balance_transactions.list(params={"limit": 500})
    offline = StripePayments("sk_test_local", "whsec", api_base=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderUnavailable):
        offline.settlements(*period())


@pytest.mark.parametrize(
    ("txn", "expected"),
    [
        (
            {
                "id": "txn_1",
                "type": "charge",
                "amount": 10000,
                "fee": 340,
                "net": 9660,
                "currency": "cny",
                "created": 1767225600,
                "available_on": 1767398400,
                "source": {"id": "ch_1", "object": "charge", "payment_intent": "pi_1"},
            },
            ("ch_1", "pi_1", "100.00", "3.40", "96.60", None, "2026-01-03"),
        ),
        (
            {
                "id": "txn_2",
                "type": "refund",
                "amount": -2000,
                "fee": 0,
                "net": -2000,
                "currency": "cny",
                "created": 1767225600,
                "available_on": None,
                "source": {"id": "re_1", "payment_intent": {"id": "pi_1"}},
            },
            ("re_1", "pi_1", "-20.00", "0.00", "-20.00", None, None),
        ),
        (
            {
                "id": "txn_3",
                "type": "payout",
                "amount": -9660,
                "fee": 0,
                "net": -9660,
                "currency": "cny",
                "created": 1767225600,
                "available_on": 1767225600,
                "source": "po_1",
            },
            ("po_1", None, "-96.60", "0.00", "-96.60", "po_1", "2026-01-01"),
        ),
    ],
)
def test_a_balance_transaction_maps_to_a_settlement(txn, expected):
    found = settlement_from_dict(txn)
    source, reference, amount, fee, net, payout, available = expected
    assert (found.source, found.payment_reference, found.payout_id) == (source, reference, payout)
    assert (found.amount, found.fee, found.net) == (D(amount), D(fee), D(net))
    assert found.created == datetime(2026, 1, 1, tzinfo=UTC)
    assert (found.available_on and found.available_on.date().isoformat()) == available
    assert found.currency == "CNY" and found.transaction_id == txn["id"]
