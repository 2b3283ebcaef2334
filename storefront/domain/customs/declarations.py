"""What the four import declarations (CEB311/411/511/621) say about one order.

The core maps its models to these frozen dataclasses; `messages` writes them as CEB XML and
`consistency` checks what the schema cannot (NOTES §3.5, §5).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """A registered enterprise: its customs code (XSD allows 1..18 chars) and name."""

    code: str
    name: str


@dataclass(frozen=True)
class EnterpriseFiling:
    """The store's customs filing (企业备案): who declares, where, and how."""

    platform: Party  # ebpCode/ebpName
    enterprise: Party  # ebcCode/ebcName
    payment: Party  # payCode/payName
    logistics: Party  # logisticsCode/logisticsName
    agent: Party  # agentCode/agentName (declaring agent)
    customs_code: str  # 4 digits, customsCode (主管海关)
    port_code: str  # 4 digits, portCode (口岸海关)
    trade_mode: str  # "1210" bonded | "9610" direct purchase
    traf_mode: str  # transport mode code, e.g. "W" bonded / "5" air (1 char)
    ems_no: str = ""  # bonded account book (required for 1210)
    area: Party | None = None  # bonded-area warehouse enterprise (required for 1210)
    loct_no: str = ""  # supervision site
    traf_no: str = ""  # 9610: vessel/flight
    voyage_no: str = ""  # 9610
    bill_no: str = ""  # 9610: master bill
    dxp_id: str = ""  # the sender's data exchange id (BaseTransfer/dxpId)


@dataclass(frozen=True)
class DeclaredLine:
    """One goods line, numbered the same in the order (311) and the inventory (621)."""

    gnum: int  # 1..n, the same numbers in 311 and 621
    sku: str  # itemNo (≤ 20 chars in 621)
    name: str  # itemName / gname (Chinese name, as filed)
    model: str  # gmodel: spec/brand/ingredients
    hs_code: str  # gcode, 10 digits
    record_no: str  # itemRecordNo (product filing no.; required for 1210)
    bar_code: str  # "" -> "无" in 621
    country: str  # origin country code, 3 digits (e.g. "116" Japan)
    unit: str  # declared unit code, 3 digits (e.g. "007" 个)
    unit1: str  # legal first unit
    qty1: Decimal  # legal first quantity for the whole line
    quantity: int
    price: Decimal  # unit price (yuan, 2 decimals)
    amount: Decimal  # line total = price × quantity
    unit2: str = ""
    qty2: Decimal | None = None


@dataclass(frozen=True)
class Person:
    """A natural person as customs identifies them."""

    name: str
    id_number: str  # PRC resident ID, 18 chars (already normalised)
    phone: str


@dataclass(frozen=True)
class Consignee:
    """Who receives the parcel, as on the waybill."""

    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class PaymentFacts:
    """The payment as the payment company declares it (CEB411)."""

    transaction_id: str  # payTransactionId: the payment serial number
    paid_at: datetime  # aware datetime; written in China time
    amount: Decimal  # amountPaid
    payer: Person


@dataclass(frozen=True)
class OrderDeclaration:
    """One order: everything the four messages need."""

    order_no: str  # the product's order number, in all four messages
    cop_no: str  # our internal doc number for 621 (≤ 20 chars)
    filing: EnterpriseFiling
    buyer_reg_no: str  # the shopper's account id on the platform
    buyer: Person
    consignee: Consignee
    lines: tuple[DeclaredLine, ...]
    goods_value: Decimal
    freight: Decimal
    discount: Decimal
    insured_fee: Decimal
    tax_total: Decimal  # tax withheld (composite tax of SPEC §2)
    actual_paid: Decimal  # acturalPaid: = goods + freight + tax − discount
    payment: PaymentFacts
    logistics_no: str  # the waybill number the warehouse assigned
    gross_weight: Decimal  # kg
    net_weight: Decimal  # kg
    country: str  # 621 head country (1210: "142" per NOTES §3.2)
    note: str = ""


@dataclass(frozen=True)
class MessageHead:
    """What differs per sending of a message."""

    guid: str  # 36 chars, upper case (new for every message sent)
    app_type: str  # "1" new | "2" change (a corrected resend)
    app_time: datetime  # aware; written as YYYYMMDDhhmmss China time
    app_status: str = "2"  # "2" declare
    sender: Party | None = None  # BaseTransfer copCode/copName (default: filing.enterprise)
