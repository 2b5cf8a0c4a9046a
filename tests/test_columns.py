"""Columns analysts can use: companions, JSON cells, --fields, multi-key --sort, --unit, completion."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import write

EXTRA = '''
[[source]]
id = "src-month"
publisher = "GSO"
title = "A release dated to the month"
date = "2025-03"

[[indicator]]
id = "x-year"
name = "Retail sales"
period = "2024"
value = 5
unit = "%"
basis = "yoy"
sources = ["src-month", "src-hanoi"]

[[indicator]]
id = "x-half"
name = "Retail sales"
period = "2024-H1"
value = 4
unit = "%"
basis = "yoy"
sources = ["src-month"]

[[indicator]]
id = "x-july"
name = "Retail sales"
period = "2024-07"
value = 6
unit = "%"
basis = "yoy"
sources = ["src-month"]

[[company]]
id = "acme"
name = "Acme; Sons, \\"Ltd\\""
type = "company"
people = [{ name = "Phan Thi Thang", role = "Deputy Minister; spokesperson" }]
sources = ["src-month"]

[[project]]
id = "mixed-money"
name = "Plant paid in two currencies"
owner = "acme"
location = "Hà Nội"
investments = [
  { amount = 10_000_000, currency = "USD" },
  { amount = 5_000_000_000, currency = "VND" },
]
sources = ["src-month"]
'''


@pytest.fixture
def more(facts_dir):
    write(facts_dir / "extra.toml", EXTRA)
    return facts_dir


def rows(out: str) -> dict[str, dict]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(out))}


def test_companions_for_periods_dates_and_first_source(cli, more):
    _, out, _ = cli("indicators", "--format", "csv")
    r = rows(out)["x-half"]
    assert (r["period_start"], r["period_end"]) == ("2024-01-01", "2024-06-30")
    r = rows(out)["x-year"]
    assert (r["source_publisher"], r["source_date"]) == ("GSO", "2025-03")  # the first cited source
    assert json.loads(r["sources"]) == ["src-month", "src-hanoi"]  # every source stays
    _, out, _ = cli("sources", "--format", "csv")
    r = rows(out)["src-month"]
    assert (r["date"], r["date_start"], r["date_end"]) == ("2025-03", "2025-03-01", "2025-03-31")


def test_nested_values_are_json_text_in_csv_and_tsv(cli, more):
    _, out, _ = cli("companies", "--format", "csv")
    acme = rows(out)["acme"]
    assert acme["name"] == 'Acme; Sons, "Ltd"'
    assert json.loads(acme["people"]) == [{"name": "Phan Thi Thang", "role": "Deputy Minister; spokesperson"}]
    _, out, _ = cli("partnerships", "--format", "tsv")
    header, row = out.splitlines()
    cells = dict(zip(header.split("\t"), row.split("\t")))
    assert json.loads(cells["parties"]) == ["Vietnam", "United States"]
    _, out, _ = cli("companies", "--format", "json")
    (acme,) = [o for o in json.loads(out) if o["id"] == "acme"]
    assert acme["people"][0]["role"] == "Deputy Minister; spokesperson"  # JSON keeps objects


def test_investment_total_only_within_one_currency(cli, more):
    _, out, _ = cli("projects", "--format", "json")
    by_id = {o["id"]: o for o in json.loads(out)}
    one = by_id["neweb-plant"]
    assert (one["investment_total"], one["investment_currency"]) == (90_000_000, "USD")
    assert one["investment_total_status"] == "sum of 2 amounts"
    two = by_id["mixed-money"]
    assert "investment_total" not in two and "investment_currency" not in two
    assert two["investment_total_status"] == "not summed: amounts in USD, VND"


def test_fields_choose_and_order_columns_in_every_format(cli, more):
    _, out, _ = cli("indicators", "--fields", "value,id,period_end", "--region", "hanoi", "--format", "csv")
    assert out.splitlines()[0] == "value,id,period_end"
    _, out, _ = cli("indicators", "--fields=id,value", "--region", "hanoi", "--format", "json")
    assert all(list(o) == ["id", "value"] for o in json.loads(out))
    _, out, _ = cli("indicators", "--fields", "id,unit", "--format", "tsv", "--unit", "USD")
    assert out.splitlines()[0] == "id\tunit" and out.count("\tUSD") == 2
    _, out, _ = cli("indicators", "--fields", "id,period_start", "--format", "markdown", "--name", "retail")
    assert out.splitlines()[0] == "| id | period_start |" and "| x-half | 2024-01-01 |" in out
    _, out, _ = cli("indicators", "--fields", "id,value", "--format", "table", "--name", "retail")
    assert out.split()[:2] == ["id", "value"] and "x-july" in out
    _, out, _ = cli("search", "retail", "--fields", "id,kind,source_publisher", "--format", "csv")
    assert out.splitlines()[0] == "id,kind,source_publisher" and "x-year,indicator,GSO" in out


@pytest.mark.parametrize("fast", [True, False])
def test_unknown_field_suggests_and_bare_fields_lists(cli, monkeypatch, fast):
    if not fast:
        monkeypatch.setenv("VNECON_NO_FAST", "1")
    code, out, err = cli("indicators", "--fields", "id,valeu")
    assert code == 2 and out == "" and "no field 'valeu'; did you mean value" in err
    code, out, err = cli("indicators", "--fields")
    assert code == 0 and "period_start\n" in out and "source_publisher\n" in out and "investments" not in out
    code, out, _ = cli("projects", "--fields", "--format", "csv")
    assert code == 0 and "investment_total\n" in out


def test_periods_sort_by_start_then_length(cli, more):
    _, out, _ = cli("indicators", "--name", "retail", "--sort", "period")
    assert list(rows(out)) == ["x-half", "x-year", "x-july"]
    _, out, _ = cli("indicators", "--name", "retail", "--sort", "-period")
    assert list(rows(out)) == ["x-july", "x-year", "x-half"]


def test_several_sort_keys(cli, more):
    _, out, _ = cli("indicators", "--unit", "%", "--sort", "region,-value")
    ids = list(rows(out))
    assert ids.index("hn-grdp-2024-h1") < ids.index("x-july")  # Hà Nội before Vietnam
    assert ids[ids.index("vn-iip-2024-07-yoy"):] == ["vn-iip-2024-07-yoy", "x-july", "x-year", "x-half", "vn-iip-2024-07-mom"]
    code, _, err = cli("indicators", "--sort", "region,-vlaue")
    assert code == 2 and "did you mean value" in err


def test_value_sort_never_mixes_units_silently(cli, more):
    code, out, err = cli("indicators", "--basis", "level", "--sort=-value")
    assert code == 0 and "sorted by value within each unit" in err
    units = [r["unit"] for r in rows(out).values()]
    assert units == sorted(units, key=str.lower)  # grouped: count, points, USD
    _, out, err = cli("indicators", "--unit", "usd", "--sort=-value")
    assert list(rows(out)) == ["hn-exports-2024-h1", "hn-fdi-2024-h1"] and "within each unit" not in err


def test_unit_filter(cli, more):
    _, out, _ = cli("indicators", "--unit", "points,US$")
    assert set(rows(out)) == {"vn-pmi-2024-07", "hn-exports-2024-h1", "hn-fdi-2024-h1"}
    code, out, _ = cli("indicators", "--unit", "ha")
    assert code == 1


def test_completion_of_sort_fields_region_and_sector(cli, more, monkeypatch):
    from vnecon.cli import options as o

    class Ctx:
        info_name, params = "indicators", {}

    assert "-value" in o._complete_sort(Ctx(), "-va")
    assert o._complete_sort(Ctx(), "region,-per") == ["region,-period", "region,-period_start", "region,-period_end"]
    assert o._complete_fields(Ctx(), "id,source_") == ["id,source_publisher", "id,source_title", "id,source_url",
                                                             "id,source_date"]
    monkeypatch.setenv("VNECON_FACTS", str(more))
    assert "ha noi" in o._complete_values("region")(Ctx(), "ha")  # filters take any spelling
    assert "Hà Nội" in o._complete_values("region")(Ctx(), "Hà")
    Ctx.info_name = "companies"
    assert o._complete_values("sector")(Ctx(), "comm") == ["communications equipment"]


def test_a_limit_after_a_sort_across_units_says_what_it_kept(cli, more):
    """--sort -value --limit N keeps the first unit's largest only: stderr says so, and how to rank one unit."""
    code, out, err = cli("indicators", "--basis", "level", "--sort=-value", "--limit", "1")
    assert code == 0 and len(rows(out)) == 1 and "--limit 1: the first 1 in that order are in" in err
    assert "add --unit to rank one unit" in err
    _, _, err = cli("indicators", "--unit", "usd", "--sort=-value", "--limit", "1")
    assert "--limit" not in err
