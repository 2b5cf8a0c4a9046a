"""The README and the manual in docs/ say what vnecon does: the tour runs as shown,
the command reference is generated from --help and current, and the analysis
commands (docs/analysis.md) run as shown on the bundled facts.

A tool that is not installed (pandas, sqlite-utils, datasette...) skips its
command, unless VNECON_README_TOOLS=all (as in .ci/run, which installs them).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ANALYSIS = ROOT / "docs" / "analysis.md"


def console_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for every `$ ` line of the console blocks."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


def commands() -> list[tuple[str, list[str]]]:
    return console_blocks(ANALYSIS.read_text(encoding="utf-8"))


def missing_tool(command: str) -> str | None:
    tool = command.split()[0]
    if tool == "python":
        m = re.match(r'python -c "import ([\w, ]+)', command)
        mods = [x.split()[0] for x in m.group(1).split(",")] if m else []
        return next((x for x in mods if importlib.util.find_spec(x) is None), None)
    here = Path(sys.executable).parent
    return None if (here / tool).exists() or shutil.which(tool) else tool


def test_the_section_has_commands_for_every_engine():
    tools = " ".join(c for c, _ in commands())
    for name in ("vnecon export", "sqlite-utils", "pandas", "duckdb", "datasette"):
        assert name in tools


def test_readme_analysis_commands_run_as_shown(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "COLUMNS": "100",
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("VNECON_FACTS", None)
    skipped = []
    for command, expected in commands():
        tool = missing_tool(command)
        if tool:
            assert os.environ.get("VNECON_README_TOOLS") != "all", f"{tool} is not installed"
            skipped.append(tool)
            continue
        r = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, f"{command}\n{r.stderr}"
        shown = (r.stdout + r.stderr).splitlines()
        assert shown and expected, command
        # The headers and first rows are stable; counts may grow with the bundled facts.
        assert shown[0].split(":")[0] == expected[0].split(":")[0], command
    if skipped:
        pytest.skip(f"not installed: {', '.join(sorted(set(skipped)))}")


def test_readme_is_short_and_links_the_manual():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 8 * 1024
    for link in re.findall(r"\]\(((?:docs|bench)/[^)#]+)\)", text):
        assert (ROOT / link).is_file(), link


def test_cli_reference_is_current():
    """docs/cli-reference.md is --help of every command; a new option regenerates it."""
    r = subprocess.run([sys.executable, str(ROOT / "docs" / "make_cli_reference.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("command,expected", console_blocks(README.read_text(encoding="utf-8")))
def test_readme_tour_runs_as_shown(tmp_path, monkeypatch, capsys, command, expected):
    """Each command of the tour prints what README shows, on the bundled facts, at 80 columns
    (on a terminal, unless it pipes)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var))
    monkeypatch.delenv("VNECON_FACTS", raising=False)
    if "|" in command:
        bin_dir = str(Path(sys.executable).parent)
        r = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")})
        shown = r.stdout
    else:
        import shlex

        from vnecon.cli.entry import main

        monkeypatch.setattr("vnecon.cli.support.stdout_is_terminal", lambda: True)
        argv = shlex.split(command)
        assert argv[0] == "vnecon"
        try:
            main(argv[1:])
        except SystemExit:
            pass
        shown = capsys.readouterr().out
    while expected and not expected[-1].strip():
        expected = expected[:-1]  # the blank line before the next command
    assert [line.rstrip() for line in shown.splitlines()] == expected
