"""Commission records for the merchant and for the promoter."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront.extensions import db
from storefront.models import CommissionRecord, Promoter


def console_records(page: int, per_page: int):
    statement = (
        select(CommissionRecord)
        .options(
            selectinload(CommissionRecord.order),
            selectinload(CommissionRecord.promoter).selectinload(Promoter.shopper),
        )
        .order_by(CommissionRecord.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def promoter_of(shopper_id: int) -> Promoter | None:
    return db.session.scalar(select(Promoter).where(Promoter.shopper_id == shopper_id))


def promoter_records(promoter: Promoter) -> list[CommissionRecord]:
    return db.session.scalars(
        select(CommissionRecord)
        .where(CommissionRecord.promoter_id == promoter.id)
        .options(selectinload(CommissionRecord.order))
        .order_by(CommissionRecord.id.desc())
    ).all()
