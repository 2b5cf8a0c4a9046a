"""`check` through the index (issue 32): the same problems, at the same lines and columns, as the
in-memory load every other path uses, and a file that has not changed is not parsed again."""

from __future__ import annotations

from tests.conftest import ALIASES, write
from vnecon.load.loader import load_layers
from vnecon.load.session import Options
from vnecon.search.checks import gather

# Every problem between files that check knows, spread over two layers and several files.
SOURCES = '''
[[source]]
id = "src-a"
publisher = "VNA"
title = "A"
date = "2024-08-05"
url = "https://example.org/a"

[[source]]
id = "src-b"
publisher = "VnExpress"
title = "B"
date = "2024-08-06"
url = "https://example.org/b"

[[source]]
id = "src-month"
publisher = "Tuoi Tre"
title = "Dated to the month"
date = "2024-08"
url = "https://example.org/m"

[[source]]
id = "src-undated"
publisher = "unknown"
title = "No date, no url"

[[source]]
id = "dup-src"
publisher = "VNA"
title = "Twice"
date = "2024-01-01"
url = "https://example.org/d"

[[headline]]
id = "pmi"
label = "PMI"
order = 1
name = "Purchasing Managers' Index"
unit = "points"
basis = "level"
length = "month"

[[release]]
id = "pmi-rule"
name = "PMI release"
publisher = "S&P Global"
series = ["pmi", "no-such-series"]
every = "month"
day = "first-working-day"
months_after = 1
sources = ["src-a", "src-missing"]
'''

FIGURES = '''
[[indicator]]
id = "pmi-2024-07"
name = "Purchasing Managers' Index"
period = "2024-07"
value = 54.7
unit = "points"
basis = "level"
sources = ["src-a"]

[[indicator]]
id = "pmi-2024-07-early"
name = "Purchasing Managers' Index"
period = "2024-08"
value = 52.0
unit = "points"
basis = "level"
sources = ["src-b"]

[[indicator]]
id = "exports-h1"
name = "Exports"
region = "Ha Noi"
period = "2024-H1"
value = 10
unit = "USD bn"
basis = "level"
sources = ["src-a"]

[[indicator]]
id = "exports-h1-b"
name = "Exports"
region = "Ha Noi"
period = "2024-H1"
value = 11
unit = "USD bn"
basis = "level"
sources = ["src-a"]

[[indicator]]
id = "exports-h1-c"
name = "Exports"
region = "Ha Noi"
period = "2024-H1"
value = 12
unit = "USD bn"
basis = "level"
sources = ["src-month"]

[[indicator]]
id = "iip-q2"
name = "IIP"
period = "2024-Q2"
value = 5
unit = "%"
basis = "yoy"
sources = ["src-a"]
revises = "iip-q2-later"

[[indicator]]
id = "iip-q2-later"
name = "IIP"
period = "2024-Q2"
value = 6
unit = "%"
basis = "yoy"
sources = ["src-b"]

[[indicator]]
id = "loop-a"
name = "Loop"
period = "2024"
value = 1
unit = "%"
basis = "yoy"
sources = ["src-a"]
revises = "loop-b"

[[indicator]]
id = "loop-b"
name = "Loop"
period = "2024"
value = 2
unit = "%"
basis = "yoy"
sources = ["src-a"]
revises = "loop-a"

[[indicator]]
id = "self"
name = "Self"
period = "2024"
value = 2
unit = "%"
basis = "yoy"
sources = ["src-a"]
revises = "self"

[[indicator]]
id = "other-measure"
name = "Other"
period = "2023"
value = 2
unit = "%"
basis = "yoy"
sources = ["src-a"]
revises = "pmi-2024-07"

[[indicator]]
id = "revises-nothing"
name = "Nothing"
period = "2023"
value = 2
unit = "%"
basis = "yoy"
sources = ["src-a", "src-undated", "scr-a", "firm-a"]
revises = "no-such-figure"

[[company]]
id = "firm-a"
name = "Firm A"
type = "company"
parent = "no-firm"
sources = ["src-a"]

[[company]]
id = "broken-firm"
name = "Broken: no type"
parent = "nope-firm"
sources = ["src-a"]

[[partnership]]
id = "deal"
name = "A deal"
parties = ["firm-a", "ghost-firm", "Some Ministry"]
kind = "agreement"
date = "2024-05-01"
sources = ["src-a"]

[[indicator]]
id = "cpi-feb-news"
name = "CPI"
period = "2024-02"
value = 3.98
unit = "%"
basis = "yoy"
sources = ["src-a"]

[[series]]
id = "cpi"
name = "CPI"
unit = "%"
basis = "yoy"
sources = ["src-a", "src-gone"]
points = [["2024-01", 3.4], ["2024-02", 4.0],
          ["2024-03", 4.0]]

[[source]]
id = "dup-src"
publisher = "VNA"
title = "Twice again"
date = "2024-01-01"
url = "https://example.org/d2"
'''

