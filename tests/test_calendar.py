"""`vnecon latest`, `vnecon calendar`, the schedule rules and their checks (issue 36).

Each test writes a small tree of headlines, releases and figures with known
release days into the fixture facts directory; one test looks at the shape of
the bundled data, never at its counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from conftest import write
from vnecon.load.schedule import due, release_of, rule_text

TREE = '''
[[source]]
id = "s-decree"
publisher = "Gazette"
title = "Release schedule"
date = "2024-06-09"
url = "https://example.org/decree"

[[source]]
id = "s-pmi"
publisher = "S&P Global"
title = "PMI calendar"
date = "2023-03"
url = "https://example.org/pmi"

[[source]]
id = "s-jan"
publisher = "Paper A"
title = "January figures"
date = "2026-02-06"
url = "https://example.org/jan"

[[source]]
id = "s-feb"
publisher = "Paper B"
title = "February figures"
date = "2026-03-06"
url = "https://example.org/feb"

[[source]]
id = "s-pmi-jan"
publisher = "Paper C"
title = "PMI January"
date = "2026-02-02"
url = "https://example.org/pmi-jan"

[[source]]
id = "s-pmi-feb"
publisher = "Paper C"
title = "PMI February"
date = "2026-03-02"
url = "https://example.org/pmi-feb"

[[source]]
id = "s-fdi-2025"
publisher = "Paper A"
title = "FDI two months 2025"
date = "2025-03-06"
url = "https://example.org/fdi-2025"

[[indicator]]
id = "t-cpi-2026-01"
name = "Consumer Price Index"
period = "2026-01"
value = 2.5
unit = "%"
basis = "yoy"
sources = ["s-jan"]

[[indicator]]
id = "t-cpi-2026-01-rev"
name = "Consumer Price Index"
period = "2026-01"
value = 2.6
unit = "%"
basis = "yoy"
sources = ["s-feb"]

[[indicator]]
id = "t-cpi-2026-02"
name = "Consumer Price Index"
period = "2026-02"
value = 3.0
unit = "%"
basis = "yoy"
sources = ["s-feb"]

[[indicator]]
id = "t-pmi-2026-01"
name = "PMI"
period = "2026-01"
value = 52
unit = "points"
basis = "level"
sources = ["s-pmi-jan"]

[[indicator]]
id = "t-pmi-2026-02"
name = "PMI"
period = "2026-02"
value = 54.5
unit = "points"
basis = "level"
sources = ["s-pmi-feb"]

[[indicator]]
id = "t-fdi-2025-01-02"
name = "FDI registered capital"
period = "2025-01/2025-02"
value = 5_000_000_000
unit = "USD"
basis = "level"
sources = ["s-fdi-2025"]

[[indicator]]
id = "t-fdi-2026-01"
name = "FDI registered capital"
period = "2026-01"
value = 2_000_000_000
unit = "USD"
basis = "level"
sources = ["s-jan"]

[[indicator]]
id = "t-fdi-2026-01-02"
name = "FDI registered capital"
period = "2026-01/2026-02"
value = 6_000_000_000
unit = "USD"
basis = "level"
sources = ["s-feb"]

[[headline]]
id = "gdp"
label = "GDP growth"
order = 1
name = "Gross Domestic Product"
basis = "yoy"
unit = "%"
length = "quarter"

[[headline]]
id = "cpi"
label = "CPI (y/y)"
order = 2
name = "Consumer Price Index"
basis = "yoy"
unit = "%"
length = "month"

[[headline]]
id = "pmi"
label = "PMI"
order = 3
name = "PMI"
basis = "level"
unit = "points"

[[headline]]
id = "fdi"
label = "FDI, year to date"
order = 4
name = "FDI registered capital"
basis = "level"
unit = "USD"
length = "ytd"

[[release]]
id = "r-old"
name = "Old monthly report"
publisher = "Office"
series = ["cpi", "fdi"]
every = "month"
day = 29
months_after = 0
from = "2016-07-01"
until = "2024-08-01"
sources = ["s-decree"]

[[release]]
id = "r-monthly"
name = "Monthly report"
publisher = "Office"
series = ["cpi", "fdi"]
every = "month"
day = 6
months_after = 1
from = "2024-08-01"
sources = ["s-decree"]

[[release]]
id = "r-quarterly"
name = "Quarterly estimates"
publisher = "Office"
series = ["gdp"]
every = "quarter"
day = 6
months_after = 1
from = "2024-08-01"
sources = ["s-decree"]

[[release]]
id = "r-draft"
name = "Monthly report (draft)"
publisher = "Office"
series = ["cpi"]
every = "month"
day = 3
status = "draft"
sources = ["s-decree"]

[[release]]
id = "r-pmi"
name = "PMI"
publisher = "S&P Global"
series = ["pmi"]
every = "month"
day = "first-working-day"
time = "00:30"
holidays = ["01-01"]
sources = ["s-pmi"]
'''


@pytest.fixture
def tree(facts_dir):
    write(facts_dir / "calendar.toml", TREE)
    return facts_dir


def rows_of(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


# ---- the rules ---------------------------------------------------------------

MONTHLY = {"id": "m", "every": "month", "day": 6, "months_after": 1}
OLD = {"id": "o", "every": "month", "day": 29, "months_after": 0, "from": "2016-07-01", "until": "2024-08-01"}
NEW = {**MONTHLY, "from": "2024-08-01"}
PMI = {"id": "p", "every": "month", "day": "first-working-day", "months_after": 1, "holidays": ["01-01"]}


def test_the_day_of_a_rule():
    assert due(MONTHLY, dt.date(2026, 2, 28)) == dt.date(2026, 3, 6)  # a Friday
    assert due(MONTHLY, dt.date(2026, 8, 31)) == dt.date(2026, 9, 7)  # 6 September 2026 is a Sunday
    assert due(MONTHLY, dt.date(2026, 8, 31), roll=False) == dt.date(2026, 9, 6)
    assert due(OLD, dt.date(2023, 2, 28)) == dt.date(2023, 2, 28)  # the 29th: February's last day
    assert due(OLD, dt.date(2024, 2, 29)) == dt.date(2024, 2, 29)
    assert due(PMI, dt.date(2026, 2, 28)) == dt.date(2026, 3, 2)  # 1 March 2026 is a Sunday
    assert due(PMI, dt.date(2026, 12, 31)) == dt.date(2027, 1, 4)  # 1 January a holiday, then a weekend
    assert rule_text(MONTHLY) == "6th of the following month" and rule_text(OLD) == "29th of the month"
    assert rule_text(PMI) == "first working day of the following month"
    assert rule_text({"every": "quarter", "day": 6, "months_after": 1}) == "6th of the month after the quarter"


def test_the_rule_in_force_at_the_change_of_decree():
    # July 2024: the old rule's 29 July comes before the new one applies (1 August); August: the new rule.
    assert release_of([OLD, NEW], dt.date(2024, 7, 31))[0]["id"] == "o"
    assert release_of([OLD, NEW], dt.date(2024, 7, 31))[1] == dt.date(2024, 7, 29)
    rule, day = release_of([OLD, NEW], dt.date(2024, 8, 31))
    assert rule["id"] == "m" and day == dt.date(2024, 9, 6)
    assert release_of([OLD, NEW], dt.date(2016, 5, 31)) is None  # before any rule
    assert release_of([{**NEW, "status": "draft"}], dt.date(2026, 2, 28)) is None  # a draft sets no day


# ---- latest ------------------------------------------------------------------


def test_latest_shows_each_headline_with_the_figure_before_it(cli, tree):
    code, out, err = cli("latest", "--format", "csv")
    assert code == 0
    rows = {r["headline"]: r for r in rows_of(out)}
    assert list(rows) == ["cpi", "pmi", "fdi"]  # the headlines' order; GDP has no figures
    cpi = rows["cpi"]
    assert (cpi["period"], cpi["value"], cpi["previous_period"], cpi["previous_value"]) == (
        "2026-02", "3", "2026-01", "2.6")  # the previous figure as revised
    assert (cpi["change"], cpi["change_unit"], cpi["released"], cpi["source_publisher"]) == (
        "0.4", "pp", "2026-03-06", "Paper B")
    assert (rows["pmi"]["change"], rows["pmi"]["change_unit"]) == ("2.5", "pts")
    # Year to date: January-February against January-February a year before, not against January.
    fdi = rows["fdi"]
    assert (fdi["period"], fdi["previous_period"], fdi["change"], fdi["change_unit"]) == (
        "2026-01/2026-02", "2025-01/2025-02", "20", "%")
    assert "no figures for GDP growth" in err


def test_latest_in_every_format(cli, tree):
    code, out, _ = cli("latest", "--format", "json")
    data = json.loads(out)
    assert [d["headline"] for d in data] == ["cpi", "pmi", "fdi"] and data[0]["revised"] is False
    _, out, _ = cli("latest", "--format", "markdown")
    assert out.startswith("| headline | label |") and "| cpi | CPI (y/y) |" in out
    _, out, _ = cli("latest", "--format", "table")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Series", "Period", "Value"]
    cpi = next(i for i, line in enumerate(lines) if line.startswith("CPI (y/y)"))
    assert "+3%" in lines[cpi] and "+2.6%" in lines[cpi] and "+0.4 pp" in lines[cpi] and "2026-03-06" in lines[cpi]
    assert "t-cpi-2026-02" in lines[cpi + 1] and "2026-01" in lines[cpi + 1]


def test_latest_since_lists_what_was_published_on_that_day_and_after(cli, tree):
    _, out, _ = cli("latest", "--since", "2026-03-06", "--format", "csv")
    got = [(r["id"], r["released"]) for r in rows_of(out)]
    # A release on that very day is listed; the PMI of 2 March is not; the revision of January is.
    assert sorted(got) == [("t-cpi-2026-01-rev", "2026-03-06"), ("t-cpi-2026-02", "2026-03-06"),
                           ("t-fdi-2026-01-02", "2026-03-06")]
    assert [r["revised"] for r in rows_of(out) if r["id"] == "t-cpi-2026-01-rev"] == ["true"]
    code, out, err = cli("latest", "--since", "2026-03-07", "--format", "csv")
    assert code == 1 and out == "" and "no headline figure was published on or after 2026-03-07" in err
    _, out, _ = cli("latest", "--since", "2026-03-02", "--format", "csv")
    assert [r["id"] for r in rows_of(out) if r["headline"] == "pmi"] == ["t-pmi-2026-02"]


def test_latest_as_of_a_day(cli, tree):
    _, out, _ = cli("latest", "--as-of", "2026-03-01", "--format", "csv")
    rows = {r["headline"]: r for r in rows_of(out)}
    assert rows["cpi"]["period"] == "2026-01" and rows["cpi"]["value"] == "2.5"  # before the revision
    assert rows["pmi"]["period"] == "2026-01"


# ---- calendar ----------------------------------------------------------------


def test_calendar_lists_a_months_releases_from_the_rules(cli, tree):
    code, out, err = cli("calendar", "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-03-31",
                         "--format", "csv")
    assert code == 0
    got = [(r["date"], r["headline"], r["period"], r["status"]) for r in rows_of(out)]
    assert got == [("2026-03-02", "pmi", "2026-02", "in the data"),
                   ("2026-03-06", "cpi", "2026-02", "in the data"),
                   ("2026-03-06", "fdi", "2026-01/2026-02", "in the data")]
    first = rows_of(out)[0]
    assert (first["time_utc"], first["rule"], first["source_url"]) == (
        "00:30", "first working day of the following month", "https://example.org/pmi")
    assert "behind: GDP growth: 2025-Q4 was due 2026-01-06, not in the data; the data has none" in err
    assert "behind: CPI" not in err and "behind: PMI" not in err
    assert "r-draft (a draft) would put it out on the 3rd of the following month" in err


def test_calendar_says_which_series_are_behind(cli, tree):
    code, out, err = cli("calendar", "--from", "2026-04-01", "--to", "2026-04-30", "--as-of", "2026-04-07",
                         "--format", "json")
    rows = json.loads(out)
    assert [(r["date"], r["headline"], r["status"]) for r in rows] == [
        ("2026-04-01", "pmi", "not in the data"), ("2026-04-06", "gdp", "not in the data"),
        ("2026-04-06", "cpi", "not in the data"), ("2026-04-06", "fdi", "not in the data")]
    assert "CPI (y/y): 2026-03 was due 2026-04-06, not in the data; the newest in the data is 2026-02" in err
    assert "PMI: 2026-03 was due 2026-04-01, not in the data" in err
    assert "GDP growth: 2026-Q1 was due 2026-04-06, not in the data; the data has none" in err
    # The day before, the CPI was not yet due: upcoming, and not behind.
    _, out, err = cli("calendar", "--from", "2026-04-01", "--to", "2026-04-30", "--as-of", "2026-04-05",
                      "--format", "csv")
    assert [r["status"] for r in rows_of(out) if r["headline"] == "cpi"] == ["upcoming"]
    assert "CPI (y/y): 2026-03" not in err and "CPI (y/y): 2026-02" not in err


def test_calendar_table_and_markdown(cli, tree):
    _, out, _ = cli("calendar", "--from", "2026-03-01", "--to", "2026-03-31", "--as-of", "2026-03-31",
                    "--format", "table")
    assert out.splitlines()[0].split() == ["Date", "Release", "Period", "Series", "Status"]
    assert "2026-03-02" in out and "00:30 UTC" in out and "6th of the following month" in out
    _, out, _ = cli("calendar", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "markdown")
    assert out.startswith("| date | time_utc |") and "| 2026-03-06 |" in out


def test_calendar_refuses_a_window_backwards(cli, tree):
    code, _, err = cli("calendar", "--from", "2026-03-31", "--to", "2026-03-01")
    assert code == 2 and "before --from" in err


def test_the_ics_file_reads_back_in_a_real_parser_with_stable_uids(cli, tree, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    target = tmp_path / "releases.ics"
    args = ("calendar", "--from", "2026-03-01", "--to", "2026-04-30", "--as-of", "2026-03-31", "--format", "csv",
            "--ics", str(target))
    code, _, err = cli(*args)
    assert code == 0 and f"wrote {target}: 7 events" in err  # March: 3 releases; April: 4
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines fold at 75 octets (RFC 5545 3.1)"
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 7
    by_uid = {str(e["UID"]): e for e in events}
    monthly = by_uid["r-monthly.2026-02@vnecon"]
    assert monthly.decoded("DTSTART") == dt.date(2026, 3, 6)
    assert "CPI (y/y): in the data" in str(monthly["DESCRIPTION"]) and "https://example.org/decree" in str(
        monthly["DESCRIPTION"])
    pmi = by_uid["r-pmi.2026-02@vnecon"]
    assert pmi.decoded("DTSTART") == dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.timezone.utc)
    assert "r-quarterly.2026-Q1@vnecon" in by_uid
    assert "r-monthly.2026-01_2026-02@vnecon" in by_uid  # the year-to-date FDI of the same report
    cli(*args)  # again: the same events keep their UIDs
    again = {str(e["UID"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert again == set(by_uid)


def test_ics_lines_fold_between_characters():
    from vnecon.output.ics import escape, fold

    line = "DESCRIPTION:" + escape("Thời báo Tài chính Việt Nam; a, b\nc") * 4
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in parts) and parts[-1] == b""
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


# ---- check -------------------------------------------------------------------


def test_check_warns_of_a_figure_published_before_its_period_ended(cli, tree):
    write(tree / "early.toml", '''
        [[source]]
        id = "s-early"
        publisher = "Paper D"
        title = "March figures, early"
        date = "2026-03-20"
        url = "https://example.org/early"

        [[indicator]]
        id = "t-cpi-2026-03"
        name = "Consumer Price Index"
        period = "2026-03"
        value = 3.1
        unit = "%"
        basis = "yoy"
        sources = ["s-early"]
    ''')
    code, _, err = cli("check", str(tree))
    assert code == 0
    assert ("early.toml:8:1: warning: [indicator t-cpi-2026-03] published 2026-03-20, before its period 2026-03 "
            "ended; release r-monthly (6th of the following month) puts it out on 2026-04-06") in err
    assert err.count("before its period") == 1  # the figures published after their month say nothing


def test_check_reports_bad_headlines_and_releases_at_their_keys(cli, facts_dir):
    write(facts_dir / "bad.toml", '''
        [[headline]]
        id = "cpi"
        label = "CPI"
        order = 1
        name = "Consumer Price Index"
        basis = "yoy"
        unit = "%"
        lenght = "month"

        [[release]]
        id = "r"
        name = "Report"
        publisher = "Office"
        series = ["cpi", "nope"]
        every = "week"
        day = 6
        sources = ["s-missing"]

        [[release]]
        id = "r2"
        name = "Report"
        publisher = "Office"
        series = ["cpi"]
        every = "month"
        day = 6
        from = "2024-08"
        sources = ["src-briefing"]
    ''')
    code, _, err = cli("check", str(facts_dir / "bad.toml"))
    assert code == 1
    assert "bad.toml:8:1: error: [headline cpi] unknown field 'lenght' in [[headline]]" in err
    assert "bad.toml:15:1: error: [release r] every must be one of month, quarter, not 'week'" in err
    assert "bad.toml:26:1: error: [release r2] from must be a day, YYYY-MM-DD, not '2024-08'" in err
    write(facts_dir / "bad.toml", '''
        [[release]]
        id = "r"
        name = "Report"
        publisher = "Office"
        series = ["cpi", "nope"]
        every = "month"
        day = 6
        sources = ["s-missing"]
    ''')
    code, _, err = cli("check", str(facts_dir / "bad.toml"))
    assert "bad.toml:5:1: error: [release r] series: no [[headline]] with id 'cpi'" in err
    assert "bad.toml:8:1: error: [release r] sources: no source with id 's-missing'" in err


# ---- the bundled data --------------------------------------------------------


def test_bundled_latest_and_calendar_have_their_shape(cli):
    from vnecon.load.loader import load_paths
    from vnecon.load.schedule import effective
    from vnecon.search.latest import LATEST_COLUMNS

    heads, releases = effective(load_paths([__import__("pathlib").Path(__file__).parent.parent / "facts"]).calendar)
    ids = [h["id"] for h in heads]
    code, out, _ = cli("latest", "--format", "csv", bundled=True)
    rows = rows_of(out)
    assert code == 0 and rows and list(rows[0]) == LATEST_COLUMNS
    assert [r["headline"] for r in rows] == [i for i in ids if i in {r["headline"] for r in rows}]
    for r in rows:
        assert r["released"] and r["source"] and r["value"]
        if r["previous_period"]:
            assert r["previous_period"] != r["period"] and r["change_unit"]
    for rel in releases:  # every rule cites a source with a URL
        assert rel["sources"]
    _, out, _ = cli("calendar", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv", bundled=True)
    march = rows_of(out)
    assert march and all(r["date"].startswith("2026-03") for r in march)
    assert {r["headline"] for r in march} >= {"cpi-yoy", "pmi"}


def test_a_note_naming_the_release_keeps_an_early_date_as_a_note(cli, tree):
    write(tree / "early.toml", '''
        [[source]]
        id = "s-early"
        publisher = "Paper D"
        title = "March figures, early"
        date = "2026-03-20"
        url = "https://example.org/early"

        [[indicator]]
        id = "t-cpi-2026-03"
        name = "Consumer Price Index"
        period = "2026-03"
        value = 3.1
        unit = "%"
        basis = "yoy"
        sources = ["s-early"]
        note = "Dated before the month ended, though r-monthly puts it out on the 6th of April; kept as printed."
    ''')
    code, _, err = cli("check", str(tree))
    assert code == 0 and "note: [indicator t-cpi-2026-03] published 2026-03-20" in err
    assert "warning: [indicator t-cpi" not in err
