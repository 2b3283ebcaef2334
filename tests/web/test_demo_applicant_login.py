"""The demo prints the applicant's sign-in with the others, and it signs in."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import Applicant
from storefront.services import demo
from storefront.services.demo_applications import APPLICANT_EMAIL

NAMES = ("operator", "owner", "second_owner", "shopper")


def test_the_demo_applicant_signs_in_with_the_printed_password(client, session):
    passwords = {name: "pw-" + name for name in NAMES}
    demo.load_demo(passwords)
    lines = demo.describe_logins(passwords)
    at = next(i for i, line in enumerate(lines) if "/join/login" in line)
    assert APPLICANT_EMAIL in lines[at + 1] and lines[at + 1].endswith("/ pw-owner")
    signed_in = client.post("/join/login", data={"email": APPLICANT_EMAIL, "password": "pw-owner"})
    assert signed_in.status_code == 302 and signed_in.location.endswith("/join/application")


def test_new_demo_passwords_reach_the_applicant_too(session):
    demo.load_demo({name: "pw-" + name for name in NAMES})
    demo.set_demo_passwords({name: "new-" + name for name in NAMES})
    db.session.expire_all()
    applicant = db.session.scalar(select(Applicant).where(Applicant.email == APPLICANT_EMAIL))
    assert applicant.check_password("new-owner")
