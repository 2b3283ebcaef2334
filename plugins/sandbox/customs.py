"""Sandbox customs: a folder transport whose customs answers with real receipts, and a signer.

The transport behaves like the e-port client plus customs (NOTES §4): every declaration gets
"2" from the e-port, then customs' statuses, each due `delay_seconds` after the previous;
receipts due together are batched in one file, every file arrives twice under two names,
files alternate between bare CEB XML and a DXP envelope, and the newest status of a batch
comes first. After a release it issues the electronic tax bill (CEB816; see customs_tax
for when it differs from the tax the order declared). Its records and files live in the
tenant's folder, shared by web and jobs.
"""

import datetime
import fcntl
import os
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Optional, ValidationError

from plugins.customs.folder import CustomsFolder, is_safe_name
from plugins.customs.signer import SignerSettingsForm, XmlDsigSigner, load_certificate
from plugins.customs.untrusted_xml import parse_untrusted
from plugins.sandbox import customs_ledger as ledger
from plugins.sandbox import customs_office as office
from plugins.sandbox import customs_tax as tax
from plugins.sandbox.base import Sandbox, SandboxSettingsForm
from storefront.ports import N_, CustomsMessage, InboundFile, Port, PortError

FAILURES = ("", "reject", "reject_once", "unavailable")
BATCH = 100  # a receipt message holds at most 100 *Return elements (NOTES §2)


class CustomsSandboxSettingsForm(SandboxSettingsForm):
    fail = SelectField(
        N_("Failure on demand"),
        choices=[
            SelectChoice("", N_("None")),
            SelectChoice("reject", N_("Reject every declaration")),
            SelectChoice("reject_once", N_("Reject new declarations, accept corrections")),
            SelectChoice("unavailable", N_("Unavailable")),
        ],
        default="",
    )


