"""Customs throughput: prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.customs_throughput [--seconds 3]

1. messages built + signed + validated per second: the four CEB messages of a 2-line 1210
   order, signed by the real XML-DSig signer and checked by `schema_problems`; reference:
   lxml XSD validation alone of the same signed messages;
2. receipts ingested per second by `ingest` on PostgreSQL (bare CEB312/412/512/622, a 2 then
   a 120 for each document, new returnTimes every round); reference: `parse_receipts` alone
   on the same files; and the same files ingested again (all duplicates).
Each figure is the median of 3 interleaved repetitions of `--seconds` each.
"""

import argparse
import dataclasses
import itertools
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from lxml.builder import ElementMaker
from sqlalchemy import event

from benchmarks._setup import compare, machine, migrated_app, repeat
from plugins.customs.signer import XmlDsigSigner
from storefront.customs.receipts import parse_receipts
from storefront.customs.schema import XSD, hardened_parser, schema_problems
from storefront.domain.customs import declarations as ceb
from storefront.domain.customs import messages
from storefront.domain.customs.receipts import DocumentKind
from storefront.domain.customs.states import DocumentStatus, State
from storefront.extensions import db
from storefront.models import CustomsDeclaration, CustomsDocument
from storefront.services.customs_documents import document_key
from storefront.services.customs_receipts import ingest
from storefront.tenancy import tenant_context
from tests.support import declarations, factories

REPETITIONS = 3
# A 2 and a 120 for each of 50 documents of a kind: 100 *Return elements, one full receipt
# file per kind (NOTES §2: at most 100 in a file).
DECLARATIONS = 50
STATUSES = (("2", "新增申报成功"), ("120", "海关入库成功"))
RECEIPT_TYPES = {
    DocumentKind.ORDER: ("CEB312Message", "OrderReturn"),
    DocumentKind.PAYMENT: ("CEB412Message", "PaymentReturn"),
    DocumentKind.WAYBILL: ("CEB512Message", "LogisticsReturn"),
    DocumentKind.INVENTORY: ("CEB622Message", "InventoryReturn"),
}
CEB = ElementMaker(namespace=messages.NAMESPACE, nsmap={None: messages.NAMESPACE})


def make_signer() -> XmlDsigSigner:
    """Return the real signer with a new RSA key and a self-signed certificate for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kuajing benchmark signer")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return XmlDsigSigner(key, certificate)


def make_declaration(order_no: str, n: int, paid_at: datetime) -> ceb.OrderDeclaration:
    """The tests' consistent bonded order (tests/support/declarations.py) under its own numbers."""
    order = declarations.make_declaration()
    return dataclasses.replace(
        order,
        order_no=order_no,
        cop_no=f"INV{n:012d}",
        payment=dataclasses.replace(order.payment, transaction_id=f"PAY{n:012d}", paid_at=paid_at),
        logistics_no=f"YT{n:010d}",
    )


def unsigned_messages(declaration: ceb.OrderDeclaration, now: datetime):
    """Yield (kind, guid, XML) of the four messages, each under a new guid."""
    builders = {
        DocumentKind.ORDER: messages.order_message,
        DocumentKind.PAYMENT: messages.payment_message,
        DocumentKind.WAYBILL: messages.waybill_message,
    }
    declared_on = now.astimezone(messages.CHINA_TIME).date()
    for kind in DocumentKind:
        head = ceb.MessageHead(guid=str(uuid.uuid4()).upper(), app_type="1", app_time=now)
        if kind is DocumentKind.INVENTORY:
            yield kind, head.guid, messages.inventory_message(declaration, head, declared_on)
        else:
            yield kind, head.guid, builders[kind](declaration, head)


