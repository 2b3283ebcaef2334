"""Keep personal data and secrets out of every log (PIPL art. 51; SPEC §1: never logged).

Two walls: SQLAlchemy never renders statement parameters into its errors
(`hide_parameters`), and every log record of the process, from any logger and for any
handler, has ID numbers, phone numbers, e-mail addresses, password hashes and API secrets
replaced before a handler sees it, in its message and its traceback.
"""

import logging
import re
import traceback

from flask import Flask

PATTERNS = (
    # GB 11643 ID numbers, in any digits (full-width too), not inside a longer token
    (re.compile(r"(?<!\w)\d{17}[\dXxＸｘ](?!\w)"), "[ID number]"),
    (re.compile(r"(?<!\w)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\w)"), "[phone]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    # werkzeug's "method$salt$hash" and modular-crypt hashes (argon2, bcrypt)
    (re.compile(r"\b(?:scrypt|pbkdf2)[\w:]*\$[^\s$'\"]+\$[0-9a-fA-F]+"), "[password hash]"),
    (re.compile(r"\$(?:argon2\w*|2[abxy])\$[^\s'\"]+"), "[password hash]"),
    (re.compile(r"\b(?:sk|rk|whsec)_\w+"), "[secret]"),
    # the API's shopper tokens and merchant keys (url-safe base64: "-" included)
    (re.compile(r"\bkj[tk]_[\w-]+"), "[secret]"),
)


def redact(text: str) -> str:
    """Return the text with personal data and secrets replaced by what they were."""
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def init_app(app: Flask) -> None:
    """Hide SQL parameters in the app's engines and redact every log record of the process."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "hide_parameters": True}
    install_record_factory()


def install_record_factory() -> None:
    """Wrap the process's log record factory once (a filter would miss other handlers)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", False):
        return

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    redacted_record.redacts = True
    logging.setLogRecordFactory(redacted_record)


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call's own problem: keep its text, never its values
        message = str(record.msg)
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        # formatters use a filled exc_text instead of formatting exc_info themselves
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