class SandboxCustomsTransport(Sandbox):
    """Takes signed declarations into its folder; customs' receipts appear in the inbox later."""

    PLUGIN_ID = "sandbox_customs_transport"
    KIND = Port.CUSTOMS_TRANSPORT
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ledger.KINDS
    SettingsForm = CustomsSandboxSettingsForm

    def __init__(self, settings: Mapping[str, str], clock: Callable[[], float] = time.time):
        failure = settings.get("fail") or ""
        if failure not in FAILURES:
            raise PortError("bad_settings", f"unknown failure mode {failure!r}")
        if not settings.get("folder"):
            raise PortError("bad_settings", "the sandbox customs keeps its files in a folder")
        # The shared base knows reject and unavailable; reject_once is this sandbox's own.
        super().__init__({**settings, "fail": "" if failure == "reject_once" else failure}, clock)
        self.failure = failure
        self.files = CustomsFolder(settings["folder"])
        self.ledger = ledger.CustomsLedger(self.stores)
        with self._locked():
            self.ledger.index_earlier_messages()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # Web and job processes share the folder: one of them decides and answers at a time.
        with open(self.files.root / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def send(self, message: CustomsMessage) -> str:
        """Take a declaration once per guid; its receipts come due after the delay."""
        self.check_available()
        if not is_safe_name(message.message_id):
            raise PortError("bad_message", f"{message.message_id!r} is not a message id")
        documents = office.read_declaration(parse_untrusted(message.xml))
        with self._locked():
            known = self.ledger.message(message.message_id)
            if known is not None:
                return known["file"]
            sent_at = self.clock()
            for document in documents:
                verdict = self._verdict(document, sent_at)
                document["receipts"] = office.plan(document, sent_at, self.delay, verdict)
                if document["kind"] == "621":
                    declared = self.ledger.declared_tax(document["order_no"])
                    document["tax_bills"] = tax.plan_bills(document, declared, self.delay)
            name = self.files.send(message)
            record = {"id": message.message_id, "file": name, "sent_at": sent_at}
            self.ledger.add({**record, "documents": documents})
        return name

    def _verdict(self, document: dict, sent_at: float) -> tuple[str, str] | None:
        first_time = document["fields"]["appType"] == "1"
        if self.failure == "reject" or (self.failure == "reject_once" and first_time):
            return office.REJECTION
        if document["kind"] != "621":
            return None
        return office.over_the_limit(document, self.ledger.quota_used(document, sent_at))

    def collect(self) -> tuple[InboundFile, ...]:
        """Write the receipts that came due, then return the inbox files sorted by name."""
        self.check_available()
        with self._locked():
            self._answer(round(self.clock() * 1000))
        return self.files.collect()

    def acknowledge(self, name: str) -> None:
        """Move a receipt file to processed/ (a name moved already is ignored)."""
        self.check_available()
        self.files.acknowledge(name)

    def _answer(self, now_ms: int) -> None:
        due, changed = defaultdict(list), {}
        for record in self.ledger.unanswered():
            for document in record["documents"]:
                for kind, item in ledger.answers(document):
                    if not item["written"] and item["due_ms"] <= now_ms:
                        item["written"] = True
                        due[kind].append((document, item))
                        changed[record["id"]] = record
        for kind in sorted(due):
            # The newest status first: customs does not promise any order within a file.
            items = sorted(due[kind], key=lambda item: item[1]["return_ms"], reverse=True)
            for start in range(0, len(items), BATCH):
                self._write(kind, items[start : start + BATCH], now_ms)
        for record in changed.values():
            self.ledger.update(record)

    def _write(self, kind: str, items: list[tuple[dict, dict]], now_ms: int) -> None:
        state = self.stores["state"]
        try:
            number = state.get("files")["count"]
        except PortError:
            number = 0
        guid = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{now_ms}-{number}")).upper()
        if kind == tax.KIND:
            message_type, content = tax.MESSAGE, tax.tax_bill_xml(items, guid)
        else:
            message_type = office.RECEIPTS[kind][0]
            content = office.receipt_xml(kind, items, guid)
        if number % 2:  # every other file comes in the e-port's DXP envelope
            content = office.dxp_envelope(content, message_type, now_ms)
        stem = f"{office.china_stamp(now_ms)}_{number:06d}_{message_type}"
        for name in (f"{stem}.xml", f"{stem}_copy.xml"):  # customs sends duplicates
            self.files.write_atomically("inbox", name, content)
        state.put("files", {"count": number + 1})


class SandboxSignerSettingsForm(SignerSettingsForm):
    private_key_pem = TextAreaField(
        N_("Private key (PEM; empty: a key of the sandbox's own)"), validators=[Optional()]
    )
    certificate_pem = TextAreaField(N_("Certificate (PEM)"), validators=[Optional()])

    def validate_private_key_pem(self, field) -> None:
        super().validate_private_key_pem(field)
        if not (self.certificate_pem.data or "").strip():
            raise ValidationError(N_("Give the key's certificate too."))

    def validate_certificate_pem(self, field) -> None:
        super().validate_certificate_pem(field)
        if not (self.private_key_pem.data or "").strip():
            raise ValidationError(N_("Give the certificate's private key too."))


class SandboxCustomsSigner(XmlDsigSigner):
    """The real signer, with a key and self-signed certificate of the tenant's sandbox."""

    PLUGIN_ID = "sandbox_customs_signer"
    SANDBOX = PLUGIN_ID
    KEEPS_FILES = True  # the registry passes a folder of the tenant's own as `folder`
    SettingsForm = SandboxSignerSettingsForm

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]):
        """Use the key and certificate of the settings, or the sandbox's own kept ones."""
        if settings.get("private_key_pem") or settings.get("certificate_pem"):
            return super().from_settings(settings)
        folder = settings.get("folder")
        pem = _kept_identity(Path(folder)) if folder else _new_identity()
        return super().from_settings({"private_key_pem": pem, "certificate_pem": pem})


IDENTITY = "signer.pem"


def _kept_identity(folder: Path) -> str:
    """Return the folder's key and certificate, making them once even under concurrency."""
    path = folder / IDENTITY
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(_new_identity())
            os.link(tmp, path)  # fails if another process linked its identity first
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    pem = path.read_text()
    if load_certificate(pem) is None:
        raise PortError("bad_settings", f"the sandbox signer's {IDENTITY} cannot be read")
    return pem


def _new_identity() -> str:
    """Return a new RSA key and a self-signed certificate for it, as one PEM text."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kuajing sandbox customs signer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (key_pem + certificate.public_bytes(serialization.Encoding.PEM)).decode()
