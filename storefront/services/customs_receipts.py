"""Taking in customs' receipts (SPEC §6.3; NOTES §4).

Receipts come bare or in a DXP envelope, batched, duplicated and out of order. Each is
matched to the document it answers by business key (never by its guid, which the e-port
makes), stored once (a unique key makes a file read twice harmless) and applied in
`returnTime` order; a receipt older than what its document already shows, or older than the
document itself (an answer to a version since corrected), is kept but moves nothing.

Electronic tax bills (CEB816) come the same way; once the receipts are applied (the 622 gives
the declaration its invtNo), each bill is matched to its declaration by invtNo and stored
once. A bill moves no state: it is what customs actually deducted (reconciliation).
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError

from storefront.customs.codes import error_text, return_status_text
from storefront.customs.receipts import ReceiptError, parse_customs_file
from storefront.domain.customs.receipts import (
    Outcome,
    Receipt,
    TaxBill,
    in_processing_order,
    outcome,
)
from storefront.domain.customs.states import DocumentStatus, State, Step, after_receipt
from storefront.extensions import db
from storefront.models import CustomsDeclaration, CustomsDocument, CustomsReceipt
from storefront.models.customs import CustomsTaxBill
from storefront.services.customs import refresh_state, reject
from storefront.services.quota import CHINA
from storefront.tenancy import system_context, tenant_context

logger = logging.getLogger(__name__)
CUSTOMS = "customs"
MATCH_BATCH = 500  # business keys per look-up query
CHINA_TIME = "%Y%m%d%H%M%S"


@dataclass
class IngestReport:
    """What a batch of files did: counts, unreadable files, declarations to move on.

    Tax bills count in `tax_bills` (and `tax_bills_stored`); a bill kept before counts in
    `duplicates`, one that matches no declaration in `unmatched`, as receipts do.
    """

    files: int = 0
    receipts: int = 0
    applied: int = 0
    duplicates: int = 0
    unmatched: int = 0
    tax_bills: int = 0
    tax_bills_stored: int = 0
    unreadable: list[str] = field(default_factory=list)
    to_advance: set[tuple[int, int]] = field(default_factory=set)  # (tenant, declaration)


def ingest(files) -> IngestReport:
    """Store and apply the receipts of `files` ((name, content) pairs); commit per tenant."""
    report = IngestReport()
    parsed: list[tuple[str, Receipt]] = []
    bills: list[tuple[str, TaxBill]] = []
    for name, content in files:
        report.files += 1
        try:
            found = parse_customs_file(content)
        except ReceiptError as error:
            logger.warning("customs file %s unreadable: %s", name, error)
            report.unreadable.append(name)
            continue
        parsed.extend((name, receipt) for receipt in found.receipts)
        bills.extend((name, bill) for bill in found.tax_bills)
    report.receipts, report.tax_bills = len(parsed), len(bills)
    by_tenant = _match(parsed, report)
    for tenant_id, matched in sorted(by_tenant.items()):
        with tenant_context(tenant_id):
            _ingest_tenant(tenant_id, matched, report)
            db.session.commit()
    # After the receipts: a bill in the same batch as its 622 finds the invtNo it names.
    for tenant_id, matched_bills in sorted(_match_bills(bills, report).items()):
        with tenant_context(tenant_id):
            for name, bill, declaration_id in matched_bills:
                stored = _store_bill(name, bill, declaration_id)
                report.tax_bills_stored += stored
                report.duplicates += not stored
            db.session.commit()
    return report


def _match(parsed, report) -> dict[int, list[tuple[str, Receipt, int]]]:
    """Find each receipt's document, across stores: a key names one store's document."""
    keys = sorted({(str(receipt.kind), receipt.key) for _name, receipt in parsed})
    found: dict[tuple[str, str], tuple[int, int]] = {}
    document = CustomsDocument
    with system_context():
        for start in range(0, len(keys), MATCH_BATCH):  # one query per batch of keys
            rows = db.session.execute(
                select(document.kind, document.business_key, document.tenant_id)
                .add_columns(document.declaration_id)
                .where(tuple_(document.kind, document.business_key).in_(keys[start:][:MATCH_BATCH]))
            )
            for row in rows:
                found.setdefault((row.kind, row.business_key), (row.tenant_id, row.declaration_id))
    by_tenant: dict[int, list] = {}
    for name, receipt in parsed:
        match = found.get((receipt.kind, receipt.key))
        if match is None:
            report.unmatched += 1
            logger.warning("customs receipt %s %s matches no document", receipt.kind, receipt.key)
            continue
        by_tenant.setdefault(match[0], []).append((name, receipt, match[1]))
    return by_tenant


def _match_bills(bills, report) -> dict[int, list[tuple[str, TaxBill, int]]]:
    """Find each bill's declaration by the inventory number customs gave it, across stores."""
    numbers = sorted({bill.invt_no for _name, bill in bills})
    found: dict[str, list[tuple[int, int]]] = {}
    with system_context():
        rows = db.session.execute(
            select(
                CustomsDeclaration.invt_no, CustomsDeclaration.tenant_id, CustomsDeclaration.id
            ).where(CustomsDeclaration.invt_no.in_(numbers))
        )
        for row in rows:
            found.setdefault(row.invt_no, []).append((row.tenant_id, row.id))
    by_tenant: dict[int, list] = {}
    for name, bill in bills:
        match = found.get(bill.invt_no, [])
        # None: the bill came before the 622 that numbered the inventory, or for another shop;
        # two: customs' numbers are unique, so neither store can be trusted with it.
        if len(match) != 1:
            report.unmatched += 1
            logger.warning(
                "customs tax bill %s for %s matches no declaration", bill.tax_no, bill.invt_no
            )
            continue
        tenant_id, declaration_id = match[0]
        by_tenant.setdefault(tenant_id, []).append((name, bill, declaration_id))
    return by_tenant


