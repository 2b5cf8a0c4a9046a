"""Issue 15: nothing lost, the truth or a clear error, under concurrency, closed streams and hostile input.

Each test reproduces one failure seen in an adversarial run, in tmp_path.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from vnecon.authoring.newfact import append_fact, template, toml_value
from vnecon.core.errors import WriteRefused
from vnecon.load.tomlread import tomllib


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VNECON_"))}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    return env


def vnecon(tmp_path: Path, *args: str, shell_tail: str = "") -> subprocess.CompletedProcess:
    """Run the real command line in a fresh process; shell_tail adds redirections such as '>&-'."""
    cmd = " ".join(_quote(a) for a in (sys.executable, "-m", "vnecon", *args)) + " " + shell_tail
    return subprocess.run(["/bin/sh", "-c", cmd], env=env_for(tmp_path), capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


# ---- 1. concurrent appends serialise -----------------------------------------------------------


def test_parallel_appends_all_land(tmp_path):
    target = tmp_path / "mine.toml"
    n = 12
    procs = [subprocess.Popen([sys.executable, "-m", "vnecon", "new", "source", "--id", f"s-{i}",
                               "--set", "publisher=P", "--set", f"title=T{i}", "--append", str(target)],
                              env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(n)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    said_appended = [i for i, (code, err) in enumerate(results) if code == 0 and "appended" in err]
    ids = {t["id"] for t in tomllib.loads(target.read_text())["source"]}
    assert len(said_appended) == n
    assert ids == {f"s-{i}" for i in range(n)}
    assert not list(tmp_path.glob(".mine.toml.*")), "no lock or temporary file is left behind"


def test_a_killed_appends_temporary_is_cleaned_up_by_the_next(tmp_path):
    target = tmp_path / "mine.toml"
    stale = tmp_path / ".mine.toml.abc123.tmp"
    stale.write_text("half a fact")
    append_fact(target, template("source", "s-1", {"publisher": "P", "title": "T"}))
    assert not stale.exists()
    assert "s-1" in target.read_text()


# ---- 2 and 3. closed or full streams change what is printed, never what is done ----------------


def test_closed_stdout_keeps_exit_codes_and_actions(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.toml").write_text("[[indicator]]\nid = \n")
    assert vnecon(tmp_path, "check", str(bad), shell_tail=">&-").returncode == 1
    assert vnecon(tmp_path, "indicators", "--since", "bad", shell_tail=">&-").returncode == 2
    target = tmp_path / "mine.toml"
    r = vnecon(tmp_path, "new", "source", "--id", "s-1", "--set", "publisher=P", "--set", "title=T",
               "--append", str(target), shell_tail=">&-")
    assert r.returncode == 0 and "s-1" in target.read_text()


@pytest.mark.parametrize("tail", ["2>&-", "2>/dev/full"])
def test_a_notice_that_cannot_be_written_never_loses_the_answer(tmp_path, tail):
    if tail.endswith("full") and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    cmd = " ".join(_quote(a) for a in (sys.executable, "-m", "vnecon", "search", "semicondutor",
                                        "--format", "csv")) + " " + tail
    r = subprocess.run(["/bin/sh", "-c", cmd], env=env_for(tmp_path), stdout=subprocess.PIPE, text=True,
                       timeout=120, cwd=tmp_path)
    assert r.returncode == 0
    assert "semiconductor" in r.stdout.lower() and r.stdout.count("\n") > 1


# ---- 4. only regular files are appended to -------------------------------------------------------


def test_append_refuses_a_fifo_without_hanging(tmp_path):
    fifo = tmp_path / "f.toml"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match="FIFO"):
        append_fact(fifo, template("source", "s-1", {"publisher": "P", "title": "T"}))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_append_refuses_a_device_and_leaves_it_alone(tmp_path):
    link = tmp_path / "null.toml"
    link.symlink_to("/dev/null")
    r = vnecon(tmp_path, "new", "source", "--id", "s-1", "--set", "publisher=P", "--set", "title=T",
               "--append", str(link))
    assert r.returncode == 74 and "not a regular file" in r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_append_to_a_hard_link_is_refused_and_keeps_the_links_one_file(tmp_path):
    # Issue 37: an append in place could be cut by a crash, and a rename would split the links.
    a = tmp_path / "a.toml"
    a.write_text('[[source]]\nid = "s-0"\npublisher = "P"\ntitle = "T"\n')
    b = tmp_path / "b.toml"
    os.link(a, b)
    with pytest.raises(WriteRefused, match="2 hard links.*nothing was changed"):
        append_fact(b, template("source", "s-1", {"publisher": "P", "title": "T"}))
    assert os.stat(a).st_ino == os.stat(b).st_ino
    assert "s-1" not in a.read_text()


# ---- 5. --set cannot inject tables or keys ---------------------------------------------------------


def test_crafted_set_values_stay_values(tmp_path):
    evil = 'x"\n\n[[source]]\nid = "forged'
    text = template("source", "s-1", {"publisher": evil, "title": "T"})
    doc = tomllib.loads(text)
    assert [t["id"] for t in doc["source"]] == ["s-1"]
    assert doc["source"][0]["publisher"] == evil


def test_crafted_keys_inside_tables_are_quoted():
    value = [{'amount = 5\n[[source]]\nid = "forged" #': 1}]
    doc = tomllib.loads("x = " + toml_value(value))
    assert list(doc["x"][0]) == ['amount = 5\n[[source]]\nid = "forged" #']


def test_crafted_set_on_the_command_line_writes_no_new_table(tmp_path):
    target = tmp_path / "mine.toml"
    r = vnecon(tmp_path, "new", "project", "--id", "p-1", "--set", "name=N", "--set", "sources=[\"s\"]",
               "--set", 'investments=[{"amount = 5\\n[[source]]\\nid = \\"forged\\" #": 1}]',
               "--append", str(target))
    if target.exists():
        doc = tomllib.loads(target.read_text())
        assert "source" not in doc
    else:
        assert r.returncode != 0 and "nothing" in r.stderr


# ---- 6-9. the cache never gives a stale or wrong answer ------------------------------------------

from vnecon.search.query import search  # noqa: E402
from vnecon.search.refresh import open_index  # noqa: E402


def indicator(fid: str, name: str, value: float = 1, period: str = "2024") -> str:
    return (f'[[indicator]]\nid = "{fid}"\nname = "{name}"\nperiod = "{period}"\nvalue = {value}\n'
            f'unit = "count"\nbasis = "level"\nsources = ["s"]\n\n')


SOURCE = '[[source]]\nid = "s"\npublisher = "VNA"\ntitle = "T"\ndate = "2024-01-01"\n\n'


def answers(layers, query: str, use_cache: bool, limit: int | None = 20) -> list[tuple[str, object]]:
    facts, _ = search(open_index(layers, use_cache=use_cache), query, None, limit)
    return [(f.id, f.get("value")) for f in facts]


def test_an_edit_with_size_and_mtime_set_back_is_seen(tmp_path):
    d = tmp_path / "f"
    d.mkdir()
    f = d / "a.toml"
    f.write_text(SOURCE + indicator("x1", "Widget output", 1.5))
    layers = [("cli", [d])]
    assert answers(layers, "widget", True) == [("x1", 1.5)]
    st = f.stat()
    f.write_text(SOURCE + indicator("x1", "Widget output", 2.5))  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime (touch -d)
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    assert answers(layers, "widget", True) == [("x1", 2.5)]


def test_a_fixed_typo_leaves_the_cached_vocabulary(tmp_path):
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    f = d / "a.toml"
    f.write_text(indicator("x1", "Semicondutor exports") + indicator("x2", "Semiconductor output"))
    layers = [("cli", [d])]
    answers(layers, "semicondutor", True)
    f.write_text(indicator("x1", "Semiconductor exports") + indicator("x2", "Semiconductor output"))
    assert answers(layers, "semicondutor", True) == answers(layers, "semicondutor", False)
    assert {i for i, _ in answers(layers, "semicondutor", True)} == {"x1", "x2"}


def test_ties_do_not_depend_on_edit_history(tmp_path):
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    for i in range(6):
        (d / f"f{i}.toml").write_text("".join(indicator(f"t{i}-{j}", "Same thing") for j in range(5)))
    layers = [("cli", [d])]
    before = answers(layers, "same thing", True, limit=7)
    with open(d / "f0.toml", "a") as fh:
        fh.write("# a comment\n")
    assert answers(layers, "same thing", True, limit=7) == before
    assert [i for i, _ in before] == sorted(i for i, _ in before)


def test_cache_equals_no_cache_after_random_edits_across_layers(tmp_path):
    import random

    rng = random.Random(1515)
    dirs = [tmp_path / f"layer{i}" for i in range(4)]
    for d in dirs:
        d.mkdir()
        (d / "s.toml").write_text(SOURCE)
    layers = [(f"l{i}", [d]) for i, d in enumerate(dirs)]
    names = ["Widget output", "Widgit exports", "Gadget output", "Semicondutor sales", "Semiconductor sales"]
    queries = ["widget", "widgit", "gadget output", "semicondutor", "sales 2024", "exports"]
    for step in range(25):
        d = rng.choice(dirs)
        files = sorted(p for p in d.glob("f*.toml"))
        action = rng.choice(["add", "change", "delete", "move"] if files else ["add"])
        if action == "add":
            fid = f"x{rng.randrange(8)}"  # ids repeat across layers: later layers win
            (d / f"f{step}.toml").write_text(indicator(fid, rng.choice(names), step, rng.choice(["2023", "2024"])))
        elif action == "change":
            p = rng.choice(files)
            p.write_text(p.read_text().replace(p.read_text().split('name = "')[1].split('"')[0],
                                               rng.choice(names)))
        elif action == "delete":
            rng.choice(files).unlink()
        else:
            p = rng.choice(files)
            p.rename(rng.choice(dirs) / f"m{step}.toml")
        for q in queries:
            assert answers(layers, q, True) == answers(layers, q, False), (step, action, q)


def test_damage_inside_the_cache_is_rebuilt_once_with_a_warning(tmp_path):
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    (d / "a.toml").write_text("".join(indicator(f"x{i}", f"Widget line {i}") for i in range(300)))
    args = ("search", "widget", "--format", "csv", "--limit", "0", "--no-bundled", "--facts", str(d))
    first = vnecon(tmp_path, *args)
    assert first.returncode == 0
    cache = next((tmp_path / "xdg_cache_home").rglob("index-*.sqlite"))
    data = bytearray(cache.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data) - page, page * 3):  # scribble over every third page
        data[offset + 16: offset + 400] = os.urandom(384)
    cache.write_bytes(bytes(data))
    second = vnecon(tmp_path, *args)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert second.stderr.count("damaged") <= 1
    third = vnecon(tmp_path, *args)
    assert third.returncode == 0 and third.stdout == first.stdout and "damaged" not in third.stderr


def test_a_read_only_cache_is_neither_called_damaged_nor_deleted(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files anyway")
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    (d / "a.toml").write_text(indicator("x1", "Widget output"))
    args = ("search", "widget", "--format", "csv", "--no-bundled", "--facts", str(d))
    assert vnecon(tmp_path, *args).returncode == 0
    cache = next((tmp_path / "xdg_cache_home").rglob("index-*.sqlite"))
    (d / "a.toml").write_text(indicator("x1", "Widget output", 7))
    cache.chmod(0o444)
    cache.parent.chmod(0o555)
    try:
        r = vnecon(tmp_path, *args)
    finally:
        cache.parent.chmod(0o755)
    assert r.returncode == 0 and ",7," in r.stdout
    assert "damaged" not in r.stderr and cache.exists()


# ---- 10, 13-15. hostile and odd files -------------------------------------------------------------


def small_tree(tmp_path: Path) -> Path:
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    (d / "a.toml").write_text(indicator("x1", "Widget output"))
    return d


def test_a_file_made_unreadable_after_caching_is_reported(tmp_path, cli, monkeypatch):
    d = small_tree(tmp_path)
    args = ("indicators", "--no-bundled", "--facts", str(d), "--format", "csv")
    assert cli(*args)[0] == 0
    blocked = str(d / "a.toml")
    real_open = os.open

    def fake_open(path, *a, **k):
        if str(path).endswith(blocked) or str(path) == "f/a.toml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    os.chmod(blocked, 0o600)  # what chmod changes (the ctime) is seen, as the permission itself is not testable as root
    monkeypatch.setattr(os, "open", fake_open)
    code, out, err = cli(*args)
    assert "x1" not in out and "Permission denied" in err
    code, _, err = cli("check", str(d))
    assert code == 1 and "cannot read: Permission denied" in err


def test_special_files_are_skipped_not_read(tmp_path, cli):
    d = small_tree(tmp_path)
    os.mkfifo(d / "fifo.toml")
    (d / "zero.toml").symlink_to("/dev/zero")
    code, out, err = cli("indicators", "--no-bundled", "--facts", str(d), "--format", "csv")
    assert code == 0 and "x1" in out
    code, _, err = cli("check", str(d))
    assert err.count("not a regular file") == 2


def test_a_file_over_the_size_limit_is_a_diagnostic(tmp_path, cli, monkeypatch):
    d = small_tree(tmp_path)
    (d / "big.toml").write_text("# padding\n" * 20000)
    monkeypatch.setenv("VNECON_MAX_FILE_MB", "0.1")
    code, _, err = cli("check", str(d))
    assert code == 1 and "over the limit" in err and "VNECON_MAX_FILE_MB" in err


def test_a_non_utf8_file_name_is_named_and_skipped(tmp_path, cli):
    d = small_tree(tmp_path)
    bad = os.path.join(os.fsencode(d), b"caf\xe9.toml")
    with open(bad, "wb") as fh:
        fh.write(indicator("x2", "Other output").encode())
    code, out, err = cli("indicators", "--no-bundled", "--facts", str(d), "--format", "csv")
    assert code == 0 and "x1" in out and "x2" not in out
    assert "caf\\xe9.toml" in err and "not UTF-8" in err
    code, out, err = cli("paths", "--no-bundled", "--facts", str(d), "--format", "json")
    assert code == 0


def test_symlinked_subdirectories_are_read_once(tmp_path, cli):
    d = small_tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.toml").write_text(indicator("x3", "Linked output"))
    (d / "linked").symlink_to(elsewhere)
    (elsewhere / "loop").symlink_to(d)  # a loop back: read once, no hang
    code, out, _ = cli("indicators", "--no-bundled", "--facts", str(d), "--format", "csv")
    assert code == 0 and "x3" in out and out.count("x1,") == 1
    code, _, err = cli("check", str(d))
    assert code == 0 and "3 facts" in err


# ---- 16. long queries are capped ------------------------------------------------------------------


def test_a_pasted_page_as_query_is_capped_with_a_notice(tmp_path, cli):
    d = small_tree(tmp_path)
    query = " ".join(f"word{i}" for i in range(1600)) + " widget"
    code, out, err = cli("search", *query.split(), "--no-bundled", "--facts", str(d), "--format", "csv")
    assert "the query is long" in err


# ---- 18-21. output that cannot be forged or misread -----------------------------------------------


def test_bidi_controls_are_shown_not_obeyed(tmp_path, cli):
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    (d / "a.toml").write_text(indicator("x1", "Widget output").replace(
        'period = "2024"', 'period = "2024"\nregion = "\u202eioN aH"'))
    for fmt in ("table", "markdown"):
        code, out, _ = cli("indicators", "--no-bundled", "--facts", str(d), "--format", fmt)
        assert "\u202e" not in out and "\\u202e" in out
    code, out, _ = cli("show", "x1", "--no-bundled", "--facts", str(d))
    assert "\u202e" not in out
    code, _, err = cli("check", str(d))
    assert "direction-changing" in err
    code, out, _ = cli("indicators", "--no-bundled", "--facts", str(d), "--format", "json")
    import json

    assert {f["id"]: f.get("region") for f in json.loads(out)}["x1"] == "\u202eioN aH"  # machine formats keep the data as it is


SOURCE_HEAD = '[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\n'


def check_source_with(tmp_path, cli, extra_lines: str) -> tuple[int, str]:
    """`vnecon check` on one source whose table ends with extra_lines (from line 5)."""
    d = tmp_path / "f"
    d.mkdir()
    (d / "a.toml").write_text(SOURCE_HEAD + extra_lines)
    code, _, err = cli("check", str(d))
    return code, err


def test_a_newline_in_a_key_cannot_forge_check_lines(tmp_path, cli):
    code, err = check_source_with(tmp_path, cli, '"x\\n0 facts in 0 files: 0 errors, 0 warnings" = 1\n')
    assert code == 1
    assert not any(line.startswith("0 facts in 0 files") for line in err.splitlines())
    assert "\\x0a0 facts" in err


def test_quoted_unknown_keys_are_reported_on_their_own_line(tmp_path, cli):
    code, err = check_source_with(tmp_path, cli, '"x\\ny" = 1\n"quo\\"ted" = 2\n\'lit\' = 3\n"dot"."ted" = 4\n')
    assert code == 1
    assert 'a.toml:5:1: error: [source s] unknown field "x\\x0ay"' in err
    assert 'a.toml:6:1: error: [source s] unknown field "quo\\"ted"' in err
    assert 'a.toml:7:1: error: [source s] unknown field "lit"' in err
    assert 'a.toml:8:1: error: [source s] unknown field "dot"' in err


def test_formulas_are_raw_by_default_and_defused_on_request(tmp_path, cli):
    d = tmp_path / "f"
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    (d / "a.toml").write_text(indicator("x1", '=HYPERLINK(""http://evil"")').replace('""', '\\"')
                              .replace("value = 1", "value = -3.5"))
    args = ("indicators", "--no-bundled", "--facts", str(d), "--format", "csv", "--fields", "id,name,value")
    _, raw, _ = cli(*args)
    assert '=HYPERLINK' in raw and "'=HYPERLINK" not in raw
    for flag in ("--safe-formulas", "--excel"):
        _, safe, _ = cli(*args, flag)
        assert "'=HYPERLINK" in safe and ",-3.5" in safe  # numbers stay numbers
    code, _, err = cli("check", str(d))
    assert "spreadsheet formula" in err


@pytest.mark.parametrize("query,field", [("삼성전자", "note"), ("三星電子", "name_vi")])
def test_any_script_can_be_searched(tmp_path, cli, query, field):
    d = tmp_path / "f"
    d.mkdir()
    (d / "a.toml").write_text(SOURCE + '[[company]]\nid = "samsung"\nname = "Samsung Electronics"\n'
                              'type = "company"\ncountry = "South Korea"\nsources = ["s"]\n'
                              f'{field} = "{query}"\n')
    code, out, err = cli("search", query, "--no-bundled", "--facts", str(d), "--format", "csv")
    assert code == 0 and "samsung" in out, err


# ---- 11. workers die with their parent; SIGTERM is Ctrl-C ------------------------------------------


def _big_tree(d: Path) -> None:
    d.mkdir()
    (d / "s.toml").write_text(SOURCE)
    for f in range(8):  # > 2 MB of TOML: the parallel build
        (d / f"f{f}.toml").write_text("".join(
            f'[[indicator]]\nid = "x{f}-{i}"\nname = "Filler indicator {i}"\nperiod = "2024"\nvalue = {i}\n'
            f'unit = "count"\nbasis = "level"\nsources = ["s"]\nnote = "{"padding " * 20}"\n' for i in range(1500)))


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_workers_do_not_outlive_a_killed_parent(tmp_path, how):
    import signal
    import time

    _big_tree(tmp_path / "big")
    proc = subprocess.Popen([sys.executable, "-m", "vnecon", "search", "filler", "--no-bundled", "--facts",
                             str(tmp_path / "big")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_for(tmp_path))
    workers: list[int] = []
    deadline = time.monotonic() + 20
    while not workers and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if not workers:
        proc.communicate(timeout=60)
        pytest.skip("the build finished before workers could be seen")
    proc.send_signal(getattr(signal, how))
    _, err = proc.communicate(timeout=60)
    if how == "SIGTERM":
        assert b"Traceback" not in err and proc.returncode == 130
    deadline = time.monotonic() + 15
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [w for w in workers if Path(f"/proc/{w}").exists()
                 and "zombie" not in Path(f"/proc/{w}/status").read_text().lower()]
    assert alive == []


# ---- 12. one process builds, the others wait for it -------------------------------------------------


def test_a_second_process_waits_for_the_builder_instead_of_building_too(tmp_path):
    import fcntl
    import time

    d = small_tree(tmp_path)
    args = [sys.executable, "-m", "vnecon", "indicators", "--no-bundled", "--facts", str(d), "--format", "csv"]
    env = env_for(tmp_path)
    assert subprocess.run(args, env=env, capture_output=True, timeout=60).returncode == 0  # creates the cache
    cache = next((tmp_path / "xdg_cache_home").rglob("index-*.sqlite"))
    (d / "a.toml").write_text(indicator("x1", "Widget output", 9))  # something to rebuild
    with open(f"{cache}.lock", "a+b") as held:  # as if another vnecon were building
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        assert proc.poll() is None  # waiting, not building in memory
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "x1" in out and ",9," in out
    assert "waiting for it to finish" in err and "busy" not in err and "without it" not in err


# ---- smaller cases --------------------------------------------------------------------------------


def test_old_cache_files_are_pruned_and_clear_says_what_it_removed(tmp_path, cli):
    from vnecon.search.index import KEEP_CACHES, cache_dir

    dirs = []
    for i in range(KEEP_CACHES + 3):
        d = tmp_path / f"set{i}"
        d.mkdir()
        (d / "s.toml").write_text(SOURCE)
        dirs.append(d)
        cli("sources", "--no-bundled", "--facts", str(d), "--format", "csv", bundled=True)
    assert len(list(cache_dir().glob("index-*.sqlite"))) == KEEP_CACHES
    code, _, err = cli("cache", "clear")
    assert code == 0 and f"removed {KEEP_CACHES * 3} files" in err and "index-" in err
    assert not list(cache_dir().glob("index-*"))


def test_a_merger_into_itself_or_without_a_date_is_an_error(tmp_path, cli):
    d = tmp_path / "m"
    d.mkdir()
    (d / "a.toml").write_text('[[merger]]\nfrom = "Ha Nam"\ninto = "Hà Nam"\neffective = "2025-07-01"\n\n'
                              '[[merger]]\nfrom = "A"\ninto = "B"\neffective = "soon"\n')
    code, _, err = cli("check", str(d))
    assert code == 1 and "into itself" in err and "'soon' is not a date" in err


def test_help_into_a_closed_pipe_is_quiet_and_succeeds(tmp_path):
    cmd = " ".join(_quote(a) for a in (sys.executable, "-m", "vnecon", "indicators", "--help"))
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd} | head -c 0"], env=env_for(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == ""
