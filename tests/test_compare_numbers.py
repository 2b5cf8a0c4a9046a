"""compare picks the same measure on both sides, labels different measures and carries approximation."""

from __future__ import annotations

import json

from test_series_numbers import ind, run  # noqa: F401 - run is a fixture

HUBS = ('\n[[alias]]\nnames = ["Thành phố Hồ Chí Minh", "Ho Chi Minh City", "HCMC"]\n'
        '\n[[alias]]\nnames = ["Hà Nội", "Hanoi"]\n'
        + ind("hn-exp", "Export turnover", "2024-H1", 8_900_000_000, unit="USD", basis="level", region="Hà Nội")
        + ind("hcm-hub", "Export turnover hub history", "1995/2025", 3, unit="decades", basis="level",
              region="Ho Chi Minh City", note="Export turnover export turnover export turnover")
        + ind("hcm-exp-yoy", "Export turnover", "2024-H1", 12, unit="%", basis="yoy", region="HCMC"))


def test_two_regions_compare_the_same_measure_or_refuse_saying_so(run):
    code, out, err = run(HUBS, "compare", "export turnover", "--region", "hanoi", "--region", "ho chi minh city")
    assert code == 2 and "decades" not in err and "Traceback" not in err
    assert "nothing in ho chi minh city measures Export turnover (USD, a level)" in err
    more = HUBS + ind("hcm-exp", "Export turnover", "2024-H1", 23_000_000_000, unit="USD", basis="level",
                      region="Thành phố Hồ Chí Minh")
    code, out, err = run(more, "compare", "export turnover", "--region", "hanoi", "--region", "ho chi minh city")
    assert code == 0, err
    assert "hcm-exp" in out and "hcm-hub" not in out and "relative +158.4%" in out


def test_different_measures_are_labelled(run):
    facts = (ind("hn-exp", "Export turnover", "2024-H1", 8_900_000_000, unit="USD", basis="level")
             + ind("hn-fdi", "Foreign investment attracted", "2024-H1", 1_165_000_000, unit="USD", basis="level"))
    code, out, _ = run(facts, "compare", "hn-exp", "hn-fdi")
    assert code == 0 and "note: different measures: hn-exp is Export turnover, hn-fdi is Foreign investment" in out
    code, out, _ = run(facts, "compare", "hn-exp", "hn-fdi", "--format", "json")
    assert json.loads(out)["note"].startswith("different measures")


def test_a_difference_of_approximate_figures_is_approximate(run):
    facts = (ind("a", "Exports of key firms", "2023", 2_000_000_000, unit="USD", basis="level")
             .replace('basis = "level"', 'basis = "level"\nqualifier = "nearly"')
             + ind("b", "Exports of key firms", "2024", 2_420_000_000, unit="USD", basis="level"))
    code, out, _ = run(facts, "compare", "a", "b")
    assert code == 0 and "B - A: about +US$420 mn; relative about +21%" in out
    code, out, _ = run(facts, "compare", "a", "b", "--format", "json")
    assert json.loads(out)["qualifier"] == "about"
    exact = facts.replace('qualifier = "nearly"\n', "")
    code, out, _ = run(exact, "compare", "a", "b")
    assert "B - A: +US$420 mn; relative +21%" in out and "about" not in out
