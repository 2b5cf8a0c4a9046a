"""Loader and validation: each kind of problem names its exact file:line:col."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import write
from vnecon.load.files import shown
from vnecon.load.loader import load_paths
from vnecon.core.periods import parse_period

SOURCE = '''
[[source]]
id = "s"
publisher = "VNA"
title = "A headline"
date = "2024-08-05"
url = "https://en.vietnamplus.vn/a-headline-post1.vnp"
'''


def problems(tmp_path: Path, text: str, name: str = "f.toml") -> list[str]:
    write(tmp_path / "d" / "src.toml", SOURCE)
    write(tmp_path / "d" / name, text)
    return [shown(d) for d in load_paths([Path("d")]).diagnostics]


def test_clean_file_loads_typed_records(tmp_path):
    write(tmp_path / "d" / "src.toml", SOURCE)
    write(tmp_path / "d" / "i.toml", '''
        [[indicator]]
        id = "pmi"
        name = "PMI"
        period = 2024
        value = 54.7
        unit = "points"
        basis = "level"
        sources = ["s"]
    ''')
    result = load_paths([Path("d")])
    assert result.diagnostics == []
    pmi = result.by_id["pmi"]
    assert (pmi.kind, pmi.get("value"), pmi.get("period"), pmi.get("region")) == ("indicator", 54.7, "2024", "Vietnam")
    assert pmi.path == os.path.abspath(os.path.join("d", "i.toml")) and pmi.line == 1  # canonical


def test_unknown_key_is_an_error_at_its_line(tmp_path):
    got = problems(tmp_path, '''
        [[indicator]]
        id = "pmi"
        name = "PMI"
        period = "2024"
        vlaue = 54.7
        unit = "points"
        basis = "level"
        sources = ["s"]
    ''')
    path = os.path.join("d", "f.toml")
    assert f'{path}:5:1: error: [indicator pmi] unknown field "vlaue" (did you mean "value"?)' in got
    assert f"{path}:1:1: error: [indicator pmi] missing required field 'value'" in got


def test_every_problem_in_a_file_is_reported(tmp_path):
    got = problems(tmp_path, '''
        [[indicator]]
        id = "a"
        name = "A"
        period = "2024-13"
        value = "3"
        unit = "%"
        basis = "yoy"
        sources = "s"

        [[company]]
        id = "B"
        name = "B"
        type = "company"
        sources = ["s"]
    ''')
    joined = "\n".join(got)
    assert ":4:1: error: [indicator a] bad period '2024-13'" in joined
    assert ":5:1: error: [indicator a] value must be a number, not a string" in joined
    assert ":8:1: error: [indicator a] sources must be an array of strings" in joined
    assert ":11:1: error: [company B] id 'B' must be lowercase" in joined
    assert len(got) == 4


def test_bad_date_format(tmp_path):
    got = problems(tmp_path, '''
        [[partnership]]
        id = "p"
        name = "P"
        parties = ["Vietnam", "Sweden"]
        kind = "meeting"
        date = "13/06/2025"
        sources = ["s"]
    ''')
    assert any(g.startswith(os.path.join("d", "f.toml") + ":6:1: error: [partnership p] bad date '13/06/2025'") for g in got)


def test_duplicate_ids_cite_both_places(tmp_path):
    got = problems(tmp_path, '''
        [[company]]
        id = "gso"
        name = "GSO"
        type = "agency"
        sources = ["s"]

        [[company]]
        id = "gso"
        name = "General Statistics Office"
        type = "agency"
        sources = ["s"]
    ''')
    path = os.path.join("d", "f.toml")
    assert f"{path}:8:1: error: [company gso] duplicate id 'gso': already defined at {path}:1" in got


def test_references_must_exist(tmp_path):
    got = problems(tmp_path, '''
        [[company]]
        id = "child"
        name = "Child"
        type = "company"
        parent = "nobody"
        sources = ["s", "missing-source"]

        [[project]]
        id = "plant"
        name = "Plant"
        owner = "ghost"
        location = "Hà Nam"
        sources = ["s"]
    ''')
    path = os.path.join("d", "f.toml")
    assert f"{path}:6:1: error: [company child] sources: no source with id 'missing-source'" in got
    assert f"{path}:5:1: error: [company child] parent: no company with id 'nobody'" in got
    assert f"{path}:11:1: error: [project plant] owner: no company with id 'ghost'" in got


def test_toml_syntax_error_has_parser_position_and_other_files_still_load(tmp_path):
    write(tmp_path / "d" / "good.toml", SOURCE)
    write(tmp_path / "d" / "bad.toml", 'x = 1\n[[company]\nid = "a"\n')
    result = load_paths([Path("d")])
    assert [shown(d) for d in result.diagnostics] == [
        f"{os.path.join('d', 'bad.toml')}:2:10: error: TOML syntax: Expected ']]' at the end of an array declaration"
    ]
    assert "s" in result.by_id


def test_not_utf8_empty_and_unreadable_files_are_diagnostics(tmp_path):
    write(tmp_path / "d" / "good.toml", SOURCE)
    (tmp_path / "d" / "latin1.toml").write_bytes(b'[[source]]\nid = "x"\ntitle = "caf\xe9"\n')
    (tmp_path / "d" / "empty.toml").write_bytes(b"")
    unreadable = tmp_path / "d" / "locked.toml"
    unreadable.write_text(SOURCE)
    unreadable.chmod(0)
    result = load_paths([Path("d")])
    text = "\n".join(shown(d) for d in result.diagnostics)
    assert f"{os.path.join('d', 'latin1.toml')}:3:13: error: not UTF-8" in text
    assert f"{os.path.join('d', 'empty.toml')}:1:1: warning: file is empty" in text
    if os.geteuid() != 0:  # root can read anything
        assert f"{os.path.join('d', 'locked.toml')}:1:1: warning: cannot read" in text
    assert "s" in result.by_id


def test_unknown_table_and_single_table_forms(tmp_path):
    got = problems(tmp_path, '''
        [indicator]
        id = "x"

        [[factoid]]
        id = "y"
    ''')
    path = os.path.join("d", "f.toml")
    assert any(g.startswith(f"{path}:1:1: error: write [[indicator]] (an array of tables)") for g in got)
    assert any(g.startswith(f"{path}:4:1: error: unknown table 'factoid'") for g in got)


def test_conflicting_indicator_values_and_undated_sources_warn(tmp_path):
    got = problems(tmp_path, '''
        [[source]]
        id = "undated"
        publisher = "unknown"
        title = "Teaser"

        [[indicator]]
        id = "a"
        name = "GRDP"
        region = "Hà Nội"
        period = "2024-H1"
        value = 6
        unit = "%"
        basis = "yoy"
        sources = ["s"]

        [[indicator]]
        id = "b"
        name = "GRDP"
        region = "Ha Noi"
        period = "2024-H1"
        value = 6.5
        unit = "%"
        basis = "yoy"
        sources = ["undated"]
    ''')
    joined = "\n".join(got)
    assert ":21:1: warning: [indicator b] value 6.5 (sources undated) differs from 6 in 'a' (sources s)" in joined
    assert ":24:1: warning: [indicator b] source 'undated' has no date" in joined


@pytest.mark.parametrize("text,span", [
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024-Q3", ("2024-07-01", "2024-09-30")),
    ("2024-H1", ("2024-01-01", "2024-06-30")),
    ("2025-06-19", ("2025-06-19", "2025-06-19")),
    ("2024-01/2024-11", ("2024-01-01", "2024-11-30")),
    ("2016/2020", ("2016-01-01", "2020-12-31")),
])
def test_period_forms(text, span):
    assert parse_period(text) == span


@pytest.mark.parametrize("bad", ["24", "2024-7", "2024-Q5", "2024-H3", "2024/2023", "2024-02-30", "July 2024"])
def test_bad_periods_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_period(bad)


def test_unreadable_directory_is_a_warning_naming_it(tmp_path, monkeypatch):
    import vnecon.load.files

    write(tmp_path / "d" / "src.toml", SOURCE)
    real_walk = vnecon.load.files.os.walk

    def walk(top, onerror=None, followlinks=False):
        for root, dirs, files in real_walk(top):
            yield root, dirs, files
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "d" / "private")))

    monkeypatch.setattr(vnecon.load.files.os, "walk", walk)
    result = load_paths([Path("d")])
    assert [shown(d) for d in result.diagnostics] == [
        "d/private: warning: cannot read directory: Permission denied; skipped"]  # printed relative
    assert "s" in result.by_id


def test_huge_integers_and_deep_nesting_are_diagnostics(tmp_path):
    write(tmp_path / "d" / "src.toml", SOURCE)
    (tmp_path / "d" / "big.toml").write_text("value = 1" + "0" * 5000 + "\n")
    (tmp_path / "d" / "deep.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    result = load_paths([Path("d")])
    text = "\n".join(shown(d) for d in result.diagnostics)
    assert os.path.join("d", "big.toml") + ":1:1: error: TOML syntax:" in text
    assert os.path.join("d", "deep.toml") + ":1:1: error: TOML syntax: nested too deeply to read" in text
    assert "s" in result.by_id


def test_ids_and_dates_must_be_plain(tmp_path):
    got = problems(tmp_path, '''
        [[source]]
        id = "x\\n"
        publisher = "P"
        title = "T"
        date = "２０２４-０７-０５"
    ''')
    assert any(":2:1: error:" in g and "must be lowercase" in g for g in got)
    assert any(":5:1: error:" in g and "bad date" in g for g in got)
