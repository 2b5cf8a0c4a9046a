"""The Typer-free fast path must accept exactly what Typer accepts, and do the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vnecon.cli import fast
from vnecon.cli.app import app


def typer_options(command: str) -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    cmd = group.commands[command]
    return {o for p in cmd.params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)} - {"--help", "-h"}


@pytest.mark.parametrize("command", sorted(fast.SPECS))
def test_fast_spec_names_the_same_options_as_typer(command):
    assert set(fast.SPECS[command]) == typer_options(command)


@pytest.mark.parametrize("argv", [
    ["search", "ha", "noi", "exports"],
    ["search", "pmi", "--format=json", "--limit", "2"],
    ["search", "semicondutor", "-f", "jsonl"],
    ["search", "nothing-matches-this-zzz"],
    ["indicators", "--region", "hanoi", "--sort=-value", "--format", "tsv"],
    ["indicators", "--since", "never"],
    ["companies", "--type", "ministry", "--format", "markdown"],
    ["partnerships", "--party", "US", "--format", "json"],
    ["show", "neweb-plant"],
    ["show", "no-such-id"],
    ["series", "export", "--region", "hanoi", "--region", "vietnam", "--format", "json"],
    ["series", "iip", "--wide", "--limit", "1", "--format", "csv"],
    ["series", "pmi", "--chart", "--no-color"],
    ["cite", "vn-pmi-2024-07", "hn-exports-2024-h1", "--format", "markdown"],
    ["cite", "no-such-id"],
])
def test_fast_path_and_typer_agree(cli, monkeypatch, argv):
    assert fast.parse(argv + ["--no-bundled"]) is not None
    fast_result = cli(*argv)
    monkeypatch.setenv("VNECON_NO_FAST", "1")
    assert cli(*argv) == fast_result


@pytest.mark.parametrize("argv", [
    ["search"], ["search", "x", "--help"], ["search", "x", "--limit", "-1"], ["search", "x", "--bogus"],
    ["show"], ["show", "a", "b"], ["indicators", "stray"], ["search", "x", "--", "y"], ["check"],
    ["search", "x", "--limit"], ["search", "x", "--no-cache=1"], ["indicators", "-s=-value"],
])
def test_fast_path_leaves_anything_unusual_to_typer(argv):
    assert fast.parse(argv) is None


def test_query_path_does_not_import_typer_rich_or_tomllib(facts_dir, tmp_path):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['vnecon', 'search', 'pmi', '--format', 'csv', '--no-bundled', '--facts', {str(facts_dir)!r}]\n"
        "try:\n    runpy.run_module('vnecon', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('typer', 'rich', 'rapidfuzz', 'tomllib', 'dataclasses', 'signal', 'csv') "
        "if m in sys.modules)\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}  # this checkout's vnecon, not an installed one
    # First run builds the cache (parsing needs tomllib); the second is the everyday case.
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stderr.strip().endswith("[]")
