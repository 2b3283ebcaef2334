"""Why the product refuses a request: one code catalogue and one refusal exception."""

from enum import StrEnum


class ErrorCode(StrEnum):
    # checkout (shopper)
    EMPTY_CART = "empty_cart"
    OUT_OF_STOCK = "out_of_stock"
    MIXED_CART = "mixed_cart"  # taxed and ordinary goods, or tax classes, in one order
    IDENTITY_REQUIRED = "identity_required"
    LIMIT_EXCEEDED = "limit_exceeded"  # a cross-border purchase limit (SPEC §3)
    PRICE_CHANGED = "price_changed"  # the total differs from the one the shopper confirmed
    TOKEN_REUSED = "token_reused"  # noqa: S105 - the confirm page was submitted twice
    NOT_FILED = "not_filed"  # a tax product without approved customs filings (seed 001 §4)
    # payment (shopper); the provider codes come from the payment port
    UNKNOWN_METHOD = "unknown_method"
    NOT_PAYABLE = "not_payable"  # the orders are no longer waiting for payment
    ALREADY_PAID = "already_paid"  # paid at the provider, its event not yet applied
    CARD_DECLINED = "card_declined"
    UNAVAILABLE = "unavailable"  # the outside service cannot be reached now
    PROVIDER_ERROR = "provider_error"  # any other provider failure, also unknown provider codes
    # refunds (merchant)
    NOT_PAID = "not_paid"
    INVALID_AMOUNT = "invalid_amount"
    # fulfilment and reviews
    INVALID_TRACKING = "invalid_tracking"
    NOT_RECEIVED = "not_received"  # a review before the goods arrived
    INVALID_REVIEW = "invalid_review"
    ALREADY_REVIEWED = "already_reviewed"
    # customs (merchant)
    NOT_RESENDABLE = "not_resendable"  # nothing customs rejected to correct and resend
    UNDER_CUSTOMS = "under_customs"  # shipped by the bonded warehouse once customs releases it
    # invoicing (seed 000 step 2(2): an approved issuer invoices its approved products only)
    ISSUER_NOT_APPROVED = "issuer_not_approved"  # the platform has not approved the issuer
    PRODUCT_NOT_INVOICEABLE = "product_not_invoiceable"  # not on the issuer's approved list
    # order transitions (TRANSITIONS table)
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ALLOWED_FOR_ACTOR = "not_allowed_for_actor"
    # merchant console data
    DUPLICATE_SUPPLIER = "duplicate_supplier"
    DUPLICATE_SKU = "duplicate_sku"
    DUPLICATE_TAX_TEMPLATE = "duplicate_tax_template"
    DUPLICATE_EMAIL = "duplicate_email"
    UNKNOWN_LIMIT_POLICY = "unknown_limit_policy"
    INVALID_SETTINGS = "invalid_settings"  # plugin settings; the fields say what is wrong
    # reviews by the platform operator (storefront.domain.reviews, SPEC §9)
    REVIEW_NOT_ALLOWED = "review_not_allowed"  # the action does not fit the review state
    REVIEW_REASON_REQUIRED = "review_reason_required"  # rejecting or asking changes says why
    REVIEW_STALE = "review_stale"  # submitted again since the operator opened it
    UNDER_REVIEW = "under_review"  # its owner changes an item while it waits in the queue
    # uploaded documents (storefront.services.uploads)
    UPLOAD_EMPTY = "upload_empty"
    UPLOAD_TOO_LARGE = "upload_too_large"
    UPLOAD_TYPE = "upload_type"  # the content is not a PDF, JPEG or PNG, whatever its name
    # origins allowed to embed the store (storefront.domain.embedding, SPEC §10)
    BAD_ORIGIN = "bad_origin"  # not scheme://host[:port]; wildcards and paths refused
    DUPLICATE_ORIGIN = "duplicate_origin"
    TOO_MANY_ORIGINS = "too_many_origins"
    # merchant webhook endpoints: https to public addresses only
    BAD_URL = "bad_url"
    HTTPS_REQUIRED = "https_required"
    UNRESOLVABLE = "unresolvable"
    NOT_PUBLIC = "not_public"
    # any delivery failure short of an HTTP answer, so the log cannot tell open ports from closed
    UNREACHABLE = "unreachable"
    # a merchant's application and its store's opening (storefront.domain.onboarding, SPEC §9)
    CREDIT_CODE_LENGTH = "credit_code_length"  # not 18 characters
    CREDIT_CODE_CHARACTERS = "credit_code_characters"  # outside the GB 32100 alphabet
    CREDIT_CODE_DIVISION = "credit_code_division"  # positions 3-8 are not digits
    CREDIT_CODE_CHECK = "credit_code_check"  # the check character does not match
    SLUG_INVALID = "slug_invalid"
    SLUG_RESERVED = "slug_reserved"
    SLUG_TAKEN = "slug_taken"  # a store or another open application has it
    APPLICATION_INCOMPLETE = "application_incomplete"  # a field or document is missing
    APPLICATION_DECIDED = "application_decided"  # approved: the store exists, nothing to change
    EMAIL_NOT_CONFIRMED = "email_not_confirmed"  # the applicant never opened its mailed link
    CONFIRM_LINK_INVALID = "confirm_link_invalid"  # forged, expired, used or another account's
    OPENING_INCOMPLETE = "opening_incomplete"  # a required checklist item is not done
    STORE_NOT_OPEN = "store_not_open"  # approved but not yet opened by its owner: no orders
    # staff invitations, roles and password reset links (storefront.services.staff,
    # storefront.services.password_reset)
    INVITE_INVALID = "invite_invalid"
    INVITE_EXPIRED = "invite_expired"
    INVITE_USED = "invite_used"
    INVITE_REVOKED = "invite_revoked"
    LAST_OWNER = "last_owner"  # the store would have no active owner left
    RESET_LINK_INVALID = "reset_link_invalid"  # forged, expired, used or voided by a change
    STORE_SUSPENDED = "store_suspended"  # the platform suspended the store: no new orders
    # sign-in: one code for every wrong part, so a refusal never says which one
    WRONG_CREDENTIALS = "wrong_credentials"
    THROTTLED = "throttled"
    # the web error layer's own answers
    CSRF_FAILED = "csrf_failed"
    INVALID_CHARACTERS = "invalid_characters"  # NUL or control characters in the input
    SERVICE_UNAVAILABLE = "service_unavailable"  # the database cannot be reached: a 503
    UNKNOWN_PLUGIN = "unknown_plugin"  # a callback URL naming no configured payment plugin
    # provider callbacks and other port codes, answered to machines or logged
    FOREIGN_PAYMENT = "foreign_payment"  # an account's event naming another account's payment
    INVALID_SIGNATURE = "invalid_signature"
    INVALID_PAYLOAD = "invalid_payload"
    UNKNOWN_REQUEST = "unknown_request"
    BAD_SETTINGS = "bad_settings"
    BAD_RECIPIENT = "bad_recipient"
    REJECTED = "rejected"
    EMPTY_TALLY = "empty_tally"
    UNKNOWN_KIND = "unknown_kind"
    MISSING_ORIGINAL = "missing_original"  # a red invoice without the blue one it cancels
    NO_LINES = "no_lines"
    NOT_XML = "not_xml"


