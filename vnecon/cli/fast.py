"""A fast path for the everyday query commands, without importing Typer.

Typer builds every command's parameters from type hints at start-up, which
costs more than the whole query on this machine (about 100 ms against 30 ms).
For the common, well-formed invocations of search, the listings, show and series, this
module parses argv itself from the table below and calls the same functions
in ``commands.py``.  Anything it does not fully understand (help, completion,
unknown options, bad numbers, '--') returns None and Typer takes over, so
errors and help always come from one place.  ``tests/test_fast.py`` checks
that this table names exactly the options the Typer commands declare.
"""

from __future__ import annotations

# option -> (destination, arity): "flag", "value", "int", "list"
_OUT = {
    "--format": ("fmt", "value"), "-f": ("fmt", "value"),
    "--no-color": ("no_color", "flag"),
    "--facts": ("facts", "list"), "--no-bundled": ("no_bundled", "flag"), "--no-cache": ("no_cache", "flag"),
}
_CSV = {"--bom": ("bom", "flag"), "--excel": ("excel", "flag"), "--safe-formulas": ("safe", "flag")}
_OUT_FIELDS = {"--fields": ("fields", "value")}
_LIST = {**_OUT, **_CSV, **_OUT_FIELDS, "--sort": ("sort", "value"), "-s": ("sort", "value"),
         "--limit": ("limit", "int"), "-n": ("limit", "int"), "--tag": ("tag", "value"),
         "--name": ("name", "value")}


def _filters(*names: str) -> dict[str, tuple[str, str]]:
    return {f"--{n}": (n, "value") for n in names}


SPECS: dict[str, dict[str, tuple[str, str]]] = {
    "search": {**_OUT, **_CSV, **_OUT_FIELDS, "--kind": ("kind", "value"), "-k": ("kind", "value"),
               "--limit": ("limit", "int"), "-n": ("limit", "int")},
    "indicators": {**_LIST, **_filters("region", "sector", "basis", "unit", "period", "since", "until", "trust")},
    "companies": {**_LIST, **_filters("country", "type", "sector", "location", "trust")},
    "projects": {**_LIST, **_filters("owner", "location", "sector", "since", "until", "trust")},
    "partnerships": {**_LIST, **_filters("party", "kind", "period", "since", "until", "trust")},
    "sources": {**_LIST, **_filters("period", "since", "until")},
    "show": {**_OUT},
    "series": {**_OUT, **_CSV, **_filters("sector", "basis", "unit", "period", "since", "until", "tag"),
               "--region": ("region", "list"), "--limit": ("limit", "int"), "-n": ("limit", "int"),
               "--wide": ("wide", "flag"), "--chart": ("chart", "flag")},
}

LISTING_KIND = {"indicators": "indicator", "companies": "company", "projects": "project",
                "partnerships": "partnership", "sources": "source"}
FILTER_KEYS = {
    "indicators": ("name", "region", "sector", "basis", "tag", "unit", "trust"),
    "companies": ("name", "country", "type", "sector", "location", "tag", "trust"),
    "projects": ("name", "owner", "location", "sector", "tag", "trust"),
    "partnerships": ("name", "party", "kind", "tag", "trust"),
    "sources": ("name", "tag"),
}


def bare_fields(argv: list[str]) -> list[str]:
    """'--fields' with no list (last, or before another option) becomes '--fields=': list the fields."""
    out = list(argv)
    for i, token in enumerate(out):
        if token == "--":
            break
        if token == "--fields" and (i + 1 == len(out) or out[i + 1].startswith("-") and out[i + 1] != "-"):
            out[i] = "--fields="
    return out


def parse(argv: list[str]) -> tuple[str, dict, list[str]] | None:
    """(command, options, positional words), or None to let Typer handle it."""
    argv = bare_fields(argv)
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
    if command in ("search", "series") and not words or command == "show" and len(words) != 1:
        return None
    if command in LISTING_KIND and words:
        return None
    return command, opts, words


def run(argv: list[str]) -> int | None:
    """Run a well-formed query command and return its exit code, or None."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from vnecon.cli import commands

    command, o, words = parsed
    common = (o.get("facts"), o.get("no_bundled", False), o.get("no_cache", False))
    bom, safe = o.get("bom", False) or o.get("excel", False), o.get("safe", False) or o.get("excel", False)
    if command == "search":
        return commands.do_search(words, o.get("kind"), o.get("limit", 20), o.get("fmt"), bom,
                                  o.get("no_color", False), *common, fields=o.get("fields"), safe=safe)
    if command == "show":
        return commands.do_show(words[0], o.get("fmt"), o.get("no_color", False), *common)
    if command == "series":
        from vnecon.cli.seriescmd import do_series

        filters = {k: o.get(k) for k in ("region", "sector", "basis", "tag", "unit")}
        return do_series(words, filters, o.get("period"), o.get("since"), o.get("until"), o.get("limit", 10),
                         o.get("wide", False), o.get("chart", False), o.get("fmt"), bom,
                         o.get("no_color", False), *common, safe=safe)
    filters = {k: o.get(k) for k in FILTER_KEYS[command]}
    return commands.do_list(LISTING_KIND[command], filters, o.get("period"), o.get("since"), o.get("until"),
                            o.get("sort"), o.get("limit"), o.get("fmt"), bom,
                            o.get("no_color", False), *common, fields=o.get("fields"), safe=safe)
