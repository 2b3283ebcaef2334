"""Sandbox customs: a transport that answers with receipts later, and a local-key signer."""

import base64
import hashlib
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from wtforms import Form, TextAreaField
from wtforms.validators import Optional, ValidationError

from plugins.sandbox.base import Sandbox
from storefront.ports import (
    N_,
    CustomsMessage,
    CustomsReceipt,
    Port,
    PortError,
    SignedXml,
)

XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"


class SandboxCustomsTransport(Sandbox):
    """Accepts signed messages; customs' receipts are collected once `delay_seconds` passed."""

    PLUGIN_ID = "sandbox_customs_transport"
    KIND = Port.CUSTOMS_TRANSPORT
    SANDBOX = PLUGIN_ID
    SANDBOX_KINDS = ("messages",)

    def send(self, message: CustomsMessage) -> str:
        """Queue the message; its receipt (accepted, or rejected on demand) comes later."""
        self.check_available()
        if not message.xml.lstrip().startswith(b"<"):
            raise PortError("not_xml", "a customs message must be XML")
        return self.new_request(
            "messages",
            message_id=message.message_id,
            message_type=message.message_type,
            status="rejected" if self.rejecting else "accepted",
            collected=False,
        )

    def collect_receipts(self) -> tuple[CustomsReceipt, ...]:
        self.check_available()
        store, receipts = self.stores["messages"], []
        for record in store.all():
            if record["collected"] or not self.is_ready(record):
                continue
            store.put(record["id"], {**record, "collected": True})
            receipts.append(_receipt(record, self.clock()))
        return tuple(receipts)


def _receipt(record: dict, now: float) -> CustomsReceipt:
    accepted = record["status"] == "accepted"
    return CustomsReceipt(
        message_id=record["message_id"],
        status=record["status"],
        code="2" if accepted else "-1",  # the CEB receipt codes for "entered" and "refused"
        note="sandbox: accepted" if accepted else "sandbox: rejected on demand",
        received_at=datetime.fromtimestamp(now, UTC),
    )


class SignerSettingsForm(Form):
    private_key_pem = TextAreaField(
        N_("Private key (PEM; empty: a new key for each start)"), validators=[Optional()]
    )

    def validate_private_key_pem(self, field) -> None:
        if field.data and not _load_key(field.data):
            raise ValidationError(N_("This is not an unencrypted RSA private key in PEM."))


class SandboxCustomsSigner:
    """Signs with an RSA key kept in its settings; the real signer needs the key device."""

    PLUGIN_ID = "sandbox_customs_signer"
    KIND = Port.CUSTOMS_SIGNER
    SANDBOX = PLUGIN_ID
    SECRET_FIELDS = ("private_key_pem",)
    SettingsForm = SignerSettingsForm

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self.key = private_key
        public = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.certificate_id = hashlib.sha256(public).hexdigest()[:16]

    @classmethod
    def from_settings(cls, settings):
        pem = settings.get("private_key_pem") or ""
        key = _load_key(pem) if pem else rsa.generate_private_key(65537, 2048)
        if key is None:
            raise PortError("bad_settings", "the private key cannot be read")
        return cls(key)

    def sign(self, xml: bytes) -> SignedXml:
        """Append an enveloped RSA-SHA256 signature over the document as given."""
        closing = xml.rstrip().rfind(b"</")
        if closing < 0:
            raise PortError("not_xml", "a customs message must be an XML element")
        signature = base64.b64encode(
            self.key.sign(xml, padding.PKCS1v15(), hashes.SHA256())
        ).decode()
        element = (
            f'<Signature xmlns="{XMLDSIG}"><SignatureValue>{signature}</SignatureValue>'
            f"<KeyInfo><KeyName>{self.certificate_id}</KeyName></KeyInfo></Signature>"
        ).encode()
        return SignedXml(xml[:closing] + element + xml[closing:], signature, self.certificate_id)

    def verify(self, xml: bytes, signature: str) -> bool:
        """Check a signature over the unsigned document (what customs does with the cert)."""
        try:
            self.key.public_key().verify(
                base64.b64decode(signature), xml, padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            return False
        return True


def _load_key(pem: str) -> rsa.RSAPrivateKey | None:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPrivateKey) else None
