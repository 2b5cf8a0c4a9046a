"""`vnecon import`: read a table, check every row, write cited TOML (or say why not)."""

from __future__ import annotations

import sys
from collections import namedtuple
from pathlib import Path

from vnecon.core.errors import Exit, UsageError

# Everything `vnecon import` is asked to do, by name (spec.py's option names): passed whole, never positionally.
ImportRequest = namedtuple("ImportRequest", "file layout delimiter encoding maps map_file sets source new_source "
                                            "set_source all_countries out force append user dry_run skip_bad replace "
                                            "decimal")


def request_of(values: dict) -> ImportRequest:
    """The request from the command's option values; --wide is --layout wide."""
    layout = values.get("layout")
    if values.get("wide"):
        if layout not in (None, "wide"):
            raise UsageError("--wide and --layout disagree")
        layout = "wide"
    return ImportRequest(**{**{f: values.get(f) for f in ImportRequest._fields}, "layout": layout})


def _pairs(option: str, items: list[str] | None) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"{option} wants NAME=VALUE, not {item!r}")
        out[key.strip()] = value.strip()
    return out


def _map_file(path: str) -> dict[str, str]:
    """A mapping file: TOML lines COLUMN = "FIELD" (a [map] table is allowed too)."""
    from vnecon.load.tomlread import ERRORS, tomllib

    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"--map-file: cannot read {path}: {e.strerror}") from None
    except (*ERRORS, UnicodeDecodeError) as e:
        raise UsageError(f"--map-file {path}: {e}") from None
    table = doc.get("map", doc)
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise UsageError(f'--map-file {path}: write each line as "Column header" = "field"')
    return dict(table)


def read_input(file: str) -> bytes:
    """The table's bytes, from a file or standard input, up to the size fact files may have.

    /dev/zero or an endless pipe is refused at the cap instead of filling memory.
    """
    from vnecon.load.loader import max_file_bytes

    limit = max_file_bytes()
    try:
        if file == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            with open(file, "rb") as fh:
                raw = fh.read(limit + 1)
    except OSError as e:
        raise UsageError(f"cannot read {file}: {e.strerror}") from None
    if len(raw) > limit:
        raise UsageError(f"{file} is over the limit of {limit / 2**20:.0f} MiB (set VNECON_MAX_FILE_MB to "
                         "change it); nothing was read")
    return raw


