"""An applicant's own application and documents (seed 000 step 1): read only through the
applicant's id, so one applicant never reaches another's."""

from sqlalchemy import select

from storefront.extensions import db
from storefront.models import MerchantApplication, StoredFile
from storefront.models.review_decisions import ReviewDecision
from storefront.tenancy import system_context

KIND = "application"  # storefront.services.applications.KIND


def application_of(applicant_id: int) -> MerchantApplication | None:
    """Return the applicant's application, if it has saved one."""
    return db.session.scalar(
        select(MerchantApplication).where(MerchantApplication.applicant_id == applicant_id)
    )


def documents_of(application: MerchantApplication | None) -> dict[str, StoredFile]:
    """Return the application's saved documents by purpose (files of no tenant: read in
    system context, the only one row-level security shows them in)."""
    if application is None:
        return {}
    ids = {purpose: file_id for purpose, file_id in application.document_ids().items() if file_id}
    if not ids:
        return {}
    with system_context():
        rows = db.session.scalars(select(StoredFile).where(StoredFile.id.in_(ids.values())))
        files = {row.id: row for row in rows}
    return {purpose: files[file_id] for purpose, file_id in ids.items() if file_id in files}


def applicant_file(applicant_id: int, stored_file_id: int) -> StoredFile | None:
    """Return one of the applicant's own application documents, or None for any other file."""
    application = application_of(applicant_id)
    for stored in documents_of(application).values():
        if stored.id == stored_file_id:
            return stored
    return None


def history_of(application: MerchantApplication | None) -> list[ReviewDecision]:
    """Return the application's review steps, oldest first."""
    if application is None or application.id is None:
        return []
    statement = select(ReviewDecision).where(
        ReviewDecision.kind == KIND, ReviewDecision.subject_id == application.id
    )
    with system_context():  # steps of no tenant: row-level security shows them only here
        return list(db.session.scalars(statement.order_by(ReviewDecision.id)))
