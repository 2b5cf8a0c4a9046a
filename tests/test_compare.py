"""`vnecon compare`: two periods, two regions, two ids; refusals with exit 2 and one line."""

from __future__ import annotations

import json

import pytest



def test_two_periods_of_a_growth_rate_differ_in_percentage_points(demo):
    code, out, err = demo("compare", "iip", "2024-06", "2024-07")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Index of Industrial Production (y/y)"
    assert lines[1].split()[:4] == ["A", "2024-06", "Vietnam", "+10.9%"] and lines[1].endswith("demo-vn-iip-2024-06-yoy")
    assert lines[2].split()[:4] == ["B", "2024-07", "Vietnam", "+11.2%"]
    assert "synthetic, not real figures" in lines[1]  # the source is named
    assert lines[3] == "  B - A: +0.3 pp"


def test_two_regions_compare_the_latest_common_period(demo):
    code, out, _ = demo("compare", "export", "turnover", "--region", "hanoi", "--region", "vietnam", "--basis", "level")
    assert code == 0
    assert [line.split()[1:3] for line in out.splitlines()[1:3]] == [["2024-H1", "Hà"], ["2024-H1", "Vietnam"]]
    assert out.splitlines()[3] == "  B - A: +US$181.1 bn; relative +2,034.8%"


def test_two_ids_as_json(demo):
    code, out, _ = demo("compare", "demo-hn-exports-2023-h1", "demo-hn-exports-2024-h1", "--format", "json")
    data = json.loads(out)
    assert data["a"]["id"] == "demo-hn-exports-2023-h1" and data["b"]["value"] == 8_900_000_000
    assert data["difference"] == 1_100_000_000 and data["difference_unit"] == "USD"
    assert data["relative_percent"] == pytest.approx(14.102564, abs=1e-5)


def test_one_region_filters_a_period_comparison(demo):
    code, out, _ = demo("compare", "pmi", "2024-06", "2024-07", "--region", "hanoi")
    assert code == 0 and "Hà Nội" in out and out.splitlines()[3].startswith("  B - A: -1.7 pts")


@pytest.mark.parametrize("args, why", [
    (("iip", "2024-07", "2024-01/2024-11"),
     "different period lengths: 2024-07 is a month, 2024-01/2024-11 is 11 months"),
    (("demo-hn-exports-2024-h1", "demo-hn-exports-2024-h1-yoy"),
     "different bases: demo-hn-exports-2024-h1 is a level, demo-hn-exports-2024-h1-yoy is a year-on-year change"),
    (("demo-vn-iip-2024-07-yoy", "demo-vn-pmi-2024-07"),
     "different bases: demo-vn-iip-2024-07-yoy is a year-on-year change, demo-vn-pmi-2024-07 is a level"),
    (("demo-vn-pmi-2024-07", "demo-hn-exports-2024-h1"),
     "different units: demo-vn-pmi-2024-07 is in points, demo-hn-exports-2024-h1 in USD"),
    (("demo-vn-iip-2024-07-yoy", "demo-hn-exports-2024-h1-yoy"),
     "different scopes: demo-vn-iip-2024-07-yoy covers industry, demo-hn-exports-2024-h1-yoy covers the whole economy"),
    (("demo-vn-electronics-growth-2023", "demo-vn-electronics-growth-2024"),
     "demo-vn-electronics-growth-2023 is a range (17-18), not one figure"),
])
def test_refusals_exit_2_with_one_line_saying_why(demo, args, why):
    code, out, err = demo("compare", *args)
    assert code == 2 and out == ""
    assert err == f"vnecon: error: cannot compare: {why}\n"


def test_bad_arguments_are_usage_errors(demo):
    code, _, err = demo("compare", "iip", "2024-06")
    assert code == 2 and "compare needs" in err
    code, _, err = demo("compare", "iip", "2024-06", "2030-01")
    assert code == 2 and "no figure for 2030-01" in err
    code, _, err = demo("compare", "pmi", "--region", "a", "--region", "b", "--region", "c")
    assert code == 2 and "two regions" in err


def test_periods_pick_the_best_series_that_has_both(demo):
    # The y/y series has 2024-H1 only; the level series has both half-years.
    code, out, err = demo("compare", "export", "turnover", "2024-H1", "2024-H2", "--region", "hanoi")
    assert code == 0, err
    assert out.splitlines()[3] == "  B - A: +US$500 mn; relative +5.6%"


def test_periods_in_words(demo):
    code, out, _ = demo("compare", "iip", "tháng 6/2024", "July 2024")
    assert code == 0 and out.splitlines()[3] == "  B - A: +0.3 pp"
