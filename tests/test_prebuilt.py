"""The bundled facts indexed ahead of time (issue 32): a new cache adopts the index built with
the package, agrees with a build from the TOML files, and never serves a changed file stale."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURE, write
from vnecon.search import prebuild, prebuilt
from vnecon.search.refresh import open_index


def snapshot(index) -> tuple:
    facts = sorted((f.id, f.kind, f.path, f.line, repr(f.data), f.revised, f.vintage_date)
                   for f in index.facts(every_vintage=True))
    return facts, sorted(map(tuple, index.diagnostics()))


@pytest.fixture
def bundled(tmp_path, monkeypatch):
    d = tmp_path / "facts"
    write(d / "a.toml", FIXTURE)
    write(d / "sub" / "b.toml", '[[indicator]]\nid = "bad"\nname = "x"\n')  # an error, kept as a diagnostic
    built = tmp_path / "pre.sqlite"
    prebuild.build(d, built)
    monkeypatch.setattr(prebuilt, "prebuilt_file", lambda: built)
    return d


def fresh(tmp_path, monkeypatch, name):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / name))
    return tmp_path / name


def test_a_new_cache_adopts_the_prebuilt_index_and_agrees_with_a_build(bundled, tmp_path, monkeypatch):
    fresh(tmp_path, monkeypatch, "c1")
    parsed = []
    import vnecon.search.build as build

    real = build.apply
    monkeypatch.setattr(build, "apply", lambda index, changed, *a: (parsed.extend(changed), real(index, changed, *a)))
    adopted = snapshot(open_index([("bundled", [bundled])]))
    assert parsed == []  # nothing was read from TOML
    monkeypatch.setattr(prebuilt, "prebuilt_file", lambda: None)
    fresh(tmp_path, monkeypatch, "c2")
    assert adopted == snapshot(open_index([("bundled", [bundled])]))
    assert any(f[0] == "vn-pmi-2024-07" and f[2] == str(bundled / "a.toml") for f in adopted[0])


def test_a_changed_bundled_file_is_read_again_never_served_stale(bundled, tmp_path, monkeypatch):
    text = (bundled / "a.toml").read_text()
    (bundled / "a.toml").write_text(text.replace("value = 54.7", "value = 45.7"))  # same size, new content
    (bundled / "sub" / "b.toml").unlink()
    write(bundled / "c.toml", '[[source]]\nid = "new-src"\npublisher = "VNA"\ntitle = "New"\ndate = "2025-01-01"\n')
    fresh(tmp_path, monkeypatch, "c3")
    index = open_index([("bundled", [bundled])])
    assert index.get("vn-pmi-2024-07").get("value") == 45.7
    assert index.get("new-src") is not None and not any("b.toml" in d.path for d in index.diagnostics())


def test_user_layers_are_added_on_top_of_the_adopted_index(bundled, tmp_path, monkeypatch):
    fresh(tmp_path, monkeypatch, "c4")
    mine = tmp_path / "mine"
    write(mine / "m.toml", '[[source]]\nid = "src-hanoi"\npublisher = "Mine"\ntitle = "Replaced"\n'
                           'date = "2024-07-29"\n')
    index = open_index([("bundled", [bundled]), ("cli", [mine])])
    assert index.get("src-hanoi").get("publisher") == "Mine"
    assert index.get("vn-pmi-2024-07") is not None


def test_a_prebuilt_index_of_another_schema_version_is_not_used(bundled, tmp_path, monkeypatch):
    import sqlite3

    db = sqlite3.connect(prebuilt.prebuilt_file())
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    fresh(tmp_path, monkeypatch, "c5")
    assert open_index([("bundled", [bundled])]).get("vn-pmi-2024-07") is not None


def test_the_prebuilt_index_serves_the_facts_wherever_they_are_installed(tmp_path, monkeypatch):
    """Built in one directory, adopted for a copy in another (a wheel built on one machine, installed
    on another): every path a user sees names the installed files, and no file is read again."""
    import shutil

    built_at = tmp_path / "build" / "facts"
    write(built_at / "a.toml", FIXTURE)
    write(built_at / "b.toml", '[[indicator]]\nid = "bad"\nname = "x"\n\n[[headline]]\nid = "pmi-h"\n'
                               'label = "PMI"\nname = "Purchasing Managers\' Index"\nunit = "points"\n'
                               'basis = "level"\nlength = "month"\norder = 1\n')
    pre = tmp_path / "pre.sqlite"
    prebuild.build(built_at, pre)
    installed = tmp_path / "site-packages" / "vnecon" / "facts"
    shutil.copytree(built_at, installed)
    shutil.rmtree(tmp_path / "build")
    monkeypatch.setattr(prebuilt, "prebuilt_file", lambda: pre)
    fresh(tmp_path, monkeypatch, "c6")
    parsed = []
    import vnecon.search.build as build

    real = build.apply
    monkeypatch.setattr(build, "apply", lambda index, changed, *a: (parsed.extend(changed), real(index, changed, *a)))
    index = open_index([("bundled", [installed])])
    assert parsed == []
    assert {f.path for f in index.facts(every_vintage=True)} == {str(installed / "a.toml")}
    assert str(installed / "b.toml") in {d.path for d in index.diagnostics()}
    assert all(d.path.startswith(str(installed)) for d in index.diagnostics())
    assert [r["_path"] for r in index.calendar_tables()] == [str(installed / "b.toml")]
    assert index.definitions("bad") == [(str(installed / "b.toml"), 1)]


def test_the_places_kept_in_the_index_follow_the_files(tmp_path, monkeypatch):
    """A query reads the places from one row the refresh keeps: a new file's region is there at
    once, and a removed file's is gone."""
    fresh(tmp_path, monkeypatch, "c7")
    d = tmp_path / "mine"
    write(d / "a.toml", FIXTURE)
    assert "da nang" not in open_index([("cli", [d])]).places()
    write(d / "b.toml", '[[indicator]]\nid = "dn"\nname = "Exports"\nregion = "Da Nang"\nperiod = "2024"\n'
                        'value = 1\nunit = "USD"\nbasis = "level"\nsources = ["src-hanoi"]\n')
    assert "da nang" in open_index([("cli", [d])]).places()
    (d / "b.toml").unlink()
    assert "da nang" not in open_index([("cli", [d])]).places()


