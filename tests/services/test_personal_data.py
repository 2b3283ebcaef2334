"""ID numbers: one person has one number however it is written; stored only encrypted."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import text

from storefront.extensions import db
from storefront.services import quota, shoppers
from storefront.services.checkout import CheckoutRefused, PlacementRequest, place_order
from storefront.services.key_rotation import encrypted_columns
from storefront.tenancy import system_context, tenant_context
from tests.support import factories
from tests.support.factories import VALID_IDS

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
WIDE = VALID_IDS[0][:5] + "５" + VALID_IDS[0][6:]  # one full-width digit: 11010５...
IDENTITY_VALUES = {"real_name": "张三", "phone": "13800138000"}


def test_a_full_width_digit_cannot_open_a_fresh_quota(app, tenants):
    a, b = tenants.a, tenants.b
    with app.test_request_context():
        with tenant_context(a.tenant.id):
            # store A has used 19,500.00 of this person's 20,000.00 annual limit
            person = quota.person_hash(a.identity.id_number)
            quota.lock_person(person)
            quota.reserve(person, a.order, D("19500.00"), D("0.00"), NOW)
        with tenant_context(b.tenant.id):
            # the same person, as a new shopper of store B, writes one digit full-width
            buyer = factories.shopper()
            identity = shoppers.add_identity(buyer, {**IDENTITY_VALUES, "id_number": WIDE})
            assert identity.id_number == VALID_IDS[0]
            free = factories.template("0", "0", "0", "0")
            product = factories.product(b.supplier, "1000.00", free, "cross_border_retail")
            request = PlacementRequest(
                items={product.id: 1},
                identity_id=identity.id,
                address_id=factories.address(buyer).id,
                token=uuid.uuid4().hex,
                expected_total=None,
            )
            db.session.commit()  # the refusal rolls the session back (into the test's transaction)
            with pytest.raises(CheckoutRefused) as refused:
                place_order(b.tenant, buyer, request, NOW)
    assert refused.value.code == "limit_exceeded"


def test_the_same_number_written_differently_is_a_duplicate(app, tenants):
    a = tenants.a
    duplicate = pytest.raises(shoppers.DuplicateIdentity)
    with app.test_request_context(), tenant_context(a.tenant.id), duplicate:
        shoppers.add_identity(a.shopper, {**IDENTITY_VALUES, "id_number": WIDE})


def test_the_service_refuses_an_invalid_number_whoever_calls_it(app, tenants):
    a = tenants.a
    invalid = {**IDENTITY_VALUES, "id_number": "110105194912310021"}
    with app.test_request_context(), tenant_context(a.tenant.id), pytest.raises(ValueError):
        shoppers.add_identity(a.shopper, invalid)


def test_id_numbers_are_stored_encrypted_with_a_keyed_hash_beside(session, tenants):
    a = tenants.a
    with system_context():  # the stored text itself, past the column type
        _assert_stored_encrypted(session, a)


def _assert_stored_encrypted(session, a) -> None:
    identity_row = session.execute(
        text("SELECT id_number, id_number_hash FROM buyer_identities WHERE id = :id"),
        {"id": a.identity.id},
    ).one()
    order_row = session.execute(
        text("SELECT buyer_id_number, buyer_id_hash FROM orders WHERE id = :id"),
        {"id": a.order.id},
    ).one()
    for stored, keyed_hash in (identity_row, order_row):
        assert VALID_IDS[0] not in stored and VALID_IDS[0][:17] not in stored
        assert keyed_hash == quota.person_hash(VALID_IDS[0])
    assert a.identity.id_number == VALID_IDS[0]  # plain in Python
    assert a.identity.masked_id == "110***********002X"


def test_key_rotation_covers_the_id_number_columns():
    names = {(table.name, column) for table, column in encrypted_columns()}
    assert {("buyer_identities", "id_number"), ("orders", "buyer_id_number")} <= names
