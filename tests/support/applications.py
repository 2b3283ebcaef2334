"""Merchant applications for tests: an applicant, its documents, a complete application."""

import io
import itertools
import secrets

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Applicant
from storefront.models.types import utcnow
from storefront.services import applications
from storefront.services.applications import ApplicationValues
from tests.support.factories import PASSWORD

_seq = itertools.count(1)
# A small real PDF and PNG (their first bytes are what the upload check reads).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
VALID_CODE = "91350100M000100Y43"  # GB 32100 check character 3
# The application form as an applicant types it (the code in lower case: the form normalises it)
FORM = {
    "company_name": "宁波海淘贸易有限公司",
    "credit_code": VALID_CODE.lower(),
    "legal_person": "王海",
    "contact_name": "李娜",
    "contact_phone": "13800138000",
    "contact_email": "lina@haitao.example",
    "store_name": "海淘优选",
    "store_slug": "haitao-mall",
}


def applicant(email: str | None = None, confirmed: bool = True) -> Applicant:
    """An applicant account (its address confirmed, as every submitting one is, by default)."""
    row = Applicant(email=email or f"applicant{next(_seq)}@example.com")
    row.email_confirmed_at = utcnow() if confirmed else None
    row.set_password(PASSWORD)
    db.session.add(row)
    db.session.flush()
    return row


def values(slug: str | None = None, **changes) -> ApplicationValues:
    fields = FORM | {"credit_code": VALID_CODE, "store_slug": slug or f"haitao-{next(_seq)}"}
    return ApplicationValues(**(fields | changes))


def sign_up(client, password: str, domain: str) -> Applicant:
    """A new applicant by the sign-up form, at an address of its own under `domain` (the
    sandbox mailer keeps every test's mail)."""
    email = f"boss-{secrets.token_hex(4)}@{domain}"
    form = {"email": email, "password": password, "confirm": password}
    assert client.post("/join/", data=form).status_code == 302  # its mail sent after it
    return db.session.scalar(select(Applicant).where(Applicant.email == email))


def documents() -> dict:
    """The four documents, fresh streams: PDFs and a PNG of the ID card."""
    return {
        "business_licence": (io.BytesIO(PDF), "营业执照.pdf"),
        "legal_person_id": (io.BytesIO(PNG), "id-card.png"),
        "tax_registration": (io.BytesIO(PDF), "tax.pdf"),
        "agreement": (io.BytesIO(PDF), "agreement.pdf"),
    }


def submitted(slug: str | None = None, email: str | None = None):
    """An applicant with a complete application in the operator's queue."""
    person = applicant(email)
    application = applications.save(person, values(slug), documents(), submit=True)
    return person, application


def login_applicant(client, person: Applicant) -> None:
    response = client.post("/join/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
