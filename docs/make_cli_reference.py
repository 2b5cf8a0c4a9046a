"""Write docs/cli-reference.md from the commands' own --help.

    python docs/make_cli_reference.py          # rewrite the file
    python docs/make_cli_reference.py --check  # exit 1 if it is out of date (the tests do this)

The help is rendered at 80 columns without colour, so the file is the same on
every machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "cli-reference.md"


def help_of(argv: list[str]) -> str:
    from vnecon.cli.entry import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        try:
            main([*argv, "--help"])
        except SystemExit:
            pass
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()).strip() + "\n"


def reference() -> str:
    os.environ.update(COLUMNS="80", NO_COLOR="1", TERM="dumb")
    os.environ.pop("FORCE_COLOR", None)
    from vnecon.cli.spec import COMMANDS

    names = [*COMMANDS, "cache"]  # COMMANDS: name -> spec, in --help order
    parts = ["# Command reference\n",
             "Generated from each command's `--help` by `python docs/make_cli_reference.py`; "
             "a test fails when it is out of date. Back to the [README](../README.md).\n",
             "## vnecon\n", "```text\n" + help_of([]) + "```\n"]
    for name in names:
        parts += [f"## vnecon {name}\n", "```text\n" + help_of([name]) + "```\n"]
    return "\n".join(parts)


def main() -> int:
    text = reference()
    if "--check" in sys.argv[1:]:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python docs/make_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