def message_rates(seconds: float) -> tuple[list[float], list[float]]:
    """Pipeline and validation-alone rates (messages/s) of each interleaved repetition."""
    signer, now = make_signer(), datetime.now(UTC)
    declaration = make_declaration("KJ202405010001", 1, now)
    signed = [signer.sign(xml).xml for _, _, xml in unsigned_messages(declaration, now)]
    problems = [problem for xml in signed for problem in schema_problems(xml)]
    if problems:
        raise SystemExit(f"the benchmark order is not schema-valid: {problems[0]}")
    parser = hardened_parser()
    schema = etree.XMLSchema(etree.parse(str(XSD), parser=parser))

    def pipeline():
        start = time.perf_counter()
        for _, _, xml in unsigned_messages(declaration, datetime.now(UTC)):
            schema_problems(signer.sign(xml).xml)  # the same order: found valid above
        return 4, time.perf_counter() - start

    def validation():
        start = time.perf_counter()
        for xml in signed:
            schema.validate(etree.fromstring(xml, parser=parser))
        return len(signed), time.perf_counter() - start

    product, reference = [], []
    for n in range(1, REPETITIONS + 1):
        product.append(repeat(pipeline, seconds))
        reference.append(repeat(validation, seconds))
        print(f"  messages, repetition {n}: {product[-1]:,.0f}/s, alone {reference[-1]:,.0f}/s")
    return product, reference


def receipt_fields(kind: DocumentKind, d: ceb.OrderDeclaration) -> dict[str, str]:
    """The elements naming the document in its *Return, as in the official samples."""
    f = d.filing
    platform = {"ebpCode": f.platform.code, "ebcCode": f.enterprise.code}
    return {
        DocumentKind.ORDER: {**platform, "orderNo": d.order_no},
        DocumentKind.PAYMENT: {
            "payCode": f.payment.code,
            "payTransactionId": d.payment.transaction_id,
        },
        DocumentKind.WAYBILL: {"logisticsCode": f.logistics.code, "logisticsNo": d.logistics_no},
        DocumentKind.INVENTORY: {
            "customsCode": f.customs_code,
            **platform,
            "agentCode": f.agent.code,
            "copNo": d.cop_no,
            "preNo": "B" + d.cop_no[3:].rjust(17, "0"),
        },
    }[kind]


def build_declarations(app, signer: XmlDsigSigner) -> list[tuple[ceb.OrderDeclaration, dict]]:
    """One store with DECLARATIONS orders, each with its four signed documents sent; return
    each order's facts and its documents' guids by kind."""
    now, declarations = datetime.now(UTC), []
    with app.app_context():
        tenant = factories.tenant("customs-bench")
        with tenant_context(tenant.id):
            supplier, template = factories.supplier(), factories.template()
            product = factories.product(supplier, "100.00", template, "cross_border_retail")
            shopper = factories.shopper()
            address, identity = factories.address(shopper), factories.identity(shopper)
            for n in range(DECLARATIONS):
                order = factories.order(shopper, product, address, identity)
                facts = make_declaration(order.number, n, now)
                row = CustomsDeclaration(order_id=order.id, state=State.INVENTORY_SENT)
                db.session.add(row)
                db.session.flush()
                guids = {}
                for kind, guid, xml in unsigned_messages(facts, now):
                    guids[kind] = guid
                    db.session.add(
                        CustomsDocument(
                            declaration_id=row.id,
                            kind=kind,
                            business_key=document_key(kind, facts),
                            guid=guid,
                            app_type="1",
                            app_time=now,
                            xml=signer.sign(xml).xml.decode(),
                            status=DocumentStatus.SENT,
                        )
                    )
                declarations.append((facts, guids))
            db.session.commit()
    return declarations


