"""Addresses and buyer identities through the API: the shop's forms check them, ID numbers
are answered masked only, and one shopper never reaches another's."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import BuyerIdentity
from storefront.tenancy import tenant_context
from tests.api.helpers import bearer, shopper_token
from tests.support import factories

ADDRESS = {
    "consignee": "李四",
    "phone": "13912345678",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "detail": "文三路 1 号",
    "postcode": "310000",
}
FULL_WIDTH_ID = "１１０１０１ １９９００３０７７７３１"  # VALID_IDS[1], typed on a phone keyboard


def _signed_in(client, store):
    return f"/api/v1/stores/{store.tenant.slug}", bearer(
        shopper_token(client, store.tenant, store.shopper)
    )


def test_an_address_is_added_listed_changed_and_removed(client, tenants):
    base, auth = _signed_in(client, tenants.a)
    created = client.post(f"{base}/addresses", json=ADDRESS, headers=auth)
    assert created.status_code == 201, created.get_json()
    address = created.get_json()
    assert address["one_line"] == "浙江省杭州市西湖区文三路 1 号"
    listed = client.get(f"{base}/addresses", headers=auth).get_json()
    assert [item["id"] for item in listed["items"]] == [address["id"], tenants.a.address.id]
    changed = client.patch(
        f"{base}/addresses/{address['id']}", json={"city": "宁波市"}, headers=auth
    )
    assert changed.status_code == 200
    assert changed.get_json()["city"] == "宁波市" and changed.get_json()["phone"] == "13912345678"
    assert client.delete(f"{base}/addresses/{address['id']}", headers=auth).status_code == 204
    gone = client.patch(f"{base}/addresses/{address['id']}", json={"city": "x"}, headers=auth)
    assert gone.status_code == 404


def test_an_address_is_checked_as_the_shop_form_checks_it(client, tenants):
    base, auth = _signed_in(client, tenants.a)
    wrong = dict(ADDRESS, phone="12345", postcode="31000", consignee="")
    response = client.post(f"{base}/addresses", json=wrong, headers=auth)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert set(error["fields"]) == {"phone", "postcode", "consignee"}
    assert "手机号" in error["fields"]["phone"]  # Chinese by default
    english = client.post(
        f"{base}/addresses", json=wrong, headers=auth | {"Accept-Language": "en"}
    ).get_json()["error"]
    assert english["fields"]["postcode"] == "A postcode has 6 digits."
    address_id = tenants.a.address.id
    patched = client.patch(f"{base}/addresses/{address_id}", json={"phone": "1"}, headers=auth)
    assert patched.status_code == 422 and set(patched.get_json()["error"]["fields"]) == {"phone"}
    with tenant_context(tenants.a.tenant.id):
        db.session.refresh(tenants.a.address)
        assert tenants.a.address.phone == "13800138000"  # a refused change changes nothing


def test_an_identity_is_normalised_checked_and_only_ever_answered_masked(client, tenants):
    base, auth = _signed_in(client, tenants.a)
    body = {"real_name": "李四", "id_number": FULL_WIDTH_ID, "phone": "13912345678"}
    created = client.post(f"{base}/identities", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["id_number_masked"] == "110***********7731"
    listed = client.get(f"{base}/identities", headers=auth)
    for response in (created, listed):
        text = response.get_data(as_text=True)
        assert "110101199003077731" not in text and "19491231" not in text
    with tenant_context(tenants.a.tenant.id):
        saved = db.session.scalar(
            select(BuyerIdentity).where(BuyerIdentity.id == created.get_json()["id"])
        )
        assert saved.id_number == "110101199003077731"
    again = client.post(f"{base}/identities", json=body, headers=auth)
    assert again.status_code == 422
    assert set(again.get_json()["error"]["fields"]) == {"id_number"}


def test_an_id_number_with_a_wrong_check_digit_is_refused(client, tenants):
    base, auth = _signed_in(client, tenants.a)
    body = {"real_name": "李四", "id_number": "110101199003077732", "phone": "13912345678"}
    response = client.post(f"{base}/identities", json=body, headers=auth)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"id_number"}
    assert (
        client.delete(f"{base}/identities/{tenants.a.identity.id}", headers=auth).status_code == 204
    )
    assert client.get(f"{base}/identities", headers=auth).get_json()["items"] == []


def test_one_shopper_never_reaches_another_shoppers_address_or_identity(client, tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        other = factories.shopper()
        address, identity = factories.address(other), factories.identity(other)
    base, auth = _signed_in(client, a)
    assert client.patch(f"{base}/addresses/{address.id}", json={}, headers=auth).status_code == 404
    assert client.delete(f"{base}/addresses/{address.id}", headers=auth).status_code == 404
    assert client.delete(f"{base}/identities/{identity.id}", headers=auth).status_code == 404
    listed = client.get(f"{base}/addresses", headers=auth).get_json()["items"]
    assert [item["id"] for item in listed] == [a.address.id]


def test_the_account_needs_a_shopper_token(client, tenants):
    base = f"/api/v1/stores/{tenants.a.tenant.slug}"
    assert client.get(f"{base}/addresses").status_code == 401
    assert client.post(f"{base}/identities", json={}).status_code == 401