def do_import(req: ImportRequest, where) -> int:
    from vnecon.authoring.importer import ImportSpec, file_date, import_table, to_toml
    from vnecon.authoring.newfact import parse_sets
    from vnecon.cli.support import emit, load_index, say

    file, layout, delimiter, encoding = req.file, req.layout, req.delimiter, req.encoding
    sets, source, new_source, set_source = req.sets, req.source, req.new_source, req.set_source
    out, force, append, user = req.out, req.force, req.append, req.user
    dry_run, skip_bad, replace = req.dry_run, req.skip_bad, req.replace

    if sum(x is not None and x is not False for x in (out, append, user or None)) > 1:
        raise UsageError("choose one of --out FILE, --append FILE and --user")
    if layout not in (None, "long", "wide", "worldbank"):
        raise UsageError(f"--layout: choose long, wide or worldbank, not {layout!r}")
    if delimiter == "\\t" or (delimiter or "").lower() == "tab":
        delimiter = "\t"
    if delimiter is not None and len(delimiter) != 1:
        raise UsageError(f"--delimiter: one character (',', ';', 'tab'), not {delimiter!r}")
    name = "<stdin>" if file == "-" else file
    raw = read_input(file)
    constant = parse_sets("indicator", sets or [])
    mapping = _map_file(req.map_file) if req.map_file else {}
    mapping.update(_pairs("--map", req.maps))
    from vnecon.cli.support import _progress_bar
    from vnecon.search.aliases import place_aliases

    index, _ = load_index(where, quiet=True)
    aliases = place_aliases(*index.alias_tables())  # places in their standard spelling: 'Viet Nam' -> 'Vietnam'
    progress, stop = _progress_bar("checking rows", least=5000)  # a terminal and a big file only
    try:
        imported = import_table(raw, name, ImportSpec(
            layout=layout, delimiter=delimiter, encoding=encoding, maps=mapping, sets=constant, source=source,
            new_source=new_source, source_sets=_pairs("--set-source", set_source), all_countries=req.all_countries,
            file_date=None if file == "-" else file_date(file), progress=progress, decimal=req.decimal,
            place=aliases.display))
    finally:
        if stop:
            stop()
    for line in imported.said:
        say(line, "note")
    problems = list(imported.problems)
    if source and (index.get(source) is None or index.get(source).kind != "source"):
        raise UsageError(f"--source: no source with id {source!r} in any layer; use --new-source to describe one")
    taken = [(i, f["id"]) for i, f in enumerate(imported.facts) if index.get(f["id"]) is not None]
    if imported.source and index.get(imported.source["id"]) is not None and not replace:
        taken.append((-1, imported.source["id"]))
    if taken and not replace:
        shown = ", ".join(fid for _, fid in taken[:10]) + (f" and {len(taken) - 10} more" if len(taken) > 10 else "")
        say(f"{len(taken)} id{'s' * (len(taken) != 1)} already exist in your layers: {shown}; nothing was written "
            "(--replace lets the imported facts replace them)", "error")
        return Exit.NO_MATCH
    for p in problems:
        sys.stderr.write(f"{name}:{p.row}:{p.column}: error: {p.message}\n")
    bad = {p.fact for p in problems}
    if problems and not skip_bad:
        say(f"{len(problems)} problem{'s' * (len(problems) != 1)}; nothing was written (--skip-bad writes the "
            "good rows)", "error")
        return Exit.NO_MATCH
    kept = imported._replace(facts=[f for i, f in enumerate(imported.facts) if i not in bad])
    if not kept.facts:
        say("no figures to import", "error")
        return Exit.NO_MATCH
    text = to_toml(kept)
    summary = (f"{len(kept.facts)} fact{'s' * (len(kept.facts) != 1)}"
               + (f", {imported.skipped} empty or missing cell{'s' * (imported.skipped != 1)} skipped"
                  if imported.skipped else "")
               + (f", {len(bad - {-1})} bad left out" if bad - {-1} else ""))
    if dry_run or not (out or append or user):
        emit(lambda o: o.write(text))
        say(("dry run, nothing written: " if dry_run else "") + summary)
        return Exit.OK
    if out:
        from vnecon.authoring.append import write_new

        write_new(Path(out), text.encode("utf-8"), force=bool(force))
        say(f"wrote {summary} to {out}; check them with: vnecon check {out}")
        return Exit.OK
    from vnecon.authoring.append import append_fact
    from vnecon.load.layers import user_facts_dir

    target = Path(append) if append else user_facts_dir() / "imported.toml"
    if replace:
        refuse_same_layer_elsewhere(index, [f["id"] for f in kept.facts], target, "--replace")
    from vnecon.core.errors import IdsTaken

    try:
        written = append_fact(target, text, make_dirs=append is None, replace=bool(replace))
    except IdsTaken as e:  # another import got there first (the check is repeated under the file's lock)
        say(f"{e} (--replace lets the imported facts replace them)", "error")
        return Exit.NO_MATCH
    say(f"appended {summary} to {written}")
    return Exit.OK


def refuse_same_layer_elsewhere(index, ids: list[str], target: Path, what: str = "",
                                hint: str = "edit or remove it there first") -> None:
    """A fact added to target whose id another file beside it (its layer) defines would not be served
    (a layer's first definition wins, and check calls it a duplicate), so that is refused.  --replace cuts
    old facts out of the target file only."""
    import os

    from vnecon.core.errors import IdsTaken

    real = os.path.realpath(target)
    here = os.path.dirname(real) + os.sep
    for fid in ids:
        for path, line in index.definitions(fid):
            other = os.path.realpath(path)
            if other != real and other.startswith(here):
                raise IdsTaken((f"{what}: " if what else "") + f"{fid} is already defined at {path}:{line}, "
                               f"beside {target}; {hint}; nothing was written")
