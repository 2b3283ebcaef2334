"""Staff accounts of the current merchant."""

from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models import StaffUser
from storefront.tenancy import system_context


def add_staff(data: dict) -> StaffUser:
    """Create a staff account; the e-mail is the login, so it is unique platform-wide."""
    email = data["email"].strip().lower()
    with system_context():  # e-mail uniqueness spans every tenant
        taken = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
    if taken:
        raise Refused(ErrorCode.DUPLICATE_EMAIL, email)
    user = StaffUser(email=email, name=data["name"].strip(), role=data["role"])
    user.set_password(data["password"])
    db.session.add(user)
    db.session.commit()
    return user
