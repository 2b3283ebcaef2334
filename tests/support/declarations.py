"""Customs declarations for tests and benchmarks: consistent orders, built from the domain's
dataclasses, with every field their trade mode needs."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from storefront.domain.customs.declarations import (
    Consignee,
    DeclaredLine,
    EnterpriseFiling,
    MessageHead,
    OrderDeclaration,
    Party,
    PaymentFacts,
    Person,
)
from storefront.domain.identity import check_char

BUYER_ID = "11010519491231002" + check_char("11010519491231002")
GUID = "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"
SENT = datetime(2024, 5, 1, 2, 0, 5, tzinfo=UTC)
DECLARED_ON = date(2024, 5, 1)


def make_filing(trade_mode: str = "1210", **changes) -> EnterpriseFiling:
    """A bonded (1210) or direct-purchase (9610) filing with every field its mode needs."""
    bonded = trade_mode == "1210"
    filing = EnterpriseFiling(
        platform=Party("3101960001", "示例平台有限公司"),
        enterprise=Party("3101960002", "示例电商有限公司"),
        payment=Party("3101960003", "示例支付有限公司"),
        logistics=Party("3101960004", "示例物流有限公司"),
        agent=Party("3101960005", "示例报关有限公司"),
        customs_code="2244",
        port_code="2244",
        trade_mode=trade_mode,
        traf_mode="W" if bonded else "5",
        ems_no="T2244W000123" if bonded else "",
        area=Party("3101960006", "示例保税仓储有限公司") if bonded else None,
        traf_no="" if bonded else "MU5101",
        voyage_no="" if bonded else "20240501",
        bill_no="" if bonded else "781-12345675",
        dxp_id="DXPENT0000012345",
    )
    return dataclasses.replace(filing, **changes)


def make_line(gnum: int, price: str = "100.00", quantity: int = 2, **changes) -> DeclaredLine:
    """A goods line whose total is price × quantity."""
    line = DeclaredLine(
        gnum=gnum,
        sku=f"SKU-{gnum}",
        name="保湿面霜",
        model="50ml/瓶 品牌A 甘油",
        hs_code="3304990099",
        record_no=f"REC{gnum:04d}",
        bar_code="",
        country="116",
        unit="007",
        unit1="035",
        qty1=D("0.1") * quantity,
        quantity=quantity,
        price=D(price),
        amount=D(price) * quantity,
    )
    return dataclasses.replace(line, **changes)


def make_declaration(trade_mode: str = "1210", **changes) -> OrderDeclaration:
    """A consistent two-line order: 300.00 goods + 10.00 freight + 27.30 tax − 5.00 discount."""
    buyer = Person("张三", BUYER_ID, "13800000000")
    declaration = OrderDeclaration(
        order_no="KJ202405010001",
        cop_no="INV202405010001",
        filing=make_filing(trade_mode),
        buyer_reg_no="shopper-17",
        buyer=buyer,
        consignee=Consignee("张三", "13800000000", "上海市浦东新区世纪大道1号"),
        lines=(make_line(1), make_line(2, price="50.00", quantity=2)),
        goods_value=D("300.00"),
        freight=D("10.00"),
        discount=D("5.00"),
        insured_fee=D("0.00"),
        tax_total=D("27.30"),
        actual_paid=D("332.30"),
        payment=PaymentFacts("PAY202405010001", SENT - timedelta(minutes=5), D("332.30"), buyer),
        logistics_no="YT1234567890",
        gross_weight=D("0.450"),
        net_weight=D("0.300"),
        country="142" if trade_mode == "1210" else "116",
    )
    return dataclasses.replace(declaration, **changes)


def make_head(**changes) -> MessageHead:
    return dataclasses.replace(MessageHead(guid=GUID, app_type="1", app_time=SENT), **changes)
