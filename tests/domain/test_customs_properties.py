"""Any valid order makes four schema-valid messages that pass every consistency rule."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from storefront.customs.inspection import inspect_files
from storefront.customs.schema import schema_problems
from storefront.domain.customs.consistency import check_declaration
from storefront.domain.customs.declarations import Consignee, OrderDeclaration, Person
from storefront.domain.identity import check_char
from tests.domain.test_customs_messages import all_messages
from tests.support.declarations import make_declaration, make_head, make_line

# Chinese, Latin, digits and XML markup characters: the writer must escape what needs it.
TEXT = st.text(
    alphabet=st.sampled_from("张三李四上海北京路号面霜ABCxyz019-&<>\"' "), min_size=1, max_size=30
).filter(lambda value: value.strip() == value)
MONEY = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)
WEIGHT = st.decimals(min_value=D("0.001"), max_value=50, places=3, allow_nan=False)


@st.composite
def id_numbers(draw) -> str:
    born = draw(st.dates(min_value=date(1930, 1, 1), max_value=date(2006, 12, 31)))
    first17 = f"{draw(st.integers(110000, 659999))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + check_char(first17)


@st.composite
def declarations(draw) -> OrderDeclaration:
    prices = draw(st.lists(MONEY, min_size=1, max_size=5))
    lines = tuple(
        make_line(n, price=str(price), quantity=draw(st.integers(1, 9)), name=draw(TEXT))
        for n, price in enumerate(prices, start=1)
    )
    goods = sum((line.amount for line in lines), D("0.00"))
    freight, tax = draw(MONEY), draw(MONEY)
    discount = draw(st.decimals(min_value=0, max_value=goods, places=2, allow_nan=False))
    paid = goods + freight + tax - discount
    buyer = Person(
        draw(TEXT), draw(id_numbers()), draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
    )
    net = draw(WEIGHT)
    base = make_declaration(draw(st.sampled_from(["1210", "9610"])))
    return dataclasses.replace(
        base,
        order_no=draw(st.from_regex(r"[A-Z]{2}[0-9]{6,20}", fullmatch=True)),
        buyer=buyer,
        consignee=Consignee(draw(TEXT), buyer.phone, draw(TEXT)),
        lines=lines,
        goods_value=goods,
        freight=freight,
        discount=discount,
        tax_total=tax,
        actual_paid=paid,
        insured_fee=draw(MONEY),
        payment=dataclasses.replace(base.payment, amount=paid, payer=buyer),
        gross_weight=net + draw(st.decimals(min_value=0, max_value=5, places=3, allow_nan=False)),
        net_weight=net,
    )


EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
heads = st.builds(
    lambda guid, seconds: make_head(
        guid=str(guid).upper(), app_time=EPOCH + timedelta(seconds=seconds)
    ),
    st.uuids(),
    st.integers(0, 10**9),
)


@settings(max_examples=60, deadline=None)
@given(declaration=declarations(), head=heads)
def test_valid_orders_make_valid_consistent_messages(declaration, head):
    assert check_declaration(declaration, head) == ()
    messages = all_messages(declaration, head)
    for xml in messages.values():
        assert schema_problems(xml) == []
    assert inspect_files([(f"CEB{kind}.xml", xml) for kind, xml in messages.items()]) == []


@settings(max_examples=30, deadline=None)
@given(declaration=declarations(), head=heads, extra=st.integers(1, 500))
def test_a_changed_payment_amount_is_always_caught(declaration, head, extra):
    payment = dataclasses.replace(declaration.payment, amount=declaration.actual_paid + extra)
    changed = dataclasses.replace(declaration, payment=payment)
    assert {p.field for p in check_declaration(changed, head)} == {"amountPaid"}


@settings(max_examples=30, deadline=None)
@given(declaration=declarations(), head=heads, later=st.integers(1, 10**6))
def test_a_resend_later_by_a_second_or_more_is_accepted(declaration, head, later):
    resend = dataclasses.replace(
        head, app_type="2", app_time=head.app_time + timedelta(seconds=later)
    )
    assert check_declaration(declaration, resend, previous_app_time=head.app_time) == ()