MINE = '''
[[source]]
id = "src-b"
publisher = "VnExpress"
title = "B, replaced"
date = "2024-08-06"
url = "https://example.org/b2"

[[indicator]]
id = "mine"
name = "Mine"
period = "2024"
value = 1
unit = "%"
basis = "yoy"
sources = ["src-a"]
'''


def tree(tmp_path):
    base, mine = tmp_path / "base", tmp_path / "mine"
    write(base / "sources.toml", SOURCES)
    write(base / "aliases.toml", ALIASES)
    write(base / "figures" / "figures.toml", FIGURES)
    write(mine / "mine.toml", MINE)
    return base, mine


def in_memory(base, mine) -> list:
    return sorted(map(tuple, load_layers([("env", [base]), ("cli", [mine])]).diagnostics))


def through_the_index(base, mine, monkeypatch, **kw) -> list:
    monkeypatch.setenv("VNECON_FACTS", str(base))
    return sorted(map(tuple, gather([], Options([mine], no_bundled=True, **kw)).diagnostics))


def test_check_through_the_index_finds_what_the_in_memory_load_finds(tmp_path, monkeypatch):
    base, mine = tree(tmp_path)
    expected = in_memory(base, mine)
    messages = " ".join(d[4] for d in expected)
    for said in ("duplicate id", "replaces source", "did you mean", "has no date", "has no url",
                 "looks like an id", "revises loop", "revises itself", "measures another", "published later",
                 "no indicator with id", "differs from", "counts from its end", "its standard spelling",
                 "no [[headline]]", "no source with id 'src-missing'", "is a company, not a source",
                 "more point"):
        assert said in messages, said  # the fixture really has each problem
    assert through_the_index(base, mine, monkeypatch) == expected
    assert through_the_index(base, mine, monkeypatch) == expected  # again, from the cache
    assert through_the_index(base, mine, monkeypatch, no_cache=True) == expected


def test_check_parses_only_the_file_that_changed(tmp_path, monkeypatch):
    base, mine = tree(tmp_path)
    through_the_index(base, mine, monkeypatch)
    from vnecon.search import build

    parsed = []
    real = build.apply
    monkeypatch.setattr(build, "apply", lambda index, changed, *a: (parsed.extend(c.path for c in changed),
                                                                    real(index, changed, *a)))
    (mine / "mine.toml").write_text(MINE.replace('sources = ["src-a"]', 'sources = ["src-zz"]'), encoding="utf-8")
    got = through_the_index(base, mine, monkeypatch)
    assert parsed == [str(mine / "mine.toml")]
    assert any("no source with id 'src-zz'" in d[4] for d in got)
    assert got == in_memory(base, mine)


def test_check_of_some_files_counts_and_reports_only_them(tmp_path, monkeypatch):
    base, mine = tree(tmp_path)
    monkeypatch.setenv("VNECON_FACTS", str(base))
    got = gather([mine / "mine.toml"], Options([mine], no_bundled=True))
    assert got.files == [str(mine / "mine.toml")]
    assert {d.path for d in got.diagnostics} == {str(mine / "mine.toml")}
    assert got.count() == {"source": 1, "indicator": 1}


def test_check_of_one_file_finds_what_a_check_of_all_finds_in_it(tmp_path, monkeypatch):
    base, mine = tree(tmp_path)
    figures = base / "figures" / "figures.toml"
    expected = [d for d in in_memory(base, mine) if d[0] == str(figures)]
    assert len(expected) > 10
    monkeypatch.setenv("VNECON_FACTS", str(base))
    got = gather([figures], Options([mine], no_bundled=True))
    assert sorted(map(tuple, got.diagnostics)) == expected


def test_check_of_the_bundled_facts_from_the_prebuilt_index_agrees_with_reading_them():
    """The shipped index (as tests/conftest.py builds it, like the wheel's hook) and a read of the
    bundled TOML report the same problems: check can trust the one it adopts."""
    from vnecon.load.layers import bundled_dir

    expected = sorted(map(tuple, load_layers([("bundled", [bundled_dir()])]).diagnostics))
    got = gather([], Options())
    assert sorted(map(tuple, got.diagnostics)) == expected
    assert sum(got.count().values()) > 0


def test_new_append_checks_through_the_cached_index_never_in_memory(tmp_path, monkeypatch, capsys):
    """`new --append` looks ids up, appends, then checks the file: each step on the cache, none
    holding it against the next (a held read made the check wait, then rebuild everything in memory)."""
    import vnecon.search.refresh as refresh
    from tests.conftest import run_main

    base, mine = tree(tmp_path)
    monkeypatch.setenv("VNECON_FACTS", str(base))
    run_main(["search", "pmi", "--no-bundled"], capsys)  # the cache exists

    def no_memory():
        raise AssertionError("indexed in memory")

    monkeypatch.setattr(refresh, "memory_index", no_memory)
    code, _, err = run_main(["new", "indicator", "--append", str(base / "sources.toml"), "--id", "added",
                             "--set", "name=Added", "--set", "sources=src-zz"], capsys)
    assert code == 0, err
    assert "no source with id 'src-zz'" in err  # the check after the append found the new fact's problem
