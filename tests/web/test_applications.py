"""The applicant's pages: sign up, fill in, upload, submit; only one's own application."""

import io

import pytest
from sqlalchemy import select
from werkzeug.routing import Rule

from storefront.domain.reviews import ReviewAction, ReviewState
from storefront.extensions import db
from storefront.models import Applicant, MerchantApplication
from storefront.services import reviews
from storefront.services.applications import KIND
from tests.support import applications as support
from tests.support.applications import FORM, PDF, PNG, login_applicant
from tests.support.mail import last_link


def _with_files(**files) -> dict:
    documents = {
        "business_licence": (io.BytesIO(PDF), "licence.pdf"),
        "legal_person_id": (io.BytesIO(PNG), "id.png"),
        "tax_registration": (io.BytesIO(PDF), "tax.pdf"),
        "agreement": (io.BytesIO(PDF), "agreement.pdf"),
    }
    return FORM | documents | files


def _post(client, data: dict, button: str = "submit"):
    return client.post(
        "/join/application", data=data | {button: "1"}, content_type="multipart/form-data"
    )


def test_a_merchant_signs_up_and_submits_its_application(client, session):
    response = client.post(
        "/join/",
        data={"email": "boss@haitao.example", "password": "haitao passphrase 2025",
              "confirm": "haitao passphrase 2025"},
    )  # fmt: skip
    assert response.status_code == 302
    assert db.session.scalar(select(Applicant).where(Applicant.email == "boss@haitao.example"))
    response = client.post(
        "/join/login", data={"email": "boss@haitao.example", "password": "haitao passphrase 2025"}
    )
    assert response.headers["Location"].endswith("/join/application")
    refused = _post(client, _with_files()).get_data(as_text=True)  # the address is not proven
    assert "请先确认您的电子邮件地址" in refused
    assert db.session.scalar(select(MerchantApplication)) is None
    assert client.get(last_link("boss@haitao.example")).status_code == 302
    assert _post(client, _with_files()).status_code == 302
    application = db.session.scalar(select(MerchantApplication))
    assert application.review_state == ReviewState.SUBMITTED
    assert application.credit_code == "91350100M000100Y43"
    page = client.get("/join/application").get_data(as_text=True)
    assert "licence.pdf" in page and 'data-state="submitted"' in page
    file_id = application.business_licence_id
    document = client.get(f"/join/application/files/{file_id}")
    assert document.status_code == 200 and document.data == PDF
    assert document.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "upload", "wording"),
    [
        ("agreement", (io.BytesIO(b"MZ\x90\x00\x03 program"), "agreement.pdf"), "请上传 PDF"),
        ("agreement", (io.BytesIO(b""), "empty.pdf"), "文件为空。"),
        ("business_licence", (io.BytesIO(b"%PDF-" + b"0" * 2000), "big.pdf"), "MB"),
        (
            "tax_registration",
            (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "../../etc/passwd"),
            "请上传 PDF",
        ),
    ],
)
def test_refused_uploads_are_said_on_the_form_and_nothing_is_kept(
    app, client, session, monkeypatch, name, upload, wording
):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    login_applicant(client, support.applicant())
    response = _post(client, _with_files(**{name: upload}))
    assert response.status_code == 200
    assert wording in response.get_data(as_text=True)
    assert db.session.scalar(select(MerchantApplication)) is None


def test_a_traversal_name_is_only_a_display_name(client, session):
    person = support.applicant()
    login_applicant(client, person)
    _post(client, _with_files(agreement=(io.BytesIO(PDF), "../../../etc/agreement.exe")))
    application = db.session.scalar(select(MerchantApplication))
    [stored] = [f for f in support_documents(application) if f.purpose == "agreement"]
    assert stored.display_name == "agreement.pdf" and "/" not in stored.storage_key


def support_documents(application):
    from storefront.queries.applications import documents_of

    return list(documents_of(application).values())


def test_wrong_code_and_taken_address_are_said_in_chinese(client, session, tenants):
    login_applicant(client, support.applicant())
    data = _with_files(credit_code="91350100M000100Y44", store_slug=tenants.a.tenant.slug)
    body = _post(client, data, "save").get_data(as_text=True)
    assert "统一社会信用代码有误" in body
    assert "此地址已被其他店铺或入驻申请使用" in body


def test_the_operator_remarks_are_shown_and_the_applicant_resubmits(client, app, session):
    person = support.applicant()
    login_applicant(client, person)
    _post(client, _with_files())
    application = db.session.scalar(select(MerchantApplication))
    with app.test_request_context():
        reviews.decide(KIND, application.id, ReviewAction.ASK_CHANGES, "执照不清晰", "op", 1)
    page = client.get("/join/application").get_data(as_text=True)
    assert "执照不清晰" in page and 'id="application-form"' in page
    assert _post(client, FORM).status_code == 302  # the saved documents stay
    assert application.review_state == ReviewState.SUBMITTED
    assert application.review_version == 2


def _join_rules(app) -> list[Rule]:
    """The applicant's file routes (the password reset link's route takes a token instead)."""
    rules = app.url_map.iter_rules()
    return [r for r in rules if r.endpoint.startswith("join.") and "stored_file_id" in r.arguments]


def test_an_applicant_gets_404_for_every_file_but_its_own(app, client, session, tenants):
    _other, theirs = support.submitted("other-store")
    person = support.applicant()
    login_applicant(client, person)
    foreign = [theirs.business_licence_id, theirs.agreement_id]
    with app.test_request_context():
        from tests.support.routes import route_values

        foreign += [route_values(rule, tenants.b)["stored_file_id"] for rule in _join_rules(app)]
    checked = []
    for rule in _join_rules(app):
        for file_id in foreign:
            with app.test_request_context():
                url = app.url_for(rule.endpoint, stored_file_id=file_id)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method)
                assert response.status_code in (404, 405), f"{method} {url}"
                checked.append(url)
    assert checked
    assert "other-store" not in client.get("/join/application").get_data(as_text=True)


def test_the_pages_read_in_chinese_first(client, session):
    body = client.get("/join/").get_data(as_text=True)
    assert "申请开店" in body and "统一社会信用代码" in body


def test_the_start_page_leads_merchants_to_the_application(client, session):
    body = client.get("/").get_data(as_text=True)
    assert '<a id="apply-for-a-store" href="/join/">' in body
