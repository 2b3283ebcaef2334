"""`flask invoice draft`: the issue's JSON in and out, --red, arrays, one line on bad input."""

import json

import pytest
from click.testing import CliRunner

from storefront.commands.invoice import draft_command

CREAM = {
    "tax_rate": "13",
    "lines": [{"name": "保湿面霜", "quantity": 2, "unit_price": "129.00", "discount": "25.80"}],
}
CREAM_BLUE = {
    "kind": "blue",
    "tax_rate": "13",
    "lines": [
        {
            "kind": "goods",
            "name": "保湿面霜",
            "quantity": "2",
            "unit_price": "114.15929203539823",
            "amount": "228.32",
            "tax": "29.68",
        },
        {
            "kind": "discount",
            "name": "折扣(10.000%)",
            "quantity": None,
            "unit_price": None,
            "amount": "-22.83",
            "tax": "-2.97",
        },
    ],
    "total_amount": "205.49",
    "total_tax": "26.71",
    "total": "232.20",
}
CREAM_RED = {
    "kind": "red",
    "tax_rate": "13",
    "lines": [
        {
            "kind": "goods",
            "name": "保湿面霜",
            "quantity": "-2",
            "unit_price": "102.745",
            "amount": "-205.49",
            "tax": "-26.71",
        }
    ],
    "total_amount": "-205.49",
    "total_tax": "-26.71",
    "total": "-232.20",
}


def run(document, *args, raw=None):
    text = raw if raw is not None else json.dumps(document, ensure_ascii=False)
    data = text if isinstance(text, bytes) else text.encode()
    return CliRunner().invoke(draft_command, list(args), input=data)


def test_the_issue_example_drafts_blue_and_reverses_red():
    blue = run(CREAM)
    assert blue.exit_code == 0, blue.output
    assert json.loads(blue.stdout) == CREAM_BLUE
    red = run(None, "--red", raw=blue.stdout)
    assert red.exit_code == 0, red.output
    assert json.loads(red.stdout) == CREAM_RED


def test_an_array_in_gives_an_array_out():
    plain = {"tax_rate": 0, "lines": [{"name": "书", "quantity": "1.5", "unit_price": 10}]}
    result = run([CREAM, plain])
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first == CREAM_BLUE
    assert second["tax_rate"] == "0"
    assert second["lines"] == [
        {
            "kind": "goods",
            "name": "书",
            "quantity": "1.5",
            "unit_price": "10.00",
            "amount": "15.00",
            "tax": "0.00",
        }
    ]
    assert (second["total_amount"], second["total_tax"], second["total"]) == (
        "15.00",
        "0.00",
        "15.00",
    )
    reds = run([first, second], "--red")
    assert [body["total"] for body in json.loads(reds.stdout)] == ["-232.20", "-15.00"]


def test_short_names_and_shared_discount_lines():
    order = {
        "tax_rate": "13",
        "lines": [
            {"name": "A", "quantity": 1, "unit_price": "100.00", "discount": "10.00"},
            {"name": "B", "quantity": 3, "unit_price": "50.00", "discount": "15.00"},
            {"name": "面霜", "short_name": "化妆品", "quantity": 2, "unit_price": "129.00"},
        ],
    }
    body = json.loads(run(order).stdout)
    assert [line["name"] for line in body["lines"]] == [
        "A",
        "B",
        "折扣行数2(10.000%)",
        "*化妆品*面霜",
    ]
    red = json.loads(run(body, "--red").stdout)
    assert [line["amount"] for line in red["lines"]] == ["-79.65", "-119.47", "-228.32"]
    assert red["total"] == "-483.00"


BAD = {
    "not JSON": ("{", "stdin is not JSON"),
    "not UTF-8": (b'{"tax_rate": "\xff"}', "stdin is not UTF-8"),
    "NaN": ('{"tax_rate": NaN, "lines": []}', "not a number: NaN"),
    "no lines": ('{"tax_rate": "13", "lines": []}', "lines: a non-empty JSON array"),
    "unknown key": ('{"tax_rate": "13", "lines": [], "x": 1}', "unknown key(s) in an order: x"),
    "a string order": ('"order"', "expected an order"),
    "line typo": (
        '{"tax_rate": "13", "lines": [{"name": "a", "quantity": 1, "unit_price": "1", '
        '"discont": 1}]}',
        "unknown key(s) in lines[0]: discont",
    ),
    "bool quantity": (
        '{"tax_rate": "13", "lines": [{"name": "a", "quantity": true, "unit_price": "1"}]}',
        "lines[0].quantity: a number or a string of one",
    ),
    "three decimals": (
        '{"tax_rate": "13", "lines": [{"name": "a", "quantity": 1, "unit_price": "1.001"}]}',
        "lines[0].unit_price: an amount has at most two decimals",
    ),
    "zero quantity": (
        '{"tax_rate": "13", "lines": [{"name": "a", "quantity": 0, "unit_price": "1"}]}',
        "bad_item: line 1",
    ),
    "discount above the line": (
        '{"tax_rate": "13", "lines": [{"name": "a", "quantity": 1, "unit_price": "1", '
        '"discount": "2"}]}',
        "bad_discount: line 1",
    ),
    "huge": (
        '[{"tax_rate": "13", "lines": [{"name": "a", "quantity": 1, "unit_price": 1e999999}]}]',
        "[0]: a number is out of range",
    ),
    "giant integer": ('{"tax_rate": ' + "9" * 5000 + "}", "stdin is not JSON"),
    "deep": ("[" * 100_000 + "]" * 100_000, "stdin nests too deeply"),
    "rate": (
        '{"tax_rate": "x", "lines": [{"name": "a", "quantity": 1, "unit_price": "1"}]}',
        "tax_rate: not a number",
    ),
}


@pytest.mark.parametrize(("text", "message"), BAD.values(), ids=BAD)
def test_bad_orders_exit_2_with_one_line(text, message):
    result = run(None, raw=text)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr


def altered(**changes):
    body = json.loads(json.dumps(CREAM_BLUE))
    for key, value in changes.items():
        if key.startswith("line"):
            body["lines"][0][key.removeprefix("line_")] = value
        else:
            body[key] = value
    return body


BAD_BLUE = {
    "a red one": (altered(kind="red"), "not_blue: only a blue invoice is reversed"),
    "wrong total": (altered(total="232.21"), "the blue invoice breaks: total"),
    "wrong tax": (
        altered(line_tax="29.78", total_tax="26.81", total="232.30"),
        "the blue invoice breaks: line_tax",
    ),
    "order key": (altered(discount="1"), "unknown key(s) in a blue invoice: discount"),
    "amount": (altered(line_amount=None), "lines[0].amount: a number or a string of one"),
    "kind": (altered(line_kind="gift"), "kind"),
}


@pytest.mark.parametrize(("body", "message"), BAD_BLUE.values(), ids=BAD_BLUE)
def test_bad_blue_invoices_exit_2_with_one_line(body, message):
    result = run(body, "--red")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
