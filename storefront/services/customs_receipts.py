"""Taking in customs' receipts (SPEC §6.3; NOTES §4).

Receipts come bare or in a DXP envelope, batched, duplicated and out of order. Each is
matched to the document it answers by business key (never by its guid, which the e-port
makes), stored once (a unique key makes a file read twice harmless) and applied in
`returnTime` order; a receipt older than what its document already shows, or older than the
document itself (an answer to a version since corrected), is kept but moves nothing.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.customs.codes import error_text, return_status_text
from storefront.customs.receipts import ReceiptError, parse_receipts
from storefront.domain.customs.receipts import Outcome, Receipt, in_processing_order, outcome
from storefront.domain.customs.states import DocumentStatus, State, Step, after_receipt
from storefront.extensions import db
from storefront.models import CustomsDeclaration, CustomsDocument, CustomsReceipt
from storefront.services.customs import refresh_state, reject
from storefront.services.quota import CHINA
from storefront.tenancy import system_context, tenant_context

logger = logging.getLogger(__name__)
CUSTOMS = "customs"
CHINA_TIME = "%Y%m%d%H%M%S"


@dataclass
class IngestReport:
    """What a batch of files did: counts, unreadable files, declarations to move on."""

    files: int = 0
    receipts: int = 0
    applied: int = 0
    duplicates: int = 0
    unmatched: int = 0
    unreadable: list[str] = field(default_factory=list)
    to_advance: set[tuple[int, int]] = field(default_factory=set)  # (tenant, declaration)


def ingest(files) -> IngestReport:
    """Store and apply the receipts of `files` ((name, content) pairs); commit per tenant."""
    report = IngestReport()
    parsed: list[tuple[str, Receipt]] = []
    for name, content in files:
        report.files += 1
        try:
            parsed.extend((name, receipt) for receipt in parse_receipts(content))
        except ReceiptError as error:
            logger.warning("customs file %s unreadable: %s", name, error)
            report.unreadable.append(name)
    report.receipts = len(parsed)
    by_tenant = _match(parsed, report)
    for tenant_id, matched in sorted(by_tenant.items()):
        with tenant_context(tenant_id):
            _ingest_tenant(tenant_id, matched, report)
            db.session.commit()
    return report


def _match(parsed, report) -> dict[int, list[tuple[str, Receipt, int]]]:
    """Find each receipt's document, across stores: a key names one store's document."""
    keys = {(receipt.kind, receipt.key) for _name, receipt in parsed}
    found: dict[tuple[str, str], tuple[int, int]] = {}
    with system_context():
        for kind, key in keys:
            row = db.session.execute(
                select(CustomsDocument.tenant_id, CustomsDocument.declaration_id)
                .where(CustomsDocument.kind == kind, CustomsDocument.business_key == key)
                .limit(1)
            ).first()
            if row is not None:
                found[(kind, key)] = (row.tenant_id, row.declaration_id)
    by_tenant: dict[int, list] = {}
    for name, receipt in parsed:
        match = found.get((receipt.kind, receipt.key))
        if match is None:
            report.unmatched += 1
            logger.warning("customs receipt %s %s matches no document", receipt.kind, receipt.key)
            continue
        by_tenant.setdefault(match[0], []).append((name, receipt, match[1]))
    return by_tenant


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
    try:
        with db.session.begin_nested():
            db.session.add(
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
    except IntegrityError:
        return False
    return True


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