def receipt_files(declarations, stamp_ms: int) -> list[tuple[str, bytes]]:
    """One bare receipt file a kind: for every document a 2, then a 120 a millisecond later."""
    files = []
    for kind, (root, element) in RECEIPT_TYPES.items():
        guid = str(uuid.uuid4()).upper()
        message = CEB(root, guid=guid, version="1.0")
        for facts, guids in declarations:
            for offset, (status, info) in enumerate(STATUSES):
                ms = stamp_ms + offset  # returnTime: 17 digits, to the millisecond
                moment = datetime.fromtimestamp(ms // 1000, messages.CHINA_TIME)
                message.append(
                    CEB(
                        element,
                        CEB("guid", guids[kind]),
                        *(CEB(name, text) for name, text in receipt_fields(kind, facts).items()),
                        CEB("returnStatus", status),
                        CEB("returnTime", f"{moment:%Y%m%d%H%M%S}{ms % 1000:03d}"),
                        CEB("returnInfo", f"{info}[{guids[kind]}]"),
                    )
                )
        content = etree.tostring(message, xml_declaration=True, encoding="UTF-8", standalone=True)
        files.append((f"{root}_{guid}.xml", content))
    return files


class ReceiptBench:
    """Rounds of receipt files with new returnTimes: ingested, ingested again, parsed alone."""

    def __init__(self, declarations) -> None:
        self.declarations, self.rounds, self.turn = declarations, [], itertools.count()
        self.stamps = itertools.count(round(time.time() * 1000), len(STATUSES))
        self.executed, self.totals = 0, {"fresh": [0, 0], "again": [0, 0]}  # receipts, SQL
        event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.executed += 1

    def fresh(self) -> tuple[int, float]:
        """Ingest a new round: none of its receipts was seen before."""
        self.rounds.append(receipt_files(self.declarations, next(self.stamps)))
        return self._ingest(self.rounds[-1], "fresh")

    def again(self) -> tuple[int, float]:
        """Ingest a round already ingested: every receipt is a duplicate."""
        return self._ingest(self.rounds[next(self.turn) % len(self.rounds)], "again")

    def parse(self) -> tuple[int, float]:
        """Parse a round's files alone, without the database."""
        files = self.rounds[next(self.turn) % len(self.rounds)]
        start = time.perf_counter()
        count = sum(len(parse_receipts(content)) for _, content in files)
        return count, time.perf_counter() - start

    def _ingest(self, files, label: str) -> tuple[int, float]:
        before, start = self.executed, time.perf_counter()
        report = ingest(files)
        took = time.perf_counter() - start
        # fresh: every receipt is newer than what its document shows, so some move documents;
        # again: every one is a duplicate and nothing moves
        again = label == "again"
        expected = report.receipts if again else 0
        moved = report.applied == 0 if again else report.applied > 0
        if report.duplicates != expected or not moved or report.unmatched or report.unreadable:
            raise SystemExit(f"the {label} ingest did not go as set up: {report}")
        self.totals[label][0] += report.receipts
        self.totals[label][1] += self.executed - before
        return report.receipts, took

    def per_receipt(self, label: str) -> float:
        """SQL statements per receipt over every run of `label`."""
        receipts, statements = self.totals[label]
        return statements / receipts


def receipt_rates(seconds: float) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Ingest, parse-alone and ingest-again rates of each repetition; statements a receipt."""
    rates = {"fresh": [], "parse": [], "again": []}
    with migrated_app() as (app, _url):
        declarations = build_declarations(app, make_signer())
        with app.app_context():
            bench = ReceiptBench(declarations)
            for n in range(1, REPETITIONS + 1):
                for label, step in (("fresh", bench.fresh), ("parse", bench.parse)):
                    rates[label].append(repeat(step, seconds))
                rates["again"].append(repeat(bench.again, seconds))
                done = ", ".join(f"{label} {values[-1]:,.0f}/s" for label, values in rates.items())
                print(f"  receipts, repetition {n}: {done}")
            statements = {label: bench.per_receipt(label) for label in ("fresh", "again")}
            db.engine.dispose()
    return rates, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    summary = [f"machine: {machine()}"]
    print(summary[0])
    pipeline, alone = message_rates(seconds)
    summary.append(
        compare("messages built+signed+validated", pipeline, "XSD alone", alone, "messages/s")
    )
    print(summary[-1])
    rates, statements = receipt_rates(seconds)
    ingested = compare(
        "receipts ingested", rates["fresh"], "parsed alone", rates["parse"], "receipts/s"
    )
    again = statistics.median(rates["again"])
    summary += [
        f"{ingested} · {statements['fresh']:.1f} SQL statements/receipt",
        f"receipts ingested again (all duplicates): {again:,.0f} receipts/s"
        f" · {statements['again']:.1f} SQL statements/receipt",
    ]
    print(*summary[-2:], sep="\n")
    print(f"\nsummary (medians of {REPETITIONS} interleaved repetitions of {seconds:g} s)")
    print("\n".join(f"  {line}" for line in summary))
    print(f"  (ingest: {DECLARATIONS} declarations × 4 documents on PostgreSQL; ×N: the product")
    print("  takes N times the reference's time per item)")


if __name__ == "__main__":
    main()
