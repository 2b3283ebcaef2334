"""Customs: the store's and its products' filings, each order's declaration, the messages sent
for it, the receipts customs answered and the declaration's timeline (SPEC §6)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.domain.customs.receipts import TaxBill, TaxBillStatus
from storefront.extensions import db
from storefront.models.review_decisions import Reviewable
from storefront.models.types import Encrypted, UTCDateTime, utcnow
from storefront.tenancy import TenantScoped

# Quantities and weights as customs writes them (N19,5; NOTES §3.2).
Measure = Numeric(19, 5, asdecimal=True)


class CustomsFiling(Reviewable, TenantScoped, db.Model):
    """The store's enterprise filing (企业备案): customs codes of every party of its orders.

    Reviewed by the platform operator as kind "enterprise_filing" (seed 000 step 2).
    """

    __tablename__ = "customs_filings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_code: Mapped[str] = mapped_column(String(18))
    platform_name: Mapped[str] = mapped_column(String(100))
    enterprise_code: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(100))
    payment_code: Mapped[str] = mapped_column(String(18))
    payment_name: Mapped[str] = mapped_column(String(100))
    logistics_code: Mapped[str] = mapped_column(String(18))
    logistics_name: Mapped[str] = mapped_column(String(100))
    agent_code: Mapped[str] = mapped_column(String(18))
    agent_name: Mapped[str] = mapped_column(String(100))
    customs_code: Mapped[str] = mapped_column(String(4))
    port_code: Mapped[str] = mapped_column(String(4))
    trade_mode: Mapped[str] = mapped_column(String(4))  # 1210 bonded | 9610 direct purchase
    traf_mode: Mapped[str] = mapped_column(String(1))
    ems_no: Mapped[str] = mapped_column(String(30), default="")
    area_code: Mapped[str] = mapped_column(String(18), default="")
    area_name: Mapped[str] = mapped_column(String(100), default="")
    loct_no: Mapped[str] = mapped_column(String(10), default="")
    traf_no: Mapped[str] = mapped_column(String(100), default="")
    voyage_no: Mapped[str] = mapped_column(String(32), default="")
    bill_no: Mapped[str] = mapped_column(String(37), default="")
    dxp_id: Mapped[str] = mapped_column(String(30), default="")


class ProductFiling(Reviewable, TenantScoped, db.Model):
    """A product's filing (商品备案): what customs knows the goods as; reviewed by the platform
    operator as kind "product_filing" (seed 000 step 2(1))."""

    __tablename__ = "product_filings"
    __table_args__ = (UniqueConstraint("tenant_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    hs_code: Mapped[str] = mapped_column(String(10), index=True)
    record_no: Mapped[str] = mapped_column(String(30))  # filing number (itemRecordNo)
    origin_country: Mapped[str] = mapped_column(String(3))
    unit: Mapped[str] = mapped_column(String(3))
    unit1: Mapped[str] = mapped_column(String(3))  # legal first unit
    qty1_per_unit: Mapped[Decimal] = mapped_column(Measure)
    unit2: Mapped[str] = mapped_column(String(3), default="")
    qty2_per_unit: Mapped[Decimal | None] = mapped_column(Measure, nullable=True)
    gross_weight: Mapped[Decimal] = mapped_column(Measure)  # kg per unit
    net_weight: Mapped[Decimal] = mapped_column(Measure)  # kg per unit
    model: Mapped[str] = mapped_column(String(510))  # brand, spec, ingredients (gmodel)
    bar_code: Mapped[str] = mapped_column(String(50), default="")
    postal_tax_number: Mapped[str] = mapped_column(String(10), default="")  # direct mail
    product = relationship("Product")


class CustomsDeclaration(TenantScoped, db.Model):
    """One order's way through customs: its state, the warehouse's numbers, what went wrong."""

    __tablename__ = "customs_declarations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        Index("ix_customs_declarations_tenant_state", "tenant_id", "state", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    state: Mapped[str] = mapped_column(String(24))  # storefront.domain.customs.states.State
    # why it is rejected: a return status or problem code, and the words to show
    reason_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason_text: Mapped[str] = mapped_column(Text, default="")
    tally_request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    waybill_number: Mapped[str | None] = mapped_column(String(60), nullable=True)
    outbound_request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pre_no: Mapped[str | None] = mapped_column(String(18), nullable=True)
    # customs' inventory number: tax bills (CEB816) name the declaration by it
    invt_no: Mapped[str | None] = mapped_column(String(18), nullable=True, index=True)
    revision: Mapped[int] = mapped_column(default=0)  # 0: never sent; 2+: corrected resends
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    order = relationship("Order")
    documents = relationship(
        "CustomsDocument", back_populates="declaration", order_by="CustomsDocument.id"
    )


class CustomsDocument(TenantScoped, db.Model):
    """One message as sent (signed XML, encrypted: it names the buyer) and where it stands."""

    __tablename__ = "customs_documents"
    __table_args__ = (Index("ix_customs_documents_key", "kind", "business_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customs_declarations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(3))  # DocumentKind: 311 411 511 621
    business_key: Mapped[str] = mapped_column(String(120))
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    app_type: Mapped[str] = mapped_column(String(1))
    app_time: Mapped[datetime] = mapped_column(UTCDateTime)
    xml: Mapped[str] = mapped_column(Encrypted)
    status: Mapped[str] = mapped_column(String(12), default="sending")  # DocumentStatus
    last_return_status: Mapped[str | None] = mapped_column(String(10), nullable=True)
    last_return_time: Mapped[str | None] = mapped_column(String(17), nullable=True)
    current: Mapped[bool] = mapped_column(default=True)  # False once a resend replaced it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    declaration = relationship("CustomsDeclaration", back_populates="documents")


class CustomsReceipt(TenantScoped, db.Model):
    """A receipt as customs sent it; the unique key makes ingesting a file twice harmless."""

    __tablename__ = "customs_receipts"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id",
            "kind",
            "business_key",
            "return_status",
            "return_time",
            name="uq_customs_receipts_once",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customs_declarations.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("customs_documents.id"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(3))
    business_key: Mapped[str] = mapped_column(String(120))
    return_status: Mapped[str] = mapped_column(String(10))
    return_time: Mapped[str] = mapped_column(String(17))
    info: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomsEvent(TenantScoped, db.Model):
    """The declaration's timeline: each state it reached, who or what moved it, why."""

    __tablename__ = "customs_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customs_declarations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    from_state: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(40), default="")  # a Step code
    params: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class CustomsTaxBill(TenantScoped, db.Model):
    """Customs' electronic tax bill (CEB816) for a released inventory: the tax deducted.

    Kept as sent; a later bill of the same tax_no replaces the earlier one and status 3 voids
    it (domain.customs.receipts.tax_deducted). The unique key makes a file read twice harmless.
    """

    __tablename__ = "customs_tax_bills"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id", "tax_no", "status", "return_time", name="uq_customs_tax_bills_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customs_declarations.id"), index=True)
    invt_no: Mapped[str] = mapped_column(String(18))
    tax_no: Mapped[str] = mapped_column(String(50))
    customs_tax: Mapped[Decimal] = mapped_column(Measure)  # N19,5 (spec table 3-59)
    value_added_tax: Mapped[Decimal] = mapped_column(Measure)
    consumption_tax: Mapped[Decimal] = mapped_column(Measure)
    status: Mapped[str] = mapped_column(String(1))  # TaxBillStatus: 1 generated 2 summarised 3 void
    return_time: Mapped[str] = mapped_column(String(17))
    ent_duty_no: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def total(self) -> Decimal:
        """Return the tax this bill deducts: tariff + VAT + consumption tax."""
        return self.customs_tax + self.value_added_tax + self.consumption_tax

    def as_bill(self) -> TaxBill:
        """Return the bill as the domain reads it."""
        return TaxBill(
            invt_no=self.invt_no,
            tax_no=self.tax_no,
            customs_tax=self.customs_tax,
            value_added_tax=self.value_added_tax,
            consumption_tax=self.consumption_tax,
            status=TaxBillStatus(self.status),
            return_time=self.return_time,
            ent_duty_no=self.ent_duty_no,
            note=self.note,
        )
