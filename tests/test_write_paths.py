"""Issue 28: write paths that must not destroy files (D1-D7) and I/O failures that must exit 74 (O1-O7).

Each test reproduces one case of the issue in tmp_path.  Concurrency tests use a
few processes and assert on outcomes only; crashes are made deterministic (a
process kills itself at a chosen write) rather than timed.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vnecon.authoring.append import append_fact
from vnecon.authoring.newfact import template
from vnecon.core.errors import IdsTaken, WriteRefused
from vnecon.core.safefile import FileLock, LockBusy
from vnecon.load.tomlread import tomllib

ROOT = Path(__file__).resolve().parent.parent


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VNECON_"))}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    return {**env, **extra}


def run(tmp_path: Path, *args: str, limit: int | None = None, **env: str) -> subprocess.CompletedProcess:
    """The real command line in a fresh process; limit caps the size of any file it writes (a full disk)."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "vnecon", *args], env=env_for(tmp_path, **env), cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, preexec_fn=cap if limit else None)


def source(i: int | str, title: str = "T") -> str:
    return template("source", f"s-{i}", {"publisher": "P", "title": title})


def ids_in(path: Path) -> list[str]:
    doc = tomllib.loads(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    return [t["id"] for tables in doc.values() for t in tables]


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# ---- D1: --force replaces an earlier export, never a directory or a file that is not one -------


def test_force_never_deletes_a_directory_or_a_stranger(cli, tmp_path):
    (tmp_path / "x.db").mkdir()
    (tmp_path / "x.db" / "precious").write_text("mine")
    code, _, err = cli("export", "x.db", "--force")
    assert code == 74 and "did not export" in err
    assert (tmp_path / "x.db" / "precious").read_text() == "mine"

    (tmp_path / "notes.db").write_text("not an export")
    assert cli("export", "notes.db", "--force")[0] == 74
    assert (tmp_path / "notes.db").read_text() == "not an export"

    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    assert cli("export", "other.db", "--force")[0] == 74

    (tmp_path / "out.parquet").mkdir()
    (tmp_path / "out.parquet" / "facts.parquet").write_text("x")
    (tmp_path / "out.parquet" / "my-notes.txt").write_text("mine")
    assert cli("export", "out.parquet", "--force")[0] == 74
    assert (tmp_path / "out.parquet" / "my-notes.txt").exists()


def test_force_replaces_earlier_exports_of_each_format(cli, tmp_path):
    pytest.importorskip("duckdb")
    for name in ("a.db", "a.duckdb", "a.parquet"):
        assert cli("export", name)[0] == 0
        assert cli("export", name, "--force")[0] == 0, name
    assert sorted(p.name for p in (tmp_path / "a.parquet").iterdir())[0].endswith(".parquet")
    assert leftovers(tmp_path) == []


# ---- D2, O1: a full disk exits 74 and keeps the old export ----------------------------------------
# RLIMIT_FSIZE makes every write past the limit fail with EFBIG, as a full disk fails with ENOSPC.
# Before: DuckDB exit 70 (or 0 with an empty database), SQLite exit 70 "internal error".


@pytest.mark.parametrize(("name", "limit"), [("full.db", 16 << 10), ("full.duckdb", 16 << 10), ("full.parquet", 1024)])
def test_a_full_disk_exits_74_and_keeps_the_old_export(tmp_path, facts_dir, name, limit):
    if name.endswith((".duckdb", ".parquet")):
        pytest.importorskip("duckdb")
    args = ("export", name, "--no-bundled", "--facts", str(facts_dir), "--no-cache")
    assert run(tmp_path, *args).returncode == 0
    target = tmp_path / name
    before = sorted((p.name, p.read_bytes()) for p in target.rglob("*")) if target.is_dir() else target.read_bytes()
    r = run(tmp_path, *args, "--force", limit=limit)
    assert r.returncode == 74, r.stderr
    assert "Traceback" not in r.stderr and "nothing was changed" in r.stderr
    after = sorted((p.name, p.read_bytes()) for p in target.rglob("*")) if target.is_dir() else target.read_bytes()
    assert after == before
    assert leftovers(tmp_path) == []


# ---- D3, issue 37: an append is all or nothing, killed at any write, hard links included -------


ORIGINAL = "".join(template("source", f"old-{i}", {"publisher": "P", "title": f"Tiêu đề {i}"}) + "\n"
                   for i in range(40))
ADDITION = ("\n" + template("indicator", "new-1", {"name": "Xuất khẩu", "region": "Hà Nội", "period": "2024",
                                                     "value": 1.5, "unit": "USD", "sources": ["old-1"]})
            + "\n" + template("source", "new-2", {"publisher": "Tổng cục Thống kê " * 300, "title": "Dài"}))
OLD_IDS = [f"old-{i}" for i in range(40)]
# Every call through which an append touches the disk: the append is killed (SIGKILL) just before the
# n-th of them, for n = 1, 2, ... until a run gets to the end.
KILLABLE = ("open", "write", "pwrite", "fsync", "ftruncate", "chmod", "replace", "rename", "unlink")


def append_killed_at(target: Path, addition: str, kill_at: int) -> int:
    script = textwrap.dedent(f"""
        import builtins, os, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from vnecon.authoring.append import append_fact
        import vnecon.load.tomlread, vnecon.load.positions  # imported before counting starts
        n = [0]
        def counted(f):
            def call(*a, **k):
                n[0] += 1
                if n[0] == {kill_at}:
                    os.kill(os.getpid(), signal.SIGKILL)
                return f(*a, **k)
            return call
        for name in {KILLABLE!r}:
            setattr(os, name, counted(getattr(os, name)))
        builtins.open = counted(builtins.open)
        try:
            append_fact(Path({str(target)!r}), {addition!r})
        except Exception as e:
            sys.stderr.write(type(e).__name__ + ": " + str(e))
            sys.exit(3)
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 3, -signal.SIGKILL), r.stderr
    return r.returncode


@pytest.mark.parametrize("linked", [False, True])
def test_an_append_killed_at_any_write_is_all_or_nothing(tmp_path, linked):
    # Before (issue 37): a hard-linked file was appended in place, a table at a time, so a kill
    # left some tables of the addition and not the others (947 of 3,000 facts, one without an id),
    # and the next import was refused.  Now every append is one rename of a whole new file, and a
    # file with other hard links is refused: the target holds the old facts or all the new ones.
    target = tmp_path / "a.toml"
    old = sorted(OLD_IDS)
    for kill_at in range(1, 80):
        target.write_text(ORIGINAL, encoding="utf-8")
        if linked:
            (tmp_path / "b.toml").unlink(missing_ok=True)
            os.link(target, tmp_path / "b.toml")
        code = append_killed_at(target, ADDITION, kill_at)
        ids = sorted(ids_in(target))
        assert ids in (old, sorted([*old, "new-1", "new-2"])), (kill_at, ids)
        if linked:
            assert ids == old and os.stat(target).st_ino == os.stat(tmp_path / "b.toml").st_ino
            assert code in (3, -signal.SIGKILL)
        else:
            # the next append finishes the job and leaves nothing behind
            append_fact(target, "\n" + source("next"))
            assert "s-next" in ids_in(target) and leftovers(tmp_path) == []
        if code != -signal.SIGKILL:
            break
    else:
        pytest.fail("the append never ran to its end")
    assert code == (3 if linked else 0)
    assert kill_at > (1 if linked else 5)  # the kills did land inside the append


def test_an_append_through_a_hard_link_is_refused_saying_how(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(ORIGINAL, encoding="utf-8")
    os.link(a, b)
    csv = tmp_path / "t.csv"
    csv.write_text("name,region,unit,basis,2022,2023\nGDP,Vietnam,%,yoy,8,5\n", encoding="utf-8")
    r = run(tmp_path, "import", str(csv), "--new-source", "--set-source", "publisher=GSO", "--set-source",
            "title=T", "--append", str(b))
    assert r.returncode == 74, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert "2 hard links" in line and "nothing was changed" in line and "cp " in line
    assert a.read_text(encoding="utf-8") == ORIGINAL and os.stat(a).st_ino == os.stat(b).st_ino
    with pytest.raises(WriteRefused, match="hard links"):
        append_fact(a, ADDITION)
    assert a.read_text(encoding="utf-8") == ORIGINAL


# ---- D4: the lock follows the file, not the name ------------------------------------------------


def test_two_names_of_one_file_share_its_lock(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text("")
    os.link(a, tmp_path / "b.toml")
    with FileLock(a), pytest.raises(LockBusy):  # before: .a.toml.lock and .b.toml.lock, two locks
        with FileLock(tmp_path / "b.toml", timeout=0):
            pass
    with FileLock(tmp_path / "b.toml", timeout=0):
        pass


def test_parallel_appends_through_two_hard_links_are_all_refused(tmp_path):
    # Before issue 37 these all landed, appended in place; now an append through a hard link is
    # refused (it could not be all or nothing), by every process, and the file is left as it was.
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(ORIGINAL, encoding="utf-8")
    os.link(a, b)
    n = 4
    procs = [subprocess.Popen([sys.executable, "-m", "vnecon", "new", "source", "--id", f"s-{i}", "--set",
                               "publisher=P", "--set", f"title=T{i}", "--append", str(a if i % 2 else b)],
                              env=env_for(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for i in range(n)]
    codes = [p.wait(timeout=300) for p in procs]
    for p in procs:
        p.stderr.close()
    assert codes == [74] * n
    assert a.read_text(encoding="utf-8") == ORIGINAL and os.stat(a).st_ino == os.stat(b).st_ino


# ---- D5: only regular files are written ----------------------------------------------------------


def test_export_and_import_out_refuse_fifos_devices_and_follow_symlinks(cli, tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    assert cli("export", str(fifo), "--force")[0] == 74
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    null = tmp_path / "null.db"
    null.symlink_to(os.devnull)  # before: the link was replaced; as root, /dev/null itself could be
    code, _, err = cli("export", str(null), "--force")
    assert code == 74 and "a device" in err
    assert null.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)

    assert cli("export", "real.db")[0] == 0
    link = tmp_path / "link.db"
    link.symlink_to("real.db")
    assert cli("export", str(link), "--force")[0] == 0
    assert link.is_symlink() and sqlite3.connect(tmp_path / "real.db").execute("SELECT 1 FROM facts").fetchone()

    (tmp_path / "t.csv").write_text("name,region,period,value,unit\nX,Vietnam,2024,1,USD\n")
    base = ("import", "t.csv", "--new-source", "--set-source", "publisher=P", "--set-source", "title=T",
            "--set", "basis=level")
    fifo2 = tmp_path / "out.toml"
    os.mkfifo(fifo2)
    assert cli(*base, "--out", str(fifo2), "--force")[0] == 74
    assert stat.S_ISFIFO(os.lstat(fifo2).st_mode)
    (tmp_path / "kept.toml").write_text("")
    (tmp_path / "via.toml").symlink_to("kept.toml")
    assert cli(*base, "--out", "via.toml", "--force")[0] == 0
    assert (tmp_path / "via.toml").is_symlink() and "[[indicator]]" in (tmp_path / "kept.toml").read_text()


# ---- D6: the id check runs under the same lock as the write -------------------------------------


def test_the_id_check_is_made_under_the_lock(tmp_path):
    target = tmp_path / "user.toml"
    append_fact(target, source(1))
    with pytest.raises(IdsTaken):  # what a second, parallel import of the same table now meets
        append_fact(target, source(1, "other"))
    assert ids_in(target) == ["s-1"]


def test_parallel_imports_of_one_table_add_each_id_once(tmp_path):
    # Before: every one of 20 parallel imports appended (20 copies of every id); with these 6,
    # all 6 appended (18 ids for 3) in the run tried: the check ran long before the lock.
    (tmp_path / "same.csv").write_text("name,region,period,value,unit,basis\nX,Vietnam,2024,1,USD,level\n"
                                       "Y,Vietnam,2024,2,USD,level\n")
    n = 6
    args = [sys.executable, "-m", "vnecon", "import", "same.csv", "--user", "--new-source", "--set-source",
            "publisher=P", "--set-source", "title=T", "--no-bundled"]
    procs = [subprocess.Popen(args, env=env_for(tmp_path), cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(n)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert sorted(code for code, _ in results) == [0] + [1] * (n - 1), results
    assert all("Traceback" not in err for _, err in results)
    written = tmp_path / "xdg_data_home" / "vnecon" / "facts" / "imported.toml"
    ids = ids_in(written)
    assert len(ids) == len(set(ids)) == 3


# ---- D7: replace means the new value is served ---------------------------------------------------


def test_import_replace_serves_the_corrected_value(tmp_path, capsys):
    from conftest import run_main

    args = ["--new-source", "--set-source", "publisher=P", "--set-source", "title=T", "--no-bundled"]
    (tmp_path / "t.csv").write_text("name,region,period,value,unit,basis\nExports,Vietnam,2024,1,USD,level\n")
    assert run_main(["import", "t.csv", "--user", *args], capsys)[0] == 0
    (tmp_path / "t.csv").write_text("name,region,period,value,unit,basis\nExports,Vietnam,2024,2,USD,level\n")
    code, _, err = run_main(["import", "t.csv", "--user", *args], capsys)
    assert code == 1 and "--replace" in err
    code, _, err = run_main(["import", "t.csv", "--user", "--replace", *args], capsys)
    assert code == 0, err
    code, out, _ = run_main(["show", "exports-vietnam-2024", "--no-bundled", "--format", "json"], capsys)
    assert code == 0 and '"value": 2' in out and '"value": 1,' not in out
    written = tmp_path / "xdg_data_home" / "vnecon" / "facts" / "imported.toml"
    assert ids_in(written).count("exports-vietnam-2024") == 1
    assert run_main(["check", "--no-bundled"], capsys)[0] == 0


def test_new_user_with_the_same_id_twice_is_refused(tmp_path, capsys):
    from conftest import run_main

    argv = ["new", "source", "--id", "s-1", "--set", "publisher=P", "--set", "title=T", "--user"]
    assert run_main(argv, capsys)[0] == 0
    code, _, err = run_main([*argv[:-2], "title=Changed", "--user"], capsys)
    assert code == 1 and "already" in err
    written = tmp_path / "xdg_data_home" / "vnecon" / "facts" / "sources.toml"
    assert ids_in(written) == ["s-1"] and "Changed" not in written.read_text()


# ---- O3, O4, O5: usage errors exit 2, broken targets 1, never 70 --------------------------------


def test_a_file_with_a_bom_can_be_appended_to(tmp_path):
    target = tmp_path / "bom.toml"
    target.write_bytes(b"\xef\xbb\xbf" + source(1).encode())
    append_fact(target, source(2))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") and ids_in(target) == ["s-1", "s-2"]


def test_import_into_broken_toml_and_bad_options_are_clean_errors(cli, tmp_path):
    (tmp_path / "t.csv").write_text("name,region,period,value,unit\nX,Vietnam,2024,1,USD\n")
    base = ("import", "t.csv", "--new-source", "--set-source", "publisher=P", "--set-source", "title=T",
            "--set", "basis=level")
    (tmp_path / "broken.toml").write_text("[[source]\nid = ")
    code, _, err = cli(*base, "--append", "broken.toml")
    assert code == 1 and "would not be valid TOML" in err
    assert (tmp_path / "broken.toml").read_text() == "[[source]\nid = "
    assert cli(*base, "--delimiter", "ab")[0] == 2
    assert cli(*base, "--delimiter", "")[0] == 2
    (tmp_path / "map.toml").write_text("map = 5\n")
    assert cli(*base, "--map-file", "map.toml")[0] == 2
    assert cli("export", ".")[0] == 2
    assert cli("export", ".", "--format", "sqlite")[0] == 2


def test_import_of_an_endless_file_stops_at_the_size_cap(tmp_path):
    r = run(tmp_path, "import", "/dev/zero", "--new-source", VNECON_MAX_FILE_MB="1")
    assert r.returncode == 2 and "over the limit" in r.stderr


# ---- O7: temporaries a killed export left are cleaned; parallel --force exports all succeed -----


def test_stale_export_temporaries_are_removed(cli, tmp_path):
    assert cli("export", "out.db")[0] == 0
    (tmp_path / ".out.db.tmp-4242").write_bytes(b"x" * 1000)  # named as earlier versions named them
    (tmp_path / ".out.db.4242-abcd.tmp").write_bytes(b"x")
    (tmp_path / ".out.db.4242-abcd.tmp.wal").write_bytes(b"x")
    (tmp_path / ".unrelated").write_text("kept")
    assert cli("export", "out.db", "--force")[0] == 0
    assert leftovers(tmp_path) == [".unrelated"]


def test_a_parquet_export_killed_between_its_renames_is_put_back(cli, tmp_path):
    pytest.importorskip("pyarrow")
    assert cli("export", "p.parquet")[0] == 0
    os.rename(tmp_path / "p.parquet", tmp_path / ".p.parquet.4242-abcd.old")
    assert cli("export", "p.parquet")[0] == 2  # the old export is back, so this needs --force
    assert (tmp_path / "p.parquet" / "facts.parquet").exists() and leftovers(tmp_path) == []


def test_parallel_forced_parquet_exports_all_succeed(tmp_path, facts_dir):
    pytest.importorskip("pyarrow")
    # Before: one of 20 failed "Directory not empty" and left .old-PID behind.
    args = [sys.executable, "-m", "vnecon", "export", "p.parquet", "--force", "--no-bundled", "--facts",
            str(facts_dir), "--no-cache"]
    n = 6
    procs = [subprocess.Popen(args, env=env_for(tmp_path), cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(n)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [code for code, _ in results] == [0] * n, results
    assert (tmp_path / "p.parquet" / "facts.parquet").exists() and leftovers(tmp_path) == []


def test_writes_refuse_what_is_not_a_regular_file_before_opening_it(tmp_path):
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused):
        append_fact(fifo, source(1))


# ---- O8: a table into a closed pipe exits as it would have ---------------------------------------


@pytest.mark.parametrize("command", ["series", "search"])
def test_a_table_into_a_closed_pipe_exits_0_quietly(tmp_path, command):
    # Before: `vnecon series ... --format table | head -1` exited 1 (Rich's broken-pipe handler).
    # The reading end is closed before vnecon writes, so the pipe is broken every time.
    from demo_series import write_demo

    write_demo(tmp_path / "demo")
    read, write = os.pipe()
    os.close(read)
    proc = subprocess.run([sys.executable, "-m", "vnecon", command, "exports", "--format", "table", "--no-bundled",
                           "--facts", str(tmp_path / "demo")], stdout=write, stderr=subprocess.PIPE, text=True,
                          env=env_for(tmp_path), cwd=tmp_path, timeout=120)
    os.close(write)
    assert (proc.returncode, proc.stderr) == (0, "")


# ---- O2: period 0000 is an error in check, so no export meets it --------------------------------


def test_year_0000_is_an_error_not_a_crash_in_export(cli, tmp_path, facts_dir):
    pytest.importorskip("pyarrow")
    (facts_dir / "zero.toml").write_text('[[indicator]]\nid = "zero"\nname = "Z"\nregion = "Vietnam"\n'
                                         'period = "0000"\nvalue = 1\nunit = "USD"\nbasis = "level"\n'
                                         'sources = ["src-briefing"]\n')
    code, out, err = cli("check")
    assert code == 1 and "year 0000" in out + err
    code, _, err = cli("export", "z.parquet")  # before: exit 70, ValueError: year 0 is out of range
    assert code == 0 and "Traceback" not in err and "internal error" not in err