def _store_bill(name: str, bill: TaxBill, declaration_id: int) -> bool:
    """Keep the bill once; False if it was kept before."""
    return _insert_once(
        CustomsTaxBill(
            declaration_id=declaration_id,
            invt_no=bill.invt_no,
            tax_no=bill.tax_no,
            customs_tax=bill.customs_tax,
            value_added_tax=bill.value_added_tax,
            consumption_tax=bill.consumption_tax,
            status=bill.status,
            return_time=bill.return_time,
            ent_duty_no=bill.ent_duty_no,
            note=bill.note,
            file_name=name[:200],
        )
    )


def _insert_once(row) -> bool:
    """Insert a row whose unique key says whether it was seen; False if it was."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def _ingest_tenant(tenant_id: int, matched, report: IngestReport) -> None:
    fresh = []
    for name, receipt, declaration_id in matched:
        if _store(name, receipt, declaration_id):
            fresh.append((receipt, declaration_id))
        else:
            report.duplicates += 1
    order = {id(receipt): n for n, receipt in enumerate(in_processing_order(r for r, _ in fresh))}
    for receipt, declaration_id in sorted(fresh, key=lambda pair: order[id(pair[0])]):
        result = _apply(receipt, declaration_id)
        report.applied += result is not None
        if result not in (None, Outcome.PROGRESS):
            report.to_advance.add((tenant_id, declaration_id))


def _store(name: str, receipt: Receipt, declaration_id: int) -> bool:
    """Keep the receipt once; False if it was kept before (a duplicate or a file read twice)."""
    return _insert_once(
        CustomsReceipt(
            declaration_id=declaration_id,
            kind=receipt.kind,
            business_key=receipt.key,
            return_status=receipt.return_status,
            return_time=receipt.return_time,
            info=receipt.info,
            file_name=name[:200],
        )
    )


def _apply(receipt: Receipt, declaration_id: int) -> Outcome | None:
    """Move the answered document (and so the declaration); None if the receipt is stale."""
    declaration = db.session.scalar(
        select(CustomsDeclaration).where(CustomsDeclaration.id == declaration_id).with_for_update()
    )
    document = _answered(declaration, receipt)
    if document is None:
        return None
    document.last_return_status = receipt.return_status
    document.last_return_time = receipt.return_time
    if receipt.pre_no:
        declaration.pre_no, declaration.invt_no = receipt.pre_no, receipt.invt_no or None
    result = outcome(receipt.kind, receipt.return_status)
    document.status = after_receipt(DocumentStatus(document.status), result)
    if document.status == DocumentStatus.REJECTED and declaration.state != State.REJECTED:
        reject(declaration, receipt.return_status, reason_text(receipt), CUSTOMS)
    else:
        refresh_state(declaration, CUSTOMS, Step.RECEIPT, _params(receipt))
    return result


def _answered(declaration: CustomsDeclaration, receipt: Receipt) -> CustomsDocument | None:
    """The current document the receipt answers, unless the receipt is older than its latest
    answer (receipts come out of order) or, for a corrected resend, older than the resend
    itself: a late answer to the version it replaced."""
    for document in declaration.documents:
        if not document.current or (document.kind, document.business_key) != (
            receipt.kind,
            receipt.key,
        ):
            continue
        resent = document.created_at.astimezone(CHINA).strftime(CHINA_TIME)
        if document.app_type == "2" and receipt.return_time[:14] < resent:
            return None
        if document.last_return_time and receipt.return_time <= document.last_return_time:
            return None
        return document
    return None


def reason_text(receipt: Receipt) -> str:
    """Customs' reason in Chinese: its own words, else the code tables' (spec table 7-2)."""
    if receipt.return_status.startswith("-"):
        known = error_text(receipt.return_status) or ""
        return f"{known}（{receipt.info}）" if receipt.info and known else known or receipt.info
    return receipt.info or return_status_text(receipt.return_status) or receipt.return_status


def _params(receipt: Receipt) -> dict[str, str]:
    return {"kind": str(receipt.kind), "status": receipt.return_status}
