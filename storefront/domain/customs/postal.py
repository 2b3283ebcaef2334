"""Direct-mail declaration sheet (SPEC §6): a parcel declared as personal postal articles.

Direct-mail (海外直邮) orders send no CEB message; the merchant prints this sheet with the
waybill. The order already holds its postal rate and tax (SPEC §2), so the sheet only carries
the figures to show.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from storefront.domain.tax import POSTAL_EXEMPTION

# PIPL: the sheet travels on the parcel, so the identity number is shown masked (SPEC §1).
MASK_CHARACTER = "*"


@dataclass(frozen=True)
class PostalLine:
    """One article in the parcel, as declared."""

    name: str
    spec: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    postal_tax_number: str  # 行邮税号, 8 digits, e.g. "09000000"
    origin_country: str  # Chinese country name as shown, e.g. "日本"


@dataclass(frozen=True)
class PostalDeclarationSheet:
    """Everything printed on one parcel's declaration of personal postal articles."""

    order_number: str
    parcel_number: str  # waybill / tracking number; "" before the carrier assigns one
    store_name: str
    sender_address: str
    consignee_name: str
    consignee_phone: str
    consignee_address: str
    masked_id_number: str
    lines: tuple[PostalLine, ...]
    goods_total: Decimal
    postal_rate: Decimal  # percent, e.g. 13 for 13%
    tax_assessed: Decimal  # round(goods total × postal rate), before the exemption
    tax_due: Decimal  # 0 when the assessed tax is 50.00 or less
    declared_on: date

    def __post_init__(self) -> None:
        # A full identity number must never reach a printed sheet (PIPL, SPEC §1).
        if MASK_CHARACTER not in self.masked_id_number:
            raise ValueError("the identity number on a declaration sheet must be masked")

    @property
    def tax_exempt(self) -> bool:
        """Tell whether the postal tax is not collected: 50.00 or less (SPEC §2)."""
        return self.tax_assessed <= POSTAL_EXEMPTION
