"""The built-in signer makes a real enveloped XML-DSig that the schema and signxml accept."""

import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLVerifier
from werkzeug.datastructures import MultiDict

from plugins.customs.signer import CUSTOMS_SIGNATURE, XmlDsigSigner
from plugins.sandbox.customs import SandboxCustomsSigner
from storefront.customs.schema import schema_problems
from storefront.ports import PortError

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "customs" / "CEB621Message.xml"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"ds": DS}


def identity(serial=20260101):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试企业 signer")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def pems():
    return identity()


@pytest.fixture(scope="module")
def signer(pems):
    key_pem, cert_pem = pems
    return XmlDsigSigner.from_settings({"private_key_pem": key_pem, "certificate_pem": cert_pem})


def unsigned_inventory() -> bytes:
    """The official CEB621 sample without its ds:Signature (which the XSD requires)."""
    root = etree.fromstring(SAMPLE.read_bytes())
    for signature in root.findall("ds:Signature", NS):
        root.remove(signature)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_the_unsigned_sample_fails_the_schema_and_the_signed_one_passes(signer):
    unsigned = unsigned_inventory()
    assert any("Signature" in problem for problem in schema_problems(unsigned))
    signed = signer.sign(unsigned)
    assert schema_problems(signed.xml) == []


def test_signature_shape_follows_the_spec(signer, pems):
    signed = signer.sign(unsigned_inventory())
    root = etree.fromstring(signed.xml)
    last = root[-1]
    assert last.tag == f"{{{DS}}}Signature" and last.prefix == "ds"
    assert len(root.findall("ds:Signature", NS)) == 1

    def algorithm(path):
        return last.find(path, NS).get("Algorithm")

    assert algorithm("ds:SignedInfo/ds:CanonicalizationMethod") == (
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    )
    assert algorithm("ds:SignedInfo/ds:SignatureMethod").endswith("#rsa-sha1")
    assert last.find("ds:SignedInfo/ds:Reference", NS).get("URI") == ""
    transforms = last.findall("ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform", NS)
    assert [t.get("Algorithm") for t in transforms] == [f"{DS}enveloped-signature"]
    assert last.find("ds:KeyInfo/ds:KeyName", NS).text == "20260101" == signed.certificate_id
    certificate = last.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS).text
    assert "".join(certificate.split()) in "".join(pems[1].split())
    assert last.find("ds:SignatureValue", NS).text == signed.signature


def test_signxml_verifies_with_the_certificate_and_tampering_fails(signer, pems):
    signed = signer.sign(unsigned_inventory())
    result = XMLVerifier().verify(signed.xml, x509_cert=pems[1], expect_config=CUSTOMS_SIGNATURE)
    assert etree.QName(result.signed_xml).localname == "CEB621Message"
    assert signer.verify(signed.xml)
    tampered = signed.xml.replace(b"130681136250023332", b"130681136250023333", 1)
    assert tampered != signed.xml and not signer.verify(tampered)
    assert not signer.verify(unsigned_inventory())
    assert not signer.verify(b"not xml")


def test_another_certificate_does_not_verify_and_resigning_replaces_the_signature(signer):
    key_pem, cert_pem = identity(serial=7)
    other = XmlDsigSigner.from_settings({"private_key_pem": key_pem, "certificate_pem": cert_pem})
    signed = signer.sign(unsigned_inventory())
    assert not other.verify(signed.xml)
    again = other.sign(signed.xml)
    assert other.verify(again.xml) and not signer.verify(again.xml)
    assert len(etree.fromstring(again.xml).findall("ds:Signature", NS)) == 1


def test_sign_refuses_what_is_not_xml(signer):
    with pytest.raises(PortError) as raised:
        signer.sign(b"<unclosed>")
    assert raised.value.code == "not_xml"


def form(cls, **values):
    return cls.SettingsForm(MultiDict(values))


def test_settings_need_an_unencrypted_rsa_key_and_its_certificate(pems):
    key_pem, cert_pem = pems
    other_key, other_cert = identity(serial=8)
    encrypted = (
        serialization.load_pem_private_key(key_pem.encode(), None)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
        .decode()
    )
    ec_key = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    assert form(XmlDsigSigner, private_key_pem=key_pem, certificate_pem=cert_pem).validate()
    cases = [
        ({}, {"private_key_pem", "certificate_pem"}),
        ({"private_key_pem": encrypted, "certificate_pem": cert_pem}, {"private_key_pem"}),
        ({"private_key_pem": ec_key, "certificate_pem": cert_pem}, {"private_key_pem"}),
        ({"private_key_pem": key_pem, "certificate_pem": "junk"}, {"certificate_pem"}),
        ({"private_key_pem": key_pem, "certificate_pem": other_cert}, {"certificate_pem"}),
    ]
    for values, bad in cases:
        checked = form(XmlDsigSigner, **values)
        assert not checked.validate() and set(checked.errors) == bad, values
    with pytest.raises(PortError):
        XmlDsigSigner.from_settings({"private_key_pem": other_key, "certificate_pem": cert_pem})
    assert XmlDsigSigner.SECRET_FIELDS == ("private_key_pem",)


def test_sandbox_signer_keeps_one_identity_per_folder(tmp_path):
    first = SandboxCustomsSigner.from_settings({"folder": str(tmp_path)})
    second = SandboxCustomsSigner.from_settings({"folder": str(tmp_path)})
    assert first.certificate_id == second.certificate_id
    signed = first.sign(unsigned_inventory())
    assert second.verify(signed.xml) and schema_problems(signed.xml) == []
    assert [p.name for p in tmp_path.iterdir()] == ["signer.pem"]
    assert (tmp_path / "signer.pem").stat().st_mode & 0o077 == 0  # the key is the owner's only
    elsewhere = SandboxCustomsSigner.from_settings({"folder": str(tmp_path / "other")})
    assert not elsewhere.verify(signed.xml)


def test_sandbox_signer_makes_one_identity_under_concurrency(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        ids = set(
            pool.map(
                lambda _: (
                    SandboxCustomsSigner.from_settings({"folder": str(tmp_path)}).certificate_id
                ),
                range(8),
            )
        )
    assert len(ids) == 1


def test_sandbox_signer_takes_a_key_from_its_settings(pems):
    key_pem, cert_pem = pems
    sandbox = SandboxCustomsSigner.from_settings(
        {"private_key_pem": key_pem, "certificate_pem": cert_pem, "folder": "/nonexistent"}
    )
    assert sandbox.certificate_id == "20260101"
    assert form(SandboxCustomsSigner).validate()  # empty: the sandbox makes its own
    assert form(SandboxCustomsSigner, private_key_pem=key_pem, certificate_pem=cert_pem).validate()
    only_key = form(SandboxCustomsSigner, private_key_pem=key_pem)
    assert not only_key.validate() and "private_key_pem" in only_key.errors
    only_cert = form(SandboxCustomsSigner, certificate_pem=cert_pem)
    assert not only_cert.validate() and "certificate_pem" in only_cert.errors
    bad = form(SandboxCustomsSigner, private_key_pem="not a key", certificate_pem=cert_pem)
    assert not bad.validate() and bad.errors["private_key_pem"]
