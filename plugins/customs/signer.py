"""The built-in customs signer: an enveloped XML-DSig made with the enterprise's RSA key.

NOTES §7 (spec S1 §6): enveloped signature over the whole document (Reference URI="",
transform enveloped-signature), C14N 1.0, KeyInfo with KeyName (the certificate number) and
the X509Certificate, `ds` prefix, the Signature the root's last child (the XSD order wins).
Customs verifies RSA-SHA1 with SHA-1 digests (or SM2/SM3 from the key device), as the spec's
samples are signed; signxml refuses SHA-1 unless a signer subclass allows it, which is what its
maintainers advise for systems that must speak SHA-1 (signxml issue #252).
"""

from collections.abc import Mapping
from typing import Self

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
)
from signxml.exceptions import SignXMLException
from wtforms import Form, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from plugins.customs.untrusted_xml import parse_untrusted
from storefront.ports import N_, Port, PortError, SignedXml

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = CanonicalizationMethod.CANONICAL_XML_1_0  # http://www.w3.org/TR/2001/REC-xml-c14n-20010315
# What customs accepts besides SM2/SM3 (S1 §6), and so what we verify against.
CUSTOMS_SIGNATURE = SignatureConfiguration(
    signature_methods=frozenset({SignatureMethod.RSA_SHA1}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA1}),
    default_reference_c14n_method=C14N,
)


class CustomsXmlSigner(XMLSigner):
    """signxml's signer with SHA-1 allowed: the algorithm customs verifies (S1 §6)."""

    def check_deprecated_methods(self) -> None:
        """Allow RSA-SHA1 and SHA-1 digests, which signxml refuses by default."""


def load_private_key(pem: str) -> rsa.RSAPrivateKey | None:
    """Return the unencrypted RSA private key in `pem`, or None."""
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPrivateKey) else None


def load_certificate(pem: str) -> x509.Certificate | None:
    """Return the X.509 certificate in `pem`, or None."""
    try:
        return x509.load_pem_x509_certificate(pem.strip().encode())
    except ValueError:
        return None


def belongs_to(certificate: x509.Certificate, key: rsa.RSAPrivateKey) -> bool:
    """Tell whether the certificate certifies this key's public half."""
    return certificate.public_key().public_numbers() == key.public_key().public_numbers()


class SignerSettingsForm(Form):
    private_key_pem = TextAreaField(
        N_("Private key (PEM, unencrypted RSA)"),
        validators=[DataRequired(message=N_("This field is required."))],
    )
    certificate_pem = TextAreaField(
        N_("Certificate (PEM)"), validators=[DataRequired(message=N_("This field is required."))]
    )

    def validate_private_key_pem(self, field) -> None:
        if load_private_key(field.data) is None:
            raise ValidationError(N_("This is not an unencrypted RSA private key in PEM."))

    def validate_certificate_pem(self, field) -> None:
        certificate = load_certificate(field.data)
        if certificate is None:
            raise ValidationError(N_("This is not an X.509 certificate in PEM."))
        key = load_private_key(self.private_key_pem.data or "")
        if key is not None and not belongs_to(certificate, key):
            raise ValidationError(N_("This certificate is not the private key's certificate."))


class XmlDsigSigner:
    """Signs CEB messages with the enterprise's key and certificate from its settings."""

    PLUGIN_ID = "xmldsig_signer"
    KIND = Port.CUSTOMS_SIGNER
    SANDBOX = "sandbox_customs_signer"
    SECRET_FIELDS = ("private_key_pem",)
    SettingsForm = SignerSettingsForm

    def __init__(self, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
        if not belongs_to(certificate, key):
            raise PortError("bad_settings", "the certificate is not the private key's")
        self.key = key
        self.certificate = certificate
        # S1 §6: KeyName carries the certificate number; its serial number as a decimal string.
        self.certificate_id = str(certificate.serial_number)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> Self:
        """Build the signer from a PEM key and its PEM certificate."""
        key = load_private_key(settings.get("private_key_pem") or "")
        certificate = load_certificate(settings.get("certificate_pem") or "")
        if key is None or certificate is None:
            raise PortError("bad_settings", "the private key or the certificate cannot be read")
        return cls(key, certificate)

    def sign(self, xml: bytes) -> SignedXml:
        """Append an enveloped signature as the root's last child (a previous one is replaced)."""
        root = parse_untrusted(xml)
        for old in root.findall(f"{{{DS}}}Signature"):
            root.remove(old)
        signer = CustomsXmlSigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm=SignatureMethod.RSA_SHA1,
            digest_algorithm=DigestAlgorithm.SHA1,
            c14n_algorithm=C14N,
        )
        signed = signer.sign(
            root,
            key=self.key,
            cert=[self.certificate],
            key_name=self.certificate_id,
            # S1 §6 lists the enveloped transform only; C14N is named in SignedInfo.
            exclude_c14n_transform_element=True,
        )
        value = signed.find(f"{{{DS}}}Signature/{{{DS}}}SignatureValue").text
        content = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
        return SignedXml(content, value, self.certificate_id)

    def verify(self, xml: bytes) -> bool:
        """Tell whether the document carries a valid signature made with this certificate."""
        try:
            XMLVerifier().verify(
                parse_untrusted(xml), x509_cert=self.certificate, expect_config=CUSTOMS_SIGNATURE
            )
        except (SignXMLException, PortError):
            return False
        return True
