"""Configuration: defaults here, then an optional instance file, then the environment.

Every key is documented where it is defined. `load_config()` never touches the network or
the database; it only reads files and environment variables.
"""

import os
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit


class Defaults:
    # "development" loads the demo-friendly defaults below; anything else is production and
    # refuses to start without an explicit SECRET_KEY.
    KUAJING_ENV = "production"
    # Signs sessions and CSRF tokens. Required in production (environment or instance file).
    SECRET_KEY: str | None = None
    # SQLAlchemy URL. Unset: an embedded SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI: str | None = None
    # Engine options. No pre-ping (a round trip before every request's first statement):
    # connections are replaced after 5 minutes, before idle timeouts of servers and proxies
    # drop them, and a connection found dead (a database restart) invalidates the whole pool,
    # so only the request that meets it fails, with a 503 to retry.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_recycle": 300}
    # Redis for RQ job queues. Unset: jobs run in-process, right after the request's commit.
    REDIS_URL: str | None = None
    # Languages offered, first is the default (Chinese first).
    LANGUAGES = ("zh_CN", "en")
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    # Catalogs: translations/zh (Simplified Chinese; Babel resolves zh_CN to zh_Hans_CN -> zh).
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    # Cookies: secure by default; development over plain http turns SESSION_COOKIE_SECURE off.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    # Login throttling: at most this many attempts per account, and per client address (higher:
    # many people share one address), in each window; a successful sign-in is not counted.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 50
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (werkzeug
    # ProxyFix). 0: the client address is the peer's; set it to the number of proxies you run,
    # never more, or clients can choose the address their sign-in attempts are counted under.
    TRUSTED_PROXY_COUNT = 0
    # The address people reach the platform at, e.g. "https://shop.example.com" (a path prefix
    # may follow). Links in e-mails (password resets, invitations, applications, e-mail
    # confirmations) are built on it, never on the request's Host header, which any client
    # chooses. Required in production; unset in development: the request's own address.
    PUBLIC_URL: str | None = None
    # Host names answered (comma-separated in the environment; ".example.com" also matches its
    # subdomains); a request naming another Host gets 400 (Flask). Unset: PUBLIC_URL's host
    # in production, any host in development.
    TRUSTED_HOSTS: list[str] | None = None
    # Key for the keyed hash of ID numbers in the platform-wide quota ledger.
    # Defaults to SECRET_KEY; set it separately so rotating SECRET_KEY keeps the ledger.
    IDENTITY_HASH_KEY: str | None = None
    # Fernet keys (comma-separated, newest first) encrypting personal data and plugin secrets
    # at rest. Rotate: put a new key first (`flask keys new`), run `flask keys rotate`, then
    # drop the old key. Required wherever such data is stored.
    ENCRYPTION_KEYS: str | None = None
    # Rows per page in consoles and lists.
    PAGE_SIZE = 20
    # Stripe: the official library, pointed at STRIPE_API_BASE when set (the local server).
    STRIPE_SECRET_KEY: str | None = None
    STRIPE_WEBHOOK_SECRET: str | None = None
    STRIPE_API_BASE: str | None = None
    # Where sandbox plugins keep their records, one folder per tenant and plugin (shared by
    # web and job processes). Unset: `sandbox/` in the instance folder.
    SANDBOX_DIR: str | None = None
    # The publishable key and Stripe.js, which take the card in the shopper's browser (card
    # data never reaches us). Unset with STRIPE_API_BASE: the local server's own stand-in.
    STRIPE_PUBLISHABLE_KEY: str | None = None
    STRIPE_JS_URL: str | None = None
    # Merchant webhooks go only to https URLs whose every address is public. True lets them
    # reach loopback (http too) for local development and tests; never in production.
    WEBHOOK_ALLOW_LOOPBACK = False
    # Seconds to connect and to wait for each answer of a merchant's endpoint.
    WEBHOOK_TIMEOUT_SECONDS = 5
    # How customs messages travel for stores that chose no transport of their own: "sandbox"
    # (a simulated customs answering like the real one) or "folder" (the e-port client's way:
    # messages written to <instance>/customs/outbox/, receipts read from .../inbox/).
    CUSTOMS_TRANSPORT = "sandbox"
    # Days after its documents were sent before an order without any customs receipt is
    # listed as a reconciliation mismatch.
    RECON_RECEIPT_DAYS = 3
    # Minutes before an unpaid order expires and releases its quota.
    UNPAID_ORDER_TTL_MINUTES = 30
    # Days after shipment before receipt is confirmed automatically.
    AUTO_RECEIPT_DAYS = 10
    # JSON API (/api/v1). Shopper tokens last this long (seconds); a sign-out, a password
    # change or DELETE .../auth/token ends them sooner.
    API_TOKEN_LIFETIME_SECONDS = 60 * 60 * 24 * 30
    # Rate limits: calls per window of API_RATE_LIMIT_WINDOW_SECONDS, counted per API key, per
    # shopper token, and per client address for calls without a credential (high: many
    # shoppers share one address behind a carrier's NAT). Over the limit: 429 + Retry-After.
    # Counted in Redis when REDIS_URL is set (shared by all workers), else in each process.
    API_RATE_LIMIT_WINDOW_SECONDS = 60
    API_RATE_LIMIT_PER_KEY = 1200
    API_RATE_LIMIT_PER_TOKEN = 600
    API_RATE_LIMIT_PER_ADDRESS = 3000
    # Largest request body the API reads (bytes); larger: 413.
    API_MAX_BODY_BYTES = 64 * 1024
    # How the platform sends e-mail (invitations, password resets): "smtp" (SMTP_* below) or
    # "sandbox" (kept in an outbox; /outbox shows it outside production). Unset: sandbox in
    # development and tests, smtp otherwise.
    MAIL_TRANSPORT: str | None = None
    # The SMTP server; SMTP_SECURITY is "starttls" (upgrade, refused if the server cannot),
    # "ssl" (TLS from the first byte, usually port 465) or "none" (loopback relays only).
    SMTP_HOST = "localhost"
    SMTP_PORT = 587
    SMTP_SECURITY = "starttls"
    # Sign-in at the SMTP server; empty: none.
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    # The From address of every message.
    MAIL_FROM = "noreply@kuajing.example"
    # Hours a staff invitation link stays valid.
    STAFF_INVITE_HOURS = 72
    # Minutes a password reset link stays valid, and reset e-mails per account and hour.
    PASSWORD_RESET_MINUTES = 60
    PASSWORD_RESET_PER_HOUR = 3
    # Hours an applicant's e-mail confirmation link stays valid, and new links an applicant
    # may ask for per hour.
    APPLICANT_CONFIRM_HOURS = 48
    APPLICANT_CONFIRM_PER_HOUR = 3
    # Uploaded documents (licences, ID copies, certificates): at most this many bytes each.
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # Whole request bodies: one upload form carries a few documents, each within the limit
    # above; anything larger is refused by werkzeug (413) before it is read.
    MAX_CONTENT_LENGTH = 5 * UPLOAD_MAX_BYTES
    # Where uploaded documents are kept, named by random keys only; outside any static folder.
    # Unset: `uploads/` in the instance folder.
    UPLOAD_FOLDER: str | None = None


def _host_list(value: str) -> list[str]:
    return [host.strip() for host in value.split(",") if host.strip()]


_ENV_KEYS = {
    "KUAJING_ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "IDENTITY_HASH_KEY": str,
    "ENCRYPTION_KEYS": str,
    "STRIPE_SECRET_KEY": str,
    "STRIPE_WEBHOOK_SECRET": str,
    "STRIPE_API_BASE": str,
    "SANDBOX_DIR": str,
    "UPLOAD_FOLDER": str,
    "STRIPE_PUBLISHABLE_KEY": str,
    "STRIPE_JS_URL": str,
    "TRUSTED_PROXY_COUNT": int,
    "CUSTOMS_TRANSPORT": str,
    "RECON_RECEIPT_DAYS": int,
    "MAIL_TRANSPORT": str,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_SECURITY": str,
    "SMTP_USER": str,
    "SMTP_PASSWORD": str,
    "MAIL_FROM": str,
    "PUBLIC_URL": str,
    "TRUSTED_HOSTS": _host_list,
}


class ConfigError(RuntimeError):
    """The configuration cannot run the application."""


def load_config(app, overrides: dict | None) -> None:
    """Fill app.config from defaults, instance/settings.py, the environment, then overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile(Path(app.instance_path) / "settings.py", silent=True)
    for key in _ENV_KEYS:
        if os.environ.get(key):
            target = "SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key
            app.config[target] = _ENV_KEYS[key](os.environ[key])
    app.config.update(overrides or {})
    _apply_environment(app)


def _apply_environment(app) -> None:
    config = app.config
    uri = config.get("SQLALCHEMY_DATABASE_URI")
    if uri and uri.startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://") :]
    if config["KUAJING_ENV"] == "development":
        config.setdefault("SQLALCHEMY_DATABASE_URI", None)
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            path = Path(app.instance_path) / "kuajing.db"
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
        config["SESSION_COOKIE_SECURE"] = False
        config["REMEMBER_COOKIE_SECURE"] = False
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or KUAJING_ENV=development for a local demo)."
        )
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError("DATABASE_URL is not set (a PostgreSQL URL in production).")
    _apply_public_url(config)
    config.setdefault("IDENTITY_HASH_KEY", None)
    if not config.get("IDENTITY_HASH_KEY"):
        config["IDENTITY_HASH_KEY"] = config["SECRET_KEY"]
    _apply_stripe_js(config)
    if not config.get("MAIL_TRANSPORT"):
        local = config["KUAJING_ENV"] == "development" or config.get("TESTING")
        config["MAIL_TRANSPORT"] = "sandbox" if local else "smtp"


def _apply_public_url(config) -> None:
    """Check PUBLIC_URL; production requires it and, by default, answers only its host."""
    production = config["KUAJING_ENV"] != "development"
    url = config.get("PUBLIC_URL")
    if not url:
        if production:
            raise ConfigError(
                "PUBLIC_URL is not set: the address mailed links point to, such as "
                "https://shop.example.com (or KUAJING_ENV=development for a local demo)."
            )
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigError(f"PUBLIC_URL {url!r} is not an address such as https://shop.example.com")
    config["PUBLIC_URL"] = url.rstrip("/")
    if production and not config.get("TRUSTED_HOSTS"):
        config["TRUSTED_HOSTS"] = [parts.hostname]


def _apply_stripe_js(config) -> None:
    """Load Stripe.js from Stripe, or from the local server when payments go there."""
    base = config.get("STRIPE_API_BASE")
    if not config.get("STRIPE_JS_URL"):
        config["STRIPE_JS_URL"] = (
            f"{base.rstrip('/')}/js.stripe.com/v3/" if base else "https://js.stripe.com/v3/"
        )
    if not config.get("STRIPE_PUBLISHABLE_KEY") and base:
        config["STRIPE_PUBLISHABLE_KEY"] = "pk_test_local"  # the local server wants pk_
