"""A shopper who forgot the password asks for a reset link by e-mail (the shop's own service).

The link opens the store's reset page (storefront/services/password_reset.py): the token it
carries works once, for this store's account only. The answer is the same whether or not
the address has an account here, and asking is limited per address and per account.
"""

from flask import g
from pydantic import EmailStr, Field

from storefront.api import bp
from storefront.api.auth import ANYONE
from storefront.api.operation import operation
from storefront.api.schemas import Request
from storefront.api.sessions import Accepted
from storefront.services.password_reset import request_reset


class ResetRequest(Request):
    email: EmailStr = Field(max_length=254)


@bp.route("/stores/<store_slug>/auth/password-reset", methods=["POST"])
@operation(access=ANYONE, body=ResetRequest, responses={202: Accepted}, tags=("auth",))
def password_reset(json: ResetRequest):
    """Mail a link to choose a new password, if the address has an account in this store."""
    request_reset("shopper", json.email, g.tenant.id)
    return Accepted(status="accepted"), 202
