"""`flask tax quote`: JSON out, exit status 2 and one stderr line on bad input."""

import json

import pytest
from click.testing import CliRunner

from storefront.commands.tax import quote_command

BASE = ["--tariff", "5", "--ct", "6", "--vat", "7", "--postal", "51"]


def run(*args):
    return CliRunner().invoke(quote_command, list(args))


def test_the_seed_scenario_1_as_json():
    result = run("--tag", "cross_border_retail", *BASE, "--line", "100", "--line", "3000")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "tag": "cross_border_retail",
        "policy": "seed",
        "method": "composite",
        "goods_total": "3100.00",
        "freight": "0.00",
        "tariff": "155.00",
        "consumption_tax": "197.87",
        "vat": "230.85",
        "tax_due": "300.11",
        "order_total": "3400.11",
        "violations": [
            {
                "code": "order_limit",
                "limit": "2000.00",
                "amount": "3100.00",
                "message": "order limit: goods and freight of one order may not exceed "
                "2000.00; this order comes to 3100.00",
            }
        ],
    }


def test_quantities_freight_policy_and_used_amounts():
    result = run(
        "--tag",
        "direct_mail",
        *BASE,
        "--line",
        "500x2",
        "--freight",
        "15",
        "--policy",
        "cn-2019",
        "--annual-used",
        "25000",
    )
    body = json.loads(result.stdout)
    assert (body["goods_total"], body["tax_due"], body["order_total"]) == (
        "1000.00",
        "510.00",
        "1525.00",
    )
    assert [v["code"] for v in body["violations"]] == ["direct_mail_limit", "annual_limit"]


def test_the_full_method_under_cn_2019():
    body = json.loads(
        run("--tag", "domestic_dropship", *BASE, "--line", "6000", "--policy", "cn-2019").stdout
    )
    assert (body["method"], body["tax_due"], body["violations"]) == ("full", "1171.28", [])


@pytest.mark.parametrize(
    "args",
    [
        ["--tag", "duty_free", *BASE, "--line", "1"],
        ["--tag", "direct_mail", *BASE, "--line", "-5"],
        [
            "--tag",
            "direct_mail",
            "--tariff",
            "5",
            "--ct",
            "100",
            "--vat",
            "7",
            "--postal",
            "8",
            "--line",
            "1",
        ],
        ["--tag", "direct_mail", *BASE, "--line", "12x"],
        ["--tag", "direct_mail", *BASE, "--line", "abc"],
        ["--tag", "direct_mail", *BASE, "--line", "1.005"],
        ["--tag", "direct_mail", *BASE, "--line", "1", "--policy", "cn-2030"],
        ["--tag", "direct_mail", *BASE, "--line", "1", "--freight", "-1"],
        ["--tag", "direct_mail", *BASE],
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
