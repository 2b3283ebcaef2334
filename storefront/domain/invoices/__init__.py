"""Electronic invoices in the domain: lines, discounts and the rules of seed 003 (SPEC §7)."""

from storefront.domain.invoices.errors import InvalidDraft, Problem
from storefront.domain.invoices.lines import (
    Draft,
    InvoiceLine,
    ItemIn,
    draft_blue,
    draft_red,
    problems,
)

__all__ = [
    "Draft",
    "InvalidDraft",
    "InvoiceLine",
    "ItemIn",
    "Problem",
    "draft_blue",
    "draft_red",
    "problems",
]