# Codes no message table words: webhook answers, job logs and failure records, plugin
# settings (shown through their fields), a limit policy the form's choices rule out, and the
# error layer's answers, worded where they are answered.
INTERNAL_CODES = frozenset(
    {
        ErrorCode.CSRF_FAILED,
        ErrorCode.INVALID_CHARACTERS,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.UNKNOWN_PLUGIN,
        ErrorCode.INVALID_SETTINGS,
        ErrorCode.UNKNOWN_LIMIT_POLICY,
        ErrorCode.FOREIGN_PAYMENT,
        ErrorCode.INVALID_SIGNATURE,
        ErrorCode.INVALID_PAYLOAD,
        ErrorCode.UNKNOWN_REQUEST,
        ErrorCode.BAD_SETTINGS,
        ErrorCode.BAD_RECIPIENT,
        ErrorCode.REJECTED,
        ErrorCode.EMPTY_TALLY,
        ErrorCode.UNKNOWN_KIND,
        ErrorCode.MISSING_ORIGINAL,
        ErrorCode.NO_LINES,
        ErrorCode.NOT_XML,
    }
)


class Refused(Exception):
    """A use case declines the request; `code` says why, `message` is for people.

    A plain exception, not a frozen dataclass: raising sets `__traceback__`, which a frozen
    instance refuses (FrozenInstanceError inside every `with` block that re-raises).
    """

    def __init__(self, code: ErrorCode, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code, self.message = code, message


def provider_code(code: str) -> ErrorCode:
    """Map a port's string code to ours; a code we do not know is a provider error."""
    try:
        return ErrorCode(code)
    except ValueError:
        return ErrorCode.PROVIDER_ERROR
