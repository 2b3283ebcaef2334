"""The merchant's wording for every refusal a console page shows."""

from flask import current_app
from flask_babel import gettext as _

from storefront.domain.embedding import MAX_ORIGINS
from storefront.domain.errors import ErrorCode, Refused


def console_messages() -> dict[ErrorCode, str]:
    """Map each refusal code to its console message (a provider's own text, in English, is
    logged, never shown)."""
    provider_refusal = _(
        "The payment service did not accept the refund. Check the payment with the provider "
        "or try again shortly."
    )
    wrong_state = _("This action does not fit the order's current state.")
    return {
        ErrorCode.NOT_PAID: _("The refund was not made: the order has no settled payment."),
        ErrorCode.INVALID_AMOUNT: _(
            "The refund was not made: the amount must be at least ¥0.01 and at most what "
            "is left to refund."
        ),
        ErrorCode.UNAVAILABLE: _(
            "The payment service cannot be reached. Please try again shortly."
        ),
        ErrorCode.CARD_DECLINED: provider_refusal,
        ErrorCode.PROVIDER_ERROR: provider_refusal,
        ErrorCode.INVALID_TRACKING: _("Choose a carrier and enter a valid tracking number."),
        ErrorCode.ILLEGAL_TRANSITION: wrong_state,
        ErrorCode.NOT_ALLOWED_FOR_ACTOR: wrong_state,
        ErrorCode.DUPLICATE_SUPPLIER: _("A supplier with this name already exists."),
        ErrorCode.DUPLICATE_SKU: _("Another product already has this SKU."),
        ErrorCode.DUPLICATE_TAX_TEMPLATE: _("A template with this name already exists."),
        ErrorCode.DUPLICATE_EMAIL: _("This e-mail is already in use."),
        ErrorCode.INVITE_INVALID: _("This invitation link is not valid."),
        ErrorCode.INVITE_EXPIRED: _(
            "This invitation has expired. Ask the store's owner to send it again."
        ),
        ErrorCode.INVITE_USED: _("This invitation was already used. Sign in instead."),
        ErrorCode.INVITE_REVOKED: _("The store's owner withdrew this invitation."),
        ErrorCode.LAST_OWNER: _("The store needs an active owner: make someone else owner first."),
        ErrorCode.RESET_LINK_INVALID: _(
            "This link has expired or was already used. Ask for a new one."
        ),
        ErrorCode.BAD_URL: _("Enter a full address such as https://example.com/hooks."),
        ErrorCode.HTTPS_REQUIRED: _("Use an https:// address."),
        ErrorCode.BAD_ORIGIN: _(
            "Enter only the scheme and host of a site, such as https://shop.example.com "
            "(a port if it is not the default; no path, no wildcard)."
        ),
        ErrorCode.DUPLICATE_ORIGIN: _("This site is already allowed."),
        ErrorCode.TOO_MANY_ORIGINS: _(
            "Remove a site first: a store allows at most %(count)s.", count=MAX_ORIGINS
        ),
        ErrorCode.UNRESOLVABLE: _("This host name cannot be found."),
        ErrorCode.NOT_PUBLIC: _("Webhooks can only go to public internet addresses."),
        ErrorCode.UNREACHABLE: _("No HTTP answer"),
        ErrorCode.UNDER_CUSTOMS: _(
            "The bonded warehouse ships this order automatically once customs releases it."
        ),
        ErrorCode.NOT_RESENDABLE: _(
            "Nothing customs returned can be corrected and declared again: the declaration is "
            "not returned, the order is no longer paid, or no message was sent yet."
        ),
        ErrorCode.LIMIT_EXCEEDED: _(
            "Not declared again: with this order the buyer would exceed a cross-border "
            "purchase limit. Cancel the order and refund the shopper."
        ),
        ErrorCode.REVIEW_NOT_ALLOWED: _(
            "This decision does not fit the item's review state. Reload the page."
        ),
        ErrorCode.REVIEW_REASON_REQUIRED: _(
            "Say why: rejecting or asking for changes needs a reason."
        ),
        ErrorCode.REVIEW_STALE: _(
            "This item was submitted again since you opened it. Review it again."
        ),
        ErrorCode.ISSUER_NOT_APPROVED: _(
            "The store cannot issue invoices yet: the platform has not approved its invoice "
            "issuer. Invoices held back are issued once it is approved."
        ),
        ErrorCode.PRODUCT_NOT_INVOICEABLE: _(
            "The store cannot issue invoices yet for this order: a product is not on the "
            "invoice issuer's approved list. Add it in the invoice settings for review."
        ),
        ErrorCode.UPLOAD_EMPTY: _("The file is empty."),
        ErrorCode.UPLOAD_TOO_LARGE: _(
            "The file is larger than %(size)s MB.",
            size=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        ),
        ErrorCode.UPLOAD_TYPE: _(
            "Upload a PDF, JPEG or PNG file (the file's content is checked, not its name)."
        ),
        ErrorCode.UNDER_REVIEW: _(
            "The platform is reviewing this. You can change it once the platform has decided."
        ),
        ErrorCode.CREDIT_CODE_LENGTH: _("A unified social credit code has 18 characters."),
        ErrorCode.CREDIT_CODE_CHARACTERS: _(
            "A unified social credit code uses only digits and capital letters other than "
            "I, O, S, V and Z."
        ),
        ErrorCode.CREDIT_CODE_DIVISION: _(
            "Characters 3 to 8 of a unified social credit code are digits (the region code)."
        ),
        ErrorCode.CREDIT_CODE_CHECK: _(
            "This unified social credit code is mistyped: its last character does not match. "
            "Copy it from the business licence."
        ),
        ErrorCode.SLUG_INVALID: _(
            "Use 3 to 40 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit."
        ),
        ErrorCode.SLUG_RESERVED: _("This address is reserved for the platform. Choose another."),
        ErrorCode.SLUG_TAKEN: _("Another store or application already uses this address."),
        ErrorCode.APPLICATION_INCOMPLETE: _(
            "Fill in every field and upload the four documents before submitting."
        ),
        ErrorCode.EMAIL_NOT_CONFIRMED: _(
            "The applicant has not confirmed its e-mail address yet: its application page "
            "mails it a new link."
        ),
        ErrorCode.CONFIRM_LINK_INVALID: _(
            "This confirmation link has expired, was already used or belongs to another "
            "account. Sign in and ask for a new one."
        ),
        ErrorCode.APPLICATION_DECIDED: _(
            "This application was approved: the store exists and the application is closed."
        ),
        ErrorCode.OPENING_INCOMPLETE: _(
            "The store cannot open yet: finish the required items of the checklist first."
        ),
        ErrorCode.STORE_NOT_OPEN: _(
            "The store is not open yet: its owner opens it once its checklist is done."
        ),
    }


def console_message(refused: Refused) -> str:
    """Say why the console refused, in the merchant's language."""
    if refused.message:
        current_app.logger.info("refused (%s): %s", refused.code, refused.message)
    return console_messages().get(refused.code, _("This action does not fit the current state."))


def delivery_error(last_error: str | None) -> str | None:
    """Word a delivery's error: our code in the merchant's language, a receiver's answer as is."""
    return console_messages().get(last_error, last_error)
