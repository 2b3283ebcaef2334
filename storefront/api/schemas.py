"""Response models shared by several endpoints: money, quotes, products.

Money is a string with two decimals (as `flask tax quote` and the cart quote print it):
never a float. The quote models describe exactly what storefront/cart_quote.py returns.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MoneyText = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["800.00"])]


class Request(BaseModel):
    """Base of request bodies: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class Violation(BaseModel):
    code: str = Field(description="order_limit, direct_mail_limit or annual_limit")
    limit: MoneyText
    amount: MoneyText
    message: str


class Quote(BaseModel):
    """Every figure of one order: tax steps as displayed, amounts to pay rounded (SPEC §2)."""

    tag: str | None = Field(description="The tax tag; null for ordinary goods")
    policy: str = Field(description="The limit policy applied (seed, cn-2019)")
    method: str = Field(description="composite, postal, full or none")
    goods_total: MoneyText
    freight: MoneyText
    tariff: MoneyText
    consumption_tax: MoneyText
    vat: MoneyText
    tax_due: MoneyText
    order_total: MoneyText
    violations: list[Violation]


class QuoteLine(BaseModel):
    product_id: int
    name: str
    price: MoneyText
    quantity: int
    amount: MoneyText


class OrderQuote(Quote):
    """One future order of the cart: one supplier, one tax class."""

    supplier: str
    lines: list[QuoteLine]


class MixProblem(BaseModel):
    code: str = Field(description="tax_and_non_tax or different_tax_classes")
    message: str
    remove: list[str] = Field(description="Product ids (as text) to remove to fix it")


class CartQuote(BaseModel):
    """The cart quote: the same body as the shop's /cart/quote.json."""

    orders: list[OrderQuote]
    problems: list[MixProblem]
    unavailable: list[str] = Field(description="Names of products short of stock")
    unfiled: list[str] = Field(description="Names of tax products not yet filed with customs")
    total: MoneyText
    annual_remaining: MoneyText | None = Field(
        description="The buyer's remaining annual quota; null until an identity is chosen"
    )
    can_check_out: bool


class TaxBadge(BaseModel):
    tag: str = Field(description="cross_border_retail, domestic_dropship, ...")
    label: str = Field(description="The tag's name in the caller's language")


class Product(BaseModel):
    id: int
    name: str
    price: MoneyText
    in_stock: bool
    supplier: str
    tax: TaxBadge | None = Field(description="Null for ordinary (non-tax) goods")
    tax_estimate: Quote | None = Field(
        description="One unit with its supplier's freight; null for ordinary goods"
    )


class ProductDetail(Product):
    description: str
    stock: int


class ProductPage(BaseModel):
    items: list[Product]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
