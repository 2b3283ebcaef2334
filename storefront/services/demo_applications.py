"""The demo's merchant application waiting in the operator's queue (seed 000 step 1)."""

import io

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Applicant
from storefront.models.types import utcnow
from storefront.services import applications
from storefront.services.applications import ApplicationValues

APPLICANT_EMAIL = "applicant@haitao.example"
# A minimal PDF and a 1x1 PNG: the upload check reads their first bytes.
_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
VALUES = ApplicationValues(
    company_name="杭州海淘优品贸易有限公司",
    credit_code="91330106MA2H7K3P53",  # GB 32100 check character 3
    legal_person="陈海涛",
    contact_name="周敏",
    contact_phone="13912345678",
    contact_email="zhoumin@haitao.example",
    store_name="海淘优品",
    store_slug="haitao",
)


def add_submitted_application(password: str) -> None:
    """Submit one complete application with its documents, unless the applicant exists."""
    if db.session.scalar(select(Applicant.id).where(Applicant.email == APPLICANT_EMAIL)):
        return
    # confirmed as if it had opened its link: the demo's mail never reaches a real inbox
    applicant = Applicant(email=APPLICANT_EMAIL, email_confirmed_at=utcnow())
    applicant.set_password(password)
    db.session.add(applicant)
    db.session.flush()
    documents = {
        "business_licence": (io.BytesIO(_PDF), "营业执照.pdf"),
        "legal_person_id": (io.BytesIO(_PNG), "法人身份证.png"),
        "tax_registration": (io.BytesIO(_PDF), "税务登记证.pdf"),
        "agreement": (io.BytesIO(_PDF), "合作协议.pdf"),
    }
    applications.save(applicant, VALUES, documents, submit=True)  # commits
