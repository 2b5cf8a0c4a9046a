"""One resolver, one scope: which fact and which figure count is decided once (issue 31).

Each test is a case a reader met: a later figure leaking into --as-of, a `revises` ignored, a
duplicate id served from the file check called the duplicate, a revised mark lost on the way.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
import time

import pytest

from tests.conftest import run_main, write
from vnecon.load.loader import load_paths
from vnecon.load.resolve import Vintage, known_from, resolve


def src(sid: str, date: str) -> str:
    return (f'[[source]]\nid = "{sid}"\npublisher = "VNA"\ntitle = "T {sid}"\ndate = "{date}"\n'
            f'url = "https://example.org/{sid}"\n\n')


def ind(fid: str, value: float, source: str, period: str = "2024-Q2", extra: str = "",
        name: str = "Gross Domestic Product", region: str = "") -> str:
    where = f'region = "{region}"\n' if region else ""
    return (f'[[indicator]]\nid = "{fid}"\nname = "{name}"\n{where}period = "{period}"\nvalue = {value}\n'
            f'unit = "%"\nbasis = "yoy"\nsources = ["{source}"]\n{extra}\n')


def rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


def errors_of(path) -> list[str]:
    return [d.message for d in load_paths([path]).diagnostics if d.severity == "error"]


@pytest.fixture
def cli(tmp_path, capsys):
    def run(facts, *args):
        return run_main([*args, "--no-bundled", "--facts", str(facts), "--no-cache"], capsys)
    return run


# ---- the rule itself ------------------------------------------------------------------------------

def test_a_date_given_to_the_month_or_year_counts_from_its_end():
    assert known_from("2024") == "2024-12-31"
    assert known_from("2024-02") == "2024-02-29" and known_from("2023-02") == "2023-02-28"
    assert known_from("2024-06-05") == "2024-06-05" and known_from("") == ""


def test_dates_then_revises_then_ties():
    got = resolve([Vintage("z-first", "2024-06-29", "", 6.93), Vintage("a-rev", "2024-06-29", "z-first", 7.0)])
    assert got.latest == {"a-rev"} and got.revised == {"a-rev"}
    assert got.ordered(["a-rev", "z-first"]) == ["z-first", "a-rev"]
    tie = resolve([Vintage("x", "2024-06-29", "", 1), Vintage("y", "2024-06-29", "", 2)])
    assert tie.latest == {"x", "y"}
    # a month-dated figure revised by one dated within that month comes before it
    coarse = resolve([Vintage("m", "2022-03", "", 1), Vintage("d", "2022-03-05", "m", 2)])
    assert coarse.latest == {"d"}


# ---- revises in every query ---------------------------------------------------------------------

SAME_DAY = (src("a", "2024-06-29") + src("b", "2024-06-29") + ind("z-first", 6.93, "a")
            + ind("a-revised", 7.25, "b", extra='revises = "z-first"'))


def test_revises_decides_the_latest_in_indicators_show_series_and_export(tmp_path, cli):
    write(tmp_path / "f" / "g.toml", SAME_DAY)
    assert errors_of(tmp_path / "f") == []
    code, out, _ = cli(tmp_path / "f", "indicators", "--format", "csv", "--fields", "id,revised")
    assert code == 0 and rows(out) == [{"id": "a-revised", "revised": "true"}]
    _, out, _ = cli(tmp_path / "f", "show", "a-revised", "--format", "json")
    shown = json.loads(out)
    assert shown["revised"] is True and [v["id"] for v in shown["vintages"]] == ["z-first", "a-revised"]
    _, out, _ = cli(tmp_path / "f", "series", "gross", "domestic", "product", "--vintages", "--format", "csv")
    (row,) = rows(out)
    assert (row["first_id"], row["latest_id"], row["revision"]) == ("z-first", "a-revised", "0.32")
    code, _, _ = cli(tmp_path / "f", "export", str(tmp_path / "x.db"))
    db = sqlite3.connect(tmp_path / "x.db")
    assert code == 0 and db.execute("SELECT id FROM indicators_latest").fetchall() == [("a-revised",)]
    assert dict(db.execute("SELECT id, vintage FROM indicators").fetchall()) == {"z-first": 1, "a-revised": 2}


def test_a_chain_of_revisions_is_followed_to_its_end(tmp_path, cli):
    write(tmp_path / "f" / "g.toml", src("a", "2024-06-29") + ind("q2", 6.9, "a")
          + ind("q2-r1", 7.0, "a", extra='revises = "q2"') + ind("q2-r2", 7.1, "a", extra='revises = "q2-r1"'))
    diags = load_paths([tmp_path / "f"]).diagnostics
    assert [d for d in diags if d.severity in ("error", "warning")] == []
    _, out, _ = cli(tmp_path / "f", "search", "gross", "domestic", "product", "--format", "csv", "--fields", "id")
    assert [r["id"] for r in rows(out)] == ["q2-r2"]


@pytest.mark.parametrize("links,named", [
    ({"a": "a"}, ["a"]),
    ({"a": "b", "b": "a"}, ["a", "b"]),
    ({"a": "b", "b": "c", "c": "a"}, ["a", "b", "c"]),
])
def test_a_revises_loop_is_an_error_naming_every_fact_in_it(tmp_path, links, named):
    text = src("s", "2024-06-29") + "".join(
        ind(f, i, "s", extra=f'revises = "{links[f]}"' if f in links else "") for i, f in enumerate("abc"))
    write(tmp_path / "f" / "g.toml", text)
    (message,) = [m for m in errors_of(tmp_path / "f") if "loop" in m or "itself" in m]
    assert all(f"'{i}'" in message for i in named)


# ---- --as-of ------------------------------------------------------------------------------------

def pmi_months(first: int, last: int) -> str:
    out = []
    for year in range(first, last + 1):
        for m in range(1, 13):
            day = f"{year + (m == 12)}-{m % 12 + 1:02d}-01"
            out.append(src(f"s{year}{m:02d}", day) + ind(
                f"pmi-{year}-{m:02d}", 50 + m / 10, f"s{year}{m:02d}", period=f"{year}-{m:02d}",
                name="Purchasing Managers Index").replace('basis = "yoy"', 'basis = "level"').replace(
                'unit = "%"', 'unit = "points"'))
    return "".join(out)


def test_search_as_of_shows_nothing_published_later_even_in_latest_first_order(tmp_path, cli):
    write(tmp_path / "f" / "pmi.toml", pmi_months(2023, 2025))
    code, out, _ = cli(tmp_path / "f", "search", "pmi", "--as-of", "2024-06-30", "--format", "csv",
                       "--fields", "id,period", "--limit", "0")
    periods = [r["period"] for r in rows(out)]
    assert code == 0 and periods and max(periods) == "2024-05"


def test_a_source_dated_to_the_year_is_known_only_from_its_end(tmp_path, cli):
    write(tmp_path / "f" / "g.toml", src("y", "2024") + ind("x", 7.0, "y"))
    code, out, _ = cli(tmp_path / "f", "indicators", "--as-of", "2024-06-30", "--format", "csv")
    assert code == 1 and rows(out) == []
    _, out, _ = cli(tmp_path / "f", "indicators", "--as-of", "2024-12-31", "--format", "csv", "--fields", "id")
    assert [r["id"] for r in rows(out)] == ["x"]


AS_OF_COMMANDS = [
    ["search", "gross"], ["indicators"], ["series", "gross", "domestic", "product"], ["sources"],
]


@pytest.mark.parametrize("command", AS_OF_COMMANDS, ids=lambda c: c[0])
def test_as_of_on_every_command_shows_nothing_published_after_that_day(tmp_path, cli, command):
    write(tmp_path / "f" / "g.toml", src("early", "2024-06-29") + src("late", "2025-01-06")
          + ind("q2", 6.93, "early") + ind("q2-rev", 7.25, "late") + ind("q3", 7.4, "late", period="2024-Q3"))
    _, out, _ = cli(tmp_path / "f", *command, "--as-of", "2024-12-31", "--format", "json")
    text = out
    assert "2025-01-06" not in text and "q2-rev" not in text and "7.25" not in text and "late" not in text


def test_export_as_of_keeps_what_was_published_by_then(tmp_path, cli):
    write(tmp_path / "f" / "g.toml", SAME_DAY + src("c", "2025-01-06") + ind("later", 7.5, "c"))
    cli(tmp_path / "f", "export", str(tmp_path / "x.db"), "--as-of", "2024-12-31")
    db = sqlite3.connect(tmp_path / "x.db")
    assert sorted(r for (r,) in db.execute("SELECT id FROM indicators")) == ["a-revised", "z-first"]
    assert db.execute("SELECT id FROM indicators_latest").fetchall() == [("a-revised",)]


# ---- duplicates under any working directory ---------------------------------------------------------

def test_check_and_show_agree_on_a_duplicate_from_any_working_directory(tmp_path, capsys, monkeypatch):
    d = tmp_path / "d"
    write(d / "a" / "x.toml", src("s", "2024-06-29") + ind("dup", 1.0, "s"))
    write(d / "b" / "y.toml", ind("dup", 2.0, "s", period="2024-Q3"))
    for cwd in (tmp_path, d / "b", d / "a"):
        monkeypatch.chdir(cwd)
        code, _, err = run_main(["check", "--no-bundled", "--facts", str(d)], capsys)
        flagged = [line.split(":")[0] for line in err.splitlines() if "duplicate id" in line]
        _, out, _ = run_main(["show", "dup", "--format", "json", "--no-bundled", "--facts", str(d), "--no-cache"],
                             capsys)
        served = json.loads(out)["value"]
        # the file check calls the duplicate is never the one served
        assert len(flagged) == 1 and code != 0
        assert ("y.toml" in flagged[0]) == (served == 1.0), (cwd, flagged, served)


# ---- revised through a re-spelled region -------------------------------------------------------------

def test_revised_survives_the_standard_spelling_of_a_region(tmp_path, cli):
    aliases = '[[alias]]\nnames = ["Hà Nội", "Hanoi", "Ha Noi"]\n\n'
    write(tmp_path / "f" / "g.toml", aliases + src("a", "2024-06-29") + src("b", "2025-01-06")
          + ind("h1", 6.0, "a", region="Ha Noi") + ind("h1-rev", 6.5, "b", region="Ha Noi"))
    _, out, _ = cli(tmp_path / "f", "indicators", "--format", "csv", "--fields", "id,region,revised,vintage_date")
    assert rows(out) == [{"id": "h1-rev", "region": "Hà Nội", "revised": "true", "vintage_date": "2025-01-06"}]


def test_a_fact_copy_keeps_every_field():
    from vnecon.load.model import Fact

    f = Fact("indicator", "x", {"value": 1, "region": "Ha Noi"}, "/p.toml", 3, "bundled")
    f.revised, f.vintage_date, f.vintage_level = True, "2025-01-06", "2025-01-06:000000"
    twin = f.copy(region="Hà Nội")
    assert (twin.revised, twin.vintage_date, twin.vintage_level, twin.path, twin.line, twin.layer) == (
        True, "2025-01-06", "2025-01-06:000000", "/p.toml", 3, "bundled") and twin.get("region") == "Hà Nội"
    assert f.get("region") == "Ha Noi"


# ---- one process, two commands ------------------------------------------------------------------------

def test_two_commands_in_one_process_do_not_wait_for_each_other(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write(tmp_path / "f" / "g.toml", SAME_DAY)
    args = ["--no-bundled", "--facts", str(tmp_path / "f")]
    code, _, _ = run_main(["search", "nothing-like-this", *args], capsys)  # ends with no output
    assert code == 1
    write(tmp_path / "f" / "h.toml", src("c", "2025-01-06") + ind("new", 8.0, "c", period="2024-Q4"))
    started = time.monotonic()
    code, out, err = run_main(["indicators", "--format", "csv", "--fields", "id", *args], capsys)
    # generous for a busy machine; the old wait behind the first command's snapshot was 10 s
    assert code == 0 and "new" in out and "another vnecon" not in err and time.monotonic() - started < 8


# ---- the property: check and every query agree ------------------------------------------------------

def random_tree(rng: random.Random, root) -> None:
    days = ["2024-06-29", "2024-06-30", "2024-07", "2024", "2024-09-29"]
    layers = {"l1": root / "l1", "l2": root / "l2"}
    for name, d in layers.items():
        texts: dict[str, list[str]] = {}
        for s in range(3):
            texts.setdefault(f"{rng.choice('ab')}.toml", []).append(src(f"{name}-s{s}", rng.choice(days)))
        ids = [f"f{i}" for i in range(8)]
        for fid in ids:
            if rng.random() < 0.7:
                extra = f'revises = "{rng.choice(ids)}"' if rng.random() < 0.4 else ""
                sub = rng.choice(["a.toml", "b.toml", "sub/c.toml"])
                texts.setdefault(sub, []).append(ind(fid, rng.choice([1.0, 2.0, 3.0]), f"{name}-s{rng.randrange(3)}",
                                                     period=rng.choice(["2024-Q2", "2024-Q3"]), extra=extra))
        for sub, parts in texts.items():
            write(d / sub, "".join(parts))


def test_check_and_queries_agree_on_winners_and_latest_vintages(tmp_path, capsys, monkeypatch):
    from vnecon.load.loader import load_layers

    rng = random.Random(31)
    for trial in range(12):
        root = tmp_path / f"t{trial}"
        random_tree(rng, root)
        loaded = load_layers([("cli", [root / "l1", root / "l2"])])
        winners = {f.id: f.get("value") for f in loaded.facts if f.kind == "indicator"}
        # the latest per observation, by the one resolver over what check loaded
        from vnecon.load.model import published
        from vnecon.load.validate import observation_key

        by_id = {f.id: f for f in loaded.facts}
        groups: dict = {}
        for f in loaded.facts:
            if f.kind == "indicator":
                groups.setdefault(observation_key(f), []).append(f)
        latest = set()
        for g in groups.values():
            latest |= resolve([Vintage(f.id, published(f, by_id), str(f.get("revises") or ""), f.get("value"))
                               for f in g]).latest
        for cwd in (tmp_path, root / "l1", root / "l2" / "sub"):
            (root / "l2" / "sub").mkdir(parents=True, exist_ok=True)
            monkeypatch.chdir(cwd)
            args = ["--no-bundled", "--facts", str(root / "l1"), "--facts", os.path.relpath(root / "l2", cwd),
                    "--no-cache", "--format", "csv", "--fields", "id,value"]
            _, out, _ = run_main(["indicators", "--all-vintages", *args], capsys)
            assert {r["id"]: float(r["value"]) for r in rows(out)} == winners, (trial, cwd)
            _, out, _ = run_main(["indicators", *args], capsys)
            assert {r["id"] for r in rows(out)} == latest, (trial, cwd)
