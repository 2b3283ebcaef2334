"""Uploaded documents: limited in size, typed by their content, stored under random keys.

Issue 13: a merchant's licence, ID copies and certificates are PDF, JPEG or PNG, checked by
content and not by name, kept outside the web root, and served only through views that check
who asks. Names are never trusted: the stored file's name is a random key, so `../` in a name
cannot reach another path, and the name shown is cleaned of paths and control characters.
"""

import hashlib
import re
import secrets
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Response, current_app, send_file

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models.uploads import StoredFile
from storefront.tenancy import current_tenant_id, system_context

PURPOSES = frozenset(
    {"business_licence", "legal_person_id", "tax_registration", "agreement", "tax_certificate"}
)
# The types accepted, by their first bytes, with the extension their display name gets.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
EXTENSIONS = {content_type: extension for _, content_type, extension in SIGNATURES}
DISPLAY_NAME_LENGTH = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"<>|:*?]+")
_KEY = re.compile(r"^[0-9a-f]{32}$")


class FileStore(Protocol):
    """Where the bytes of uploads live; object storage can replace the local folder."""

    def save(self, key: str, data: bytes) -> None: ...

    def load(self, key: str) -> bytes: ...


class LocalFolderStore:
    """Uploads as files named by their random key in one folder (outside any static folder)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def save(self, key: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(key).write_bytes(data)

    def load(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):  # keys are ours; anything else is a bug or an attack
            raise ValueError("not a storage key")
        return self.folder / key


def file_store() -> FileStore:
    """Return the deployment's file store (UPLOAD_FOLDER, or uploads/ in the instance folder)."""
    folder = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path, "uploads")
    return LocalFolderStore(folder)


def store_upload(
    stream: BinaryIO, filename: str, purpose: str, who: str, tenant_id: int | None = None
) -> StoredFile:
    """Check and keep one uploaded document; flush only (the caller's use case commits).

    The file belongs to `tenant_id`, by default the tenant in context (none for an applicant).

    Refused when empty, larger than UPLOAD_MAX_BYTES, or not a PDF, JPEG or PNG by content.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown upload purpose {purpose!r}")
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)  # one byte more than allowed tells an oversized file
    if not data:
        raise Refused(ErrorCode.UPLOAD_EMPTY, "empty upload")
    if len(data) > limit:
        raise Refused(ErrorCode.UPLOAD_TOO_LARGE, f"upload over {limit} bytes")
    content_type = sniff(data)
    if content_type is None:
        raise Refused(ErrorCode.UPLOAD_TYPE, "not a PDF, JPEG or PNG")
    key = secrets.token_hex(16)
    file_store().save(key, data)
    stored = StoredFile(
        tenant_id=current_tenant_id() if tenant_id is None else tenant_id,
        purpose=purpose,
        display_name=display_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by=who,
    )
    db.session.add(stored)
    _flush_beyond_tenants()
    return stored


def _flush_beyond_tenants() -> None:
    """Flush; with no tenant in context (an applicant) in system context, the only one
    row-level security lets write and see rows of no tenant (migration 0020)."""
    if current_tenant_id() is not None:
        db.session.flush()
        return
    with system_context():
        db.session.flush()


def sniff(data: bytes) -> str | None:
    """Return the content type the bytes begin with, or None for anything not accepted."""
    for signature, content_type, _ in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def display_name(filename: str, content_type: str) -> str:
    """Clean a given name for display: no folders, no control characters, and the extension
    of the type the content really has (licence.exe holding a PDF shows as licence.pdf)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]  # browsers may send a full Windows path
    name = _UNSAFE.sub("", name).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    stem = stem[: DISPLAY_NAME_LENGTH - 5] or "document"
    return stem + EXTENSIONS[content_type]


def read_upload(stored: StoredFile) -> bytes:
    """Return the bytes of a stored document."""
    return file_store().load(stored.storage_key)


def upload_response(stored: StoredFile) -> Response:
    """Send a stored document to a view's caller, inline, as the type its content has.

    The caller checks who may see it. nosniff keeps browsers to that type, and the sandbox
    policy keeps any script inside the document from running with our origin.
    """
    response = send_file(
        BytesIO(read_upload(stored)),
        mimetype=stored.content_type,
        as_attachment=False,
        download_name=stored.display_name,  # werkzeug writes the RFC 5987 filename*
        max_age=0,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; frame-ancestors 'self'"  # shown framed by our pages only
    )
    response.headers["Cache-Control"] = "private, no-store"  # personal data (PIPL)
    return response
