"""Shopper sign-in for API front ends: bearer tokens, sign-up.

The same services as the HTML pages: `authenticate_shopper`'s throttling (per account and
per address) and `register_shopper`'s silence about taken e-mails.
"""

from datetime import datetime
from typing import Literal

from flask import request
from pydantic import BaseModel, EmailStr, Field, field_validator

from storefront.api import bp
from storefront.api.auth import ANYONE, SHOPPER_ONLY, current_credential
from storefront.api.operation import operation
from storefront.api.schemas import Request
from storefront.domain.passwords import MIN_LENGTH, PasswordProblem, password_problems
from storefront.services.api_access import revoke_token, sign_in_for_token
from storefront.services.shoppers import register_shopper


class Credentials(Request):
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    token: str = Field(description="Send as Authorization: Bearer <token>")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, no secret
    expires_at: datetime


class SignUp(Request):
    name: str = Field(min_length=1, max_length=80)
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=MIN_LENGTH, max_length=200)

    @field_validator("name")
    @classmethod
    def _named(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("blank")
        return name

    @field_validator("password")
    @classmethod
    def _strong(cls, password: str) -> str:
        # the attackers' first guesses are refused whatever their length (domain list)
        if PasswordProblem.TOO_COMMON in password_problems(password):
            raise ValueError("too common")
        return password


class Accepted(BaseModel):
    status: str = Field(
        description="Always `accepted`: the answer never tells whether "
        "the e-mail already had an account"
    )


@bp.route("/stores/<store_slug>/auth/token", methods=["POST"])
@operation(access=ANYONE, body=Credentials, responses={201: Token}, tags=("auth",))
def issue_token(json: Credentials):
    """Sign in with e-mail and password; get a bearer token for this store."""
    issued = sign_in_for_token(json.email, json.password, request.remote_addr)
    return Token(token=issued.secret, expires_at=issued.expires_at), 201


@bp.route("/stores/<store_slug>/auth/token", methods=["DELETE"])
@operation(access=SHOPPER_ONLY, responses={204: None}, tags=("auth",))
def revoke_current_token():
    """Sign out: the token of this request stops working at once."""
    revoke_token(current_credential().token_id)
    return "", 204


@bp.route("/stores/<store_slug>/auth/sign-up", methods=["POST"])
@operation(access=ANYONE, body=SignUp, responses={202: Accepted}, tags=("auth",))
def sign_up(json: SignUp):
    """Create a shopper account (then sign in with POST .../auth/token)."""
    register_shopper(json.name, json.email, json.password)
    return Accepted(status="accepted"), 202
