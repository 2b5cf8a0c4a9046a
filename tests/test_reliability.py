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


def test_append_to_a_hard_link_keeps_the_links_one_file(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text('[[source]]\nid = "s-0"\npublisher = "P"\ntitle = "T"\n')
    b = tmp_path / "b.toml"
    os.link(a, b)
    append_fact(b, template("source", "s-1", {"publisher": "P", "title": "T"}))
    assert os.stat(a).st_ino == os.stat(b).st_ino
    assert "s-1" in a.read_text()


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
