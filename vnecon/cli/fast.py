"""A fast path for the everyday query commands, without importing Typer.

Typer builds every command's parameters from type hints at start-up, which
costs more than the whole query on this machine (about 100 ms against 30 ms).
For the common, well-formed invocations of search, the listings, show and series, this
module parses argv itself from the table below and calls the same functions
in ``commands.py``.  Its table of options is built from ``spec.py``, as the
Typer app's parameters are.  Anything it does not fully understand (help,
completion, unknown options, bad numbers, '--') returns None and Typer takes
over, so errors and help always come from one place.
"""

from __future__ import annotations

from vnecon.cli.spec import FAST, flag_table

# command -> {option string -> (destination, arity)}, from the one option table (spec.py).
SPECS: dict[str, dict[str, tuple[str, str]]] = {command: flag_table(command) for command in FAST}


def bare_fields(argv: list[str]) -> list[str]:
    """'--fields' with no list (last, or before another option) becomes '--fields=': list the fields."""
    out = list(argv)
    for i, token in enumerate(out):
        if token == "--":
            break
        if token == "--fields" and (i + 1 == len(out) or out[i + 1].startswith("-") and out[i + 1] != "-"):
            out[i] = "--fields="
    return out


def optional_values(argv: list[str]) -> list[str]:
    """Options whose value may be left out, spelled whole for both parsers: bare '--fields' (see
    bare_fields), and series' '--chart', which takes a file only when the next word is a file name
    (chart.svg, chart.png; the chart command refuses other suffixes): '--chart' alone becomes '--chart=' (the terminal chart), so
    'vnecon series --chart pmi' still charts pmi."""
    out = bare_fields(argv)
    if not out or out[0] != "series" or "--chart" not in out:
        return out
    import re

    fixed: list[str] = []
    i = 0
    while i < len(out):
        token = out[i]
        if token == "--":
            fixed += out[i:]
            break
        if token == "--chart":
            following = out[i + 1] if i + 1 < len(out) else ""
            # A file name (pmi.svg; pmi.pdf too, to be refused by name rather than searched for)
            if re.search(r"\.[A-Za-z]{2,4}$", following) and not following.startswith("-"):
                fixed.append(f"--chart={following}")
                i += 2
                continue
            fixed.append("--chart=")
        else:
            fixed.append(token)
        i += 1
    return fixed


def parse(argv: list[str]) -> tuple[str, dict, list[str]] | None:
    """(command, options, positional words), or None to let Typer handle it."""
    argv = optional_values(argv)
    if not argv or argv[0] not in SPECS:
        return None
    command, spec = argv[0], SPECS[argv[0]]
    opts: dict = {}
    words: list[str] = []
    i = 1
    while i < len(argv):
        token = argv[i]
        if token.startswith("-") and token != "-":
            name, eq, inline = token.partition("=")
            if name not in spec or eq and not name.startswith("--"):  # Click reads -s=x as "=x"
                return None  # --help, unknown options, '--', '-n5': Typer's job
            dest, arity = spec[name]
            if arity == "flag":
                if eq:
                    return None
                opts[dest] = True
                i += 1
                continue
            if eq:
                value = inline
                i += 1
            elif i + 1 < len(argv):
                value = argv[i + 1]
                i += 2
            else:
                return None
            if arity == "int":
                if not (value.isascii() and value.isdigit()):
                    return None
                opts[dest] = int(value)
            elif arity == "list":
                opts.setdefault(dest, []).append(value)
            else:
                opts[dest] = value
        else:
            words.append(token)
            i += 1
    if command in ("search", "series", "cite") and not words or command == "show" and len(words) != 1:
        return None
    if command not in ("search", "series", "show", "cite") and words:
        return None
    return command, opts, words


def run(argv: list[str]) -> int | None:
    """Run a well-formed query command and return its exit code, or None."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from vnecon.cli.commands import run as run_command

    command, values, words = parsed
    if command == "show":
        values["fact_id"] = words[0]
    elif command == "cite":
        values["ids"] = words
    elif words:
        values["words"] = words
    return run_command(command, values)
