"""Uploaded documents (issue 13): typed by content, limited in size, names never trusted."""

import hashlib
import io
import os
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from storefront.domain.errors import ErrorCode, Refused
from storefront.extensions import db
from storefront.models.uploads import StoredFile
from storefront.services.uploads import read_upload, store_upload, upload_response
from storefront.tenancy import system_context, tenant_context

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _store(data: bytes, name: str, purpose: str = "business_licence") -> StoredFile:
    return store_upload(io.BytesIO(data), name, purpose, "applicant@example.com")


@pytest.mark.parametrize(
    ("data", "name", "content_type", "shown"),
    [
        (PDF, "营业执照.pdf", "application/pdf", "营业执照.pdf"),
        (png(), "id.PNG", "image/png", "id.png"),
    ],
)
def test_a_pdf_and_a_png_are_kept_and_read_back_byte_identical(
    session, data, name, content_type, shown
):
    stored = _store(data, name)
    db.session.expire_all()
    with system_context():  # an applicant's file (no tenant): the platform's to read
        row = db.session.scalar(select(StoredFile).where(StoredFile.id == stored.id))
    assert (row.content_type, row.display_name, row.size) == (content_type, shown, len(data))
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert read_upload(row) == data


def test_a_renamed_executable_is_refused_whatever_its_name(session):
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(200)
    with pytest.raises(Refused) as refused:
        _store(executable, "licence.pdf")
    assert refused.value.code == ErrorCode.UPLOAD_TYPE
    with system_context():
        assert db.session.scalar(select(StoredFile)) is None


def test_a_file_over_the_limit_is_refused(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1000)
    with pytest.raises(Refused) as refused:
        _store(PDF + b"0" * 1000, "big.pdf")
    assert refused.value.code == ErrorCode.UPLOAD_TOO_LARGE
    assert _store(PDF + b"0" * (1000 - len(PDF)), "just.pdf").size == 1000  # the limit itself


def test_an_empty_file_is_refused(session):
    with pytest.raises(Refused) as refused:
        _store(b"", "empty.pdf")
    assert refused.value.code == ErrorCode.UPLOAD_EMPTY


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.pdf"),
        ("C:\\Users\\王\\执照.pdf", "执照.pdf"),
        ("..", "document.pdf"),
        ("", "document.pdf"),
        ("a\x00b\r\n<script>.pdf", "abscript.pdf"),
    ],
)
def test_a_path_in_the_name_reaches_nothing_and_is_not_shown(app, session, name, shown):
    stored = _store(PDF, name)
    assert stored.display_name == shown
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert (folder / stored.storage_key).read_bytes() == PDF  # named by the random key only
    assert not (folder.parent / "etc").exists()


def test_the_response_shows_the_document_inline_and_contained(app, session):
    stored = _store(PDF, "营业执照 2026.pdf")
    with app.test_request_context():
        response = upload_response(stored)
        response.direct_passthrough = False
        assert response.get_data() == PDF
    headers = response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("inline;")
    assert (
        "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%202026.pdf"
        in (headers["Content-Disposition"])
    )
    assert headers["Content-Security-Policy"].startswith("sandbox")


def test_a_stores_file_is_hidden_from_other_stores_and_an_applicants_from_every_store(tenants):
    with tenant_context(tenants.a.tenant.id):
        own = _store(PDF, "a.pdf", "tax_certificate")
    applicants = _store(png(), "b.png")
    db.session.expire_all()
    with tenant_context(tenants.a.tenant.id):  # row-level security, the only wall here
        assert db.session.scalars(select(StoredFile.id)).all() == [own.id]
    with tenant_context(tenants.b.tenant.id):
        assert db.session.scalars(select(StoredFile.id)).all() == []
    with system_context():
        assert set(db.session.scalars(select(StoredFile.id))) == {own.id, applicants.id}
