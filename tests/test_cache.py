"""The on-disk index cache: fresh after edits, per-file refresh, robust to damage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import vnecon.load.loader
from tests.conftest import write
from vnecon.search.index import cache_dir
from vnecon.search.refresh import open_index


def layers(d: Path) -> list[tuple[str, list[Path]]]:
    return [("cli", [d])]


def many_files(d: Path, n: int = 20) -> Path:
    write(d / "sources.toml", '[[source]]\nid = "s"\npublisher = "VNA"\ntitle = "T"\ndate = "2024-01-01"\n')
    for i in range(n):
        write(d / f"f{i:02d}.toml", f'[[indicator]]\nid = "x{i}"\nname = "Thing {i}"\nperiod = "2024"\n'
                                    f'value = {i}\nunit = "count"\nbasis = "level"\nsources = ["s"]\n')
    return d


def test_edit_is_seen_by_the_next_query(cli, facts_dir):
    _, out, _ = cli("show", "vn-pmi-2024-07", "--format", "json")
    assert json.loads(out)["value"] == 54.7
    f = facts_dir / "facts.toml"
    f.write_text(f.read_text().replace("value = 54.7", "value = 49.5"))  # same size
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    _, out, _ = cli("show", "vn-pmi-2024-07", "--format", "json")
    assert json.loads(out)["value"] == 49.5
    f.write_text(f.read_text().replace("value = 49.5", "value = 50.25"))  # new size
    _, out, _ = cli("search", "purchasing", "--format", "json")
    assert json.loads(out)[0]["value"] == 50.25


def test_one_changed_file_is_the_only_one_parsed_again(tmp_path, monkeypatch):
    d = many_files(tmp_path / "many")
    calls: list[str] = []
    real = vnecon.load.loader.raw_parts

    def counting(path, layer=""):
        calls.append(Path(path).name)
        return real(path, layer)

    monkeypatch.setattr(vnecon.load.loader, "raw_parts", counting)
    open_index(layers(d))
    assert len(calls) == 21
    calls.clear()
    open_index(layers(d))
    assert calls == []  # nothing changed, nothing parsed
    (d / "f07.toml").write_text((d / "f07.toml").read_text().replace("value = 7", "value = 700"))
    index = open_index(layers(d))
    assert calls == ["f07.toml"]
    assert index.get("x7").get("value") == 700


def test_removed_and_added_files_and_facts(tmp_path):
    d = many_files(tmp_path / "many", 3)
    assert open_index(layers(d)).get("x2") is not None
    (d / "f02.toml").unlink()
    write(d / "new.toml", '[[company]]\nid = "newco"\nname = "NewCo"\ntype = "company"\nsources = ["s"]\n')
    index = open_index(layers(d))
    assert index.get("x2") is None and index.get("newco").title == "NewCo"


def test_corrupt_cache_is_rebuilt_with_a_warning(cli):
    cli("search", "pmi")
    files = list(cache_dir().glob("index-*.sqlite"))
    assert files
    for f in files:
        f.write_bytes(b"this is not a database" * 100)
    code, out, err = cli("search", "pmi")
    assert code == 0 and "vn-pmi-2024-07" in out
    assert "warning: cache" in err and "rebuilding" in err and "Traceback" not in err


def test_foreign_sqlite_file_is_rebuilt(cli):
    import sqlite3

    cli("search", "pmi")
    (f,) = cache_dir().glob("index-*.sqlite")
    f.unlink()
    db = sqlite3.connect(f)
    db.execute("CREATE TABLE other(x)")
    db.commit()
    db.close()
    code, out, err = cli("search", "pmi")
    assert code == 0 and "vn-pmi-2024-07" in out and "rebuilding" in err


def test_no_cache_writes_nothing_and_cache_clear_removes(cli):
    cli("search", "pmi", "--no-cache")
    assert not list(cache_dir().glob("index-*"))
    cli("search", "pmi")
    assert list(cache_dir().glob("index-*.sqlite"))
    code, _, err = cli("cache", "clear")
    assert code == 0 and "removed" in err
    assert not list(cache_dir().glob("index-*.sqlite"))


def test_concurrent_first_runs_agree(facts_dir, tmp_path):
    many_files(facts_dir / "more", 30)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "shared-cache")}
    env.pop("VNECON_FACTS", None)
    cmd = [sys.executable, "-m", "vnecon", "indicators", "--no-bundled", "--facts", str(facts_dir), "--format", "csv"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [r[1] for r in results]
    outputs = {r[0] for r in results}
    assert len(outputs) == 1 and len(outputs.pop().splitlines()) == 1 + 7 + 30
    assert [r[1] for r in results] == [b""] * 4


def test_a_busy_cache_is_left_alone(cli, facts_dir, monkeypatch):
    import sqlite3

    import vnecon.search.index

    cli("search", "pmi")
    (f,) = cache_dir().glob("index-*.sqlite")
    inode = f.stat().st_ino
    (facts_dir / "facts.toml").write_text((facts_dir / "facts.toml").read_text() + "\n")  # needs a refresh
    monkeypatch.setattr(vnecon.search.index, "LOCK_TIMEOUT", 0.2)
    other = sqlite3.connect(f, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        code, out, err = cli("search", "pmi")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 0 and "vn-pmi-2024-07" in out
    assert "is busy" in err and "rebuilding" not in err
    assert f.stat().st_ino == inode


def test_cache_serves_any_working_directory_and_a_file_in_two_layers_once(tmp_path, monkeypatch):
    d = many_files(tmp_path / "many", 3)
    calls: list[str] = []
    real = vnecon.load.loader.raw_parts
    monkeypatch.setattr(vnecon.load.loader, "raw_parts", lambda p, layer="": calls.append(p) or real(p, layer))
    open_index(layers(d))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    calls.clear()
    open_index(layers(d))
    assert calls == []
    both = [("config", [d]), ("cli", [d])]
    index = open_index(both)
    assert index.get("x1").layer == "cli" and index.count() == 4


def test_check_on_a_directory_given_twice_has_no_duplicates(cli, facts_dir):
    code, _, err = cli("check", "--facts", str(facts_dir))  # the fixture adds the same --facts too
    assert code == 0 and "duplicate" not in err and "note:" not in err


def test_duplicate_in_one_layer_resolves_the_same_cached_or_not(tmp_path):
    d = tmp_path / "dup"
    write(d / "s.toml", '[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\ndate = "2024-01-01"\n')
    for name in ("a", "b"):
        write(d / f"{name}.toml", f'[[company]]\nid = "dup"\nname = "From {name}"\ntype = "company"\nsources = ["s"]\n')
    assert open_index(layers(d)).get("dup").title == "From a"
    (d / "a.toml").write_text((d / "a.toml").read_text() + "\n")  # a is parsed again, after b
    assert open_index(layers(d)).get("dup").title == "From a"
    assert open_index(layers(d), use_cache=False).get("dup").title == "From a"


def test_unreadable_file_is_tried_again(tmp_path, monkeypatch):
    d = many_files(tmp_path / "many", 2)
    real_open = os.open
    blocked = str(d / "f01.toml")

    def fake_open(path, *a, **k):
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(os, "open", fake_open)
    assert open_index(layers(d)).get("x1") is None
    monkeypatch.setattr(os, "open", real_open)
    assert open_index(layers(d)).get("x1") is not None  # same size and mtime, yet read again


def test_a_cache_cleared_under_a_running_query_is_rebuilt_not_a_crash(tmp_path):
    """`cache clear` (or a new empty file) between two statements of a query: the error that
    follows is handled as a damaged cache (rebuilt once), never exit 70 (issue 28 O9)."""
    import sqlite3

    from vnecon.search import refresh

    path = tmp_path / "index-x.sqlite"
    sqlite3.connect(path).close()  # what another process's clear-and-recreate leaves: no tables
    refresh.opened[:] = [path]
    try:
        assert refresh.discard_damaged_cache(sqlite3.OperationalError("no such table: files"))
        assert not path.exists()
    finally:
        refresh.opened.clear()
