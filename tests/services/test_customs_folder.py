"""The folder transport, the e-port client's way: messages land in the outbox, receipts are
read from the inbox and moved aside once taken in (SPEC §6.5)."""

from pathlib import Path

from sqlalchemy import select

from storefront.domain.customs.states import State
from storefront.extensions import db
from storefront.integrations import files_folder
from storefront.models import CustomsDeclaration
from storefront.ports import Port
from storefront.services import customs
from storefront.services.customs_upkeep import advance_each, collect_all
from storefront.services.integrations import save_plugin_settings
from storefront.tenancy import tenant_context

CEB = "http://www.chinaport.gov.cn/ceb"
RETURNS = {  # kind -> (root, item, key elements)
    "311": ("CEB312Message", "OrderReturn", ("ebpCode", "orderNo")),
    "411": ("CEB412Message", "PaymentReturn", ("payCode", "payTransactionId")),
    "511": ("CEB512Message", "LogisticsReturn", ("logisticsCode", "logisticsNo")),
}
GUID = "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"


def receipt(kind: str, key: str, status: str, at: str) -> bytes:
    """A receipt as customs writes it (default namespace, as the official samples)."""
    root, item, names = RETURNS[kind]
    keys = "".join(f"<{n}>{v}</{n}>" for n, v in zip(names, key.split("|"), strict=True))
    if kind == "311":
        keys = f"<ebpCode>{key.split('|')[0]}</ebpCode><ebcCode>{key.split('|')[0]}</ebcCode>"
        keys += f"<orderNo>{key.split('|')[1]}</orderNo>"
    body = (
        f'<{root} xmlns="{CEB}" guid="{GUID}" version="1.0"><{item}><guid>{GUID}</guid>{keys}'
        f"<returnStatus>{status}</returnStatus><returnTime>{at}</returnTime>"
        f"<returnInfo>新增申报成功</returnInfo></{item}></{root}>"
    )
    return body.encode()


def test_messages_go_to_the_outbox_and_receipts_come_from_the_inbox(tenants):
    a = tenants.a
    with tenant_context(a.tenant.id):
        save_plugin_settings(Port.CUSTOMS_TRANSPORT, "folder_customs_transport", {}, "owner")
        a.payment.paid_at = a.payment.created_at
        declaration_id = customs.open_declaration(a.order.id)
        db.session.commit()
        folder = Path(files_folder(a.tenant.id, "folder_customs_transport"))
        customs.advance(declaration_id)
        declaration = db.session.scalar(
            select(CustomsDeclaration).where(CustomsDeclaration.id == declaration_id)
        )
        documents = {doc.kind: doc for doc in declaration.documents}
    outbox = sorted(path.name for path in (folder / "outbox").glob("*.xml"))
    assert outbox == sorted(f"CEB{k}Message_{d.guid}.xml" for k, d in documents.items())

    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for n, (kind, document) in enumerate(documents.items()):
        for status, at in (("120", "20991231000001000"), ("2", "20991231000000000")):
            name = f"{n}-{status}.xml"
            (inbox / name).write_bytes(receipt(kind, document.business_key, status, at))
    report = collect_all()
    advance_each(report.to_advance)
    assert report.applied == 6 and not list(inbox.glob("*.xml"))
    assert len(list((folder / "processed").glob("*.xml"))) == 6
    with tenant_context(a.tenant.id):
        db.session.expire_all()
        declaration = db.session.scalar(
            select(CustomsDeclaration).where(CustomsDeclaration.id == declaration_id)
        )
        assert declaration.state == State.INVENTORY_SENT
    assert any(path.name.startswith("CEB621Message_") for path in (folder / "outbox").iterdir())
