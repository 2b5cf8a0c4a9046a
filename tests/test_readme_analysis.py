"""README's "Analysing the data" commands run as shown, on the bundled facts.

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

README = Path(__file__).resolve().parent.parent / "README.md"


def commands() -> list[tuple[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Analysing the data", 1)[1].split("\n## ", 1)[0]
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return found


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
