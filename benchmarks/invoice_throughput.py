"""Invoice throughput: prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.invoice_throughput [--seconds 3]

1. drafts per second in the domain: `draft_blue` of a five-item order (one item discounted:
   six lines, every rule checked) and `draft_red` of that blue draft (the discount folded back);
   reference: a bare loop doing only the line arithmetic of both (the same divisions and
   quantizations; no checks, names or folding), in the same run;
2. invoice PDFs per second: `render_invoice_pdf` of that blue invoice - template, QR code and
   WeasyPrint; reference: bare WeasyPrint writing the same HTML, rendered once beforehand, in
   the same run.
Each figure is the median of 3 interleaved repetitions of `--seconds` each.
"""

import argparse
import statistics
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from weasyprint import HTML

from benchmarks._setup import compare, machine, repeat
from storefront.documents.einvoice import render_invoice_html, render_invoice_pdf
from storefront.domain.invoices.document import InvoiceDocument, Party, from_draft
from storefront.domain.invoices.lines import ItemIn, draft_blue, draft_red

REPETITIONS = 3
CENT = Decimal("0.01")
FIFTEEN = Decimal("1e-15")
ITEMS = (
    ItemIn("保湿面霜", Decimal("2"), Decimal("129.00"), Decimal("13"), Decimal("25.80"), "化妆品",
           "1070222020000000000", "50g", "瓶"),
    ItemIn("护手霜", Decimal("1"), Decimal("59.90"), Decimal("13"), short_name="化妆品"),
    ItemIn("洁面乳", Decimal("3"), Decimal("79.00"), Decimal("13"), short_name="化妆品"),
    ItemIn("维生素C片", Decimal("1"), Decimal("168.00"), Decimal("13"), short_name="保健食品"),
    ItemIn("棉柔巾", Decimal("4"), Decimal("19.90"), Decimal("13"), short_name="纸制品"),
)  # fmt: skip


def invoice() -> InvoiceDocument:
    """Return the benchmark's blue invoice."""
    return from_draft(
        draft_blue(ITEMS),
        number="24312000000012345678",
        issued_on=date(2024, 5, 1),
        seller=Party("东京好物（上海）贸易有限公司", "91310000MA1FL8TQ3X"),
        buyer=Party("上海星河科技有限公司", "91310115MA1K4QWE9D"),
        drawer="王小明",
        remark="订单号 DM202405010001",
    )


def bare_lines(items) -> list[tuple]:
    """Blue and red line figures with nothing but the arithmetic: the drafts' reference."""
    lines = []
    for item in items:
        divisor = 1 + item.tax_rate / 100
        total = (item.unit_price * item.quantity).quantize(CENT, ROUND_HALF_UP)
        amount = (total / divisor).quantize(CENT, ROUND_HALF_UP)
        price = (item.unit_price / divisor).quantize(FIFTEEN, ROUND_HALF_UP)
        lines.append((item.quantity, price, amount, total - amount))
        if item.discount:
            off = (item.discount / divisor).quantize(CENT, ROUND_HALF_UP)
            lines.append((None, None, -off, off - item.discount))
    return lines + [(None, price, -amount, -tax) for _, price, amount, tax in lines]


def draft_rates(seconds: float) -> dict[str, list[float]]:
    """Blue and red draft rates (drafts/s) of each interleaved repetition."""
    blue = draft_blue(ITEMS)
    batch = 200  # drafts per timed step: one draft is too short to time alone

    def timed(make):
        def step():
            start = time.perf_counter()
            for _ in range(batch):
                make()
            return batch, time.perf_counter() - start

        return step

    steps = {
        "blue": timed(lambda: draft_blue(ITEMS)),
        "red": timed(lambda: draft_red(blue)),
        "bare": timed(lambda: bare_lines(ITEMS)),
    }
    rates: dict[str, list[float]] = {name: [] for name in steps}
    for n in range(1, REPETITIONS + 1):
        for name, step in steps.items():
            rates[name].append(repeat(step, seconds))
        blue_rate, red_rate, bare = rates["blue"][-1], rates["red"][-1], rates["bare"][-1]
        print(
            f"  drafts, repetition {n}: blue {blue_rate:,.0f}/s, red {red_rate:,.0f}/s, "
            f"bare arithmetic of both {bare:,.0f}/s"
        )
    return rates


def pdf_rates(seconds: float) -> tuple[list[float], list[float]]:
    """Invoice-PDF and bare-WeasyPrint rates (PDFs/s) of each interleaved repetition."""
    doc = invoice()
    html = render_invoice_html(doc)

    def product():
        start = time.perf_counter()
        render_invoice_pdf(doc)
        return 1, time.perf_counter() - start

    def bare():
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        return 1, time.perf_counter() - start

    product(), bare()  # warm up: fonts, template compilation
    products, references = [], []
    for n in range(1, REPETITIONS + 1):
        products.append(repeat(product, seconds))
        references.append(repeat(bare, seconds))
        print(f"  PDFs, repetition {n}: {products[-1]:,.1f}/s, bare {references[-1]:,.1f}/s")
    return products, references


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    seconds = parser.parse_args().seconds
    summary = [f"machine: {machine()}"]
    print(summary[0])
    drafts = draft_rates(seconds)
    pairs = zip(drafts["blue"], drafts["red"], strict=True)
    both = [1 / (1 / blue + 1 / red) for blue, red in pairs]  # a blue and its red, in turn
    summary.append(
        f"drafts in the domain: blue {statistics.median(drafts['blue']):,.0f} drafts/s · "
        f"red {statistics.median(drafts['red']):,.0f} drafts/s"
    )
    summary.append(
        compare("blue + red drafts", both, "bare arithmetic of both", drafts["bare"], "pairs/s", 1)
    )
    print(summary[-1])
    pdfs, bare = pdf_rates(seconds)
    summary.append(compare("invoice PDFs", pdfs, "bare WeasyPrint, same HTML", bare, "PDFs/s", 1))
    print(summary[-1])
    print(f"\nsummary (medians of {REPETITIONS} interleaved repetitions of {seconds:g} s)")
    print("\n".join(f"  {line}" for line in summary))
    print("  (×N: the product takes N times the reference's time per PDF or pair)")


if __name__ == "__main__":
    main()
