"""Sign-in for each role, throttling, generic errors, shopper accounts and identities."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import BuyerIdentity, Shopper
from storefront.tenancy import tenant_context
from tests.support.factories import PASSWORD
from tests.web.helpers import login_operator, login_shopper, login_staff


def test_staff_sign_in_reaches_the_dashboard(client, tenants):
    login_staff(client, tenants.a.owner)
    body = client.get("/admin/").get_data(as_text=True)
    assert tenants.a.tenant.name in body


def test_console_requires_sign_in(client, session):
    response = client.get("/admin/products")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_wrong_password_and_unknown_account_get_the_same_message(client, tenants):
    wrong = client.post("/admin/login", data={"email": tenants.a.owner.email, "password": "no"})
    unknown = client.post("/admin/login", data={"email": "nobody@example.com", "password": "no"})
    assert wrong.status_code == unknown.status_code == 200
    assert "邮箱或密码错误" in wrong.get_data(as_text=True)
    assert "邮箱或密码错误" in unknown.get_data(as_text=True)


def test_sign_in_is_throttled_after_repeated_failures(client, tenants):
    for _ in range(5):
        client.post("/admin/login", data={"email": tenants.a.owner.email, "password": "no"})
    response = client.post(
        "/admin/login", data={"email": tenants.a.owner.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "尝试次数过多" in response.get_data(as_text=True)


def test_passwords_are_stored_hashed(tenants):
    assert PASSWORD not in tenants.a.owner.password_hash
    assert tenants.a.owner.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_operator_signs_in_to_the_platform_console_and_sees_every_store(client, tenants):
    login_operator(client, tenants.operator)
    body = client.get("/platform/").get_data(as_text=True)
    assert tenants.a.tenant.name in body and tenants.b.tenant.name in body


def test_shopper_registers_and_keeps_addresses_and_identities(client, tenants):
    slug = tenants.a.tenant.slug
    response = client.post(
        f"/s/{slug}/register",
        data={
            "name": "李四",
            "email": "li@example.com",
            "password": "long enough",
            "confirm": "long enough",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/s/{slug}/login", data={"email": "li@example.com", "password": "long enough"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/s/{slug}/account/identities/new",
        data={"real_name": "李四", "id_number": "11010519491231002x", "phone": "13900139000"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/s/{slug}/account/addresses/new",
        data={
            "consignee": "李四",
            "phone": "13900139000",
            "province": "北京市",
            "city": "北京市",
            "district": "朝阳区",
            "detail": "建国路1号",
            "postcode": "100020",
        },
    )
    assert response.status_code == 302
    with tenant_context(tenants.a.tenant.id):
        shopper = db.session.scalar(select(Shopper).where(Shopper.email == "li@example.com"))
        assert [i.id_number for i in shopper.identities] == ["11010519491231002X"]
        assert shopper.addresses[0].city == "北京市"


def test_an_invalid_id_number_is_a_form_error(client, tenants):
    login_shopper(client, tenants.a.tenant, tenants.a.shopper)
    response = client.post(
        f"/s/{tenants.a.tenant.slug}/account/identities/new",
        data={"real_name": "张三", "id_number": "110105194912310021", "phone": "13800138000"},
    )
    assert response.status_code == 200
    assert "身份证号码无效" in response.get_data(as_text=True)
    with tenant_context(tenants.a.tenant.id):
        saved = select(BuyerIdentity).where(BuyerIdentity.shopper_id == tenants.a.shopper.id)
        assert [i.id for i in db.session.scalars(saved)] == [tenants.a.identity.id]


def test_bad_form_input_is_shown_in_the_page(client, tenants):
    response = client.post(
        f"/s/{tenants.a.tenant.slug}/register",
        data={"name": "", "email": "not-an-email", "password": "short", "confirm": "other"},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)


def test_same_email_registers_separately_in_two_stores(client, tenants):
    for store in (tenants.a.tenant, tenants.b.tenant):
        response = client.post(
            f"/s/{store.slug}/register",
            data={
                "name": "王五",
                "email": "wang@example.com",
                "password": "long enough",
                "confirm": "long enough",
            },
        )
        assert response.status_code == 302
        client.post(f"/s/{store.slug}/logout")