def test_with_no_facts_of_ones_own_the_shipped_index_answers_without_a_copy(bundled, tmp_path, monkeypatch):
    """A fresh install: the shipped index is opened read-only (nothing copied into the cache but a
    stamp); a changed bundled file, or a file in another layer, makes a cache as before."""
    cache = fresh(tmp_path, monkeypatch, "c8")
    index = open_index([("bundled", [bundled]), ("user", [])])
    assert index.get("vn-pmi-2024-07").get("value") == 54.7
    assert not list(cache.rglob("index-*.sqlite")) and list(cache.rglob("prebuilt-*.ok"))
    assert open_index([("bundled", [bundled])]).get("vn-pmi-2024-07") is not None  # the stamp: no CRC again

    text = (bundled / "a.toml").read_text()
    (bundled / "a.toml").write_text(text.replace("value = 54.7", "value = 45.7"))  # same size, new content
    assert open_index([("bundled", [bundled])]).get("vn-pmi-2024-07").get("value") == 45.7
    assert list(cache.rglob("index-*.sqlite"))  # never served stale: a cache, re-read

    mine = tmp_path / "mine"
    write(mine / "m.toml", '[[source]]\nid = "mine"\npublisher = "Me"\ntitle = "Mine"\ndate = "2024-01-01"\n')
    assert open_index([("bundled", [bundled]), ("user", [mine])]).get("mine") is not None
