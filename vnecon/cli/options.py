"""Typer parameters built from the option table in ``spec.py``, and the shell completions they offer."""

from __future__ import annotations

import inspect
from typing import Annotated

import typer


def _complete_format(incomplete: str) -> list[str]:
    from vnecon.output.render import FORMATS

    return [f for f in FORMATS if f.startswith(incomplete)]


def complete_kind(incomplete: str) -> list[str]:
    from vnecon.load.model import KINDS

    return [k for k in KINDS if k.startswith(incomplete)]


def _complete_ids(incomplete: str) -> list[str]:
    try:
        from vnecon.cli.support import load_index
        from vnecon.load.session import Options

        index, _ = load_index(Options(), quiet=True)
        return [i for i in index.ids() if i.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []


def _command_kind(ctx) -> str | None:
    """The kind a completion is for: the listing's, or search's --kind."""
    name = getattr(ctx, "info_name", None)
    from vnecon.load.model import KIND_OF_PLURAL

    if name in KIND_OF_PLURAL:
        return KIND_OF_PLURAL[name]
    kind = (getattr(ctx, "params", None) or {}).get("kind")
    from vnecon.load.model import KINDS, PLURALS

    kind = (kind or "").lower()
    return next((k for k in KINDS if kind in (k, PLURALS[k])), None)


def _complete_list(incomplete: str, names: list[str], signs: bool) -> list[str]:
    """Complete the last item of 'a,-b,c': keep what is before the last comma."""
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    sign = last[:1] if signs and last[:1] in "-+" and last else ""
    return [f"{prefix}{sign}{n}" for n in names if n.startswith(last[len(sign):])]


def _complete_sort(ctx: typer.Context, incomplete: str) -> list[str]:
    from vnecon.search.query import sortable_fields

    kind = _command_kind(ctx)
    return _complete_list(incomplete, sortable_fields(kind), True) if kind else []


def _complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    from vnecon.load.columns import all_columns, machine_columns

    kind = _command_kind(ctx)
    return _complete_list(incomplete, machine_columns(kind) if kind else all_columns(), False)


def _complete_values(field: str):
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            from vnecon.cli.support import load_index
            from vnecon.core.text import phrase
            from vnecon.load.session import Options
            from vnecon.search.query import distinct_values

            index, _ = load_index(Options(), quiet=True)
            # The shell keeps only words starting with what was typed: "ha" offers "ha noi" for Hà Nội
            # (filters accept any spelling), "Hà" offers "Hà Nội".
            return [for_shell(v) for v in dict.fromkeys(
                v if v.startswith(incomplete) else incomplete + phrase(v)[len(phrase(incomplete)):]
                for v in distinct_values(index, field, _command_kind(ctx), incomplete))]
        except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
            return []

    return complete




def for_shell(value: str, shell: str | None = None) -> str:
    """A completion as the shell must insert it.  Bash puts what it is given on the line as is, so
    'ha noi' would become two words: spaces and quotes are escaped with '\\' (ha\\ noi), which
    also keeps a common prefix of several ("ha\\ n") right.  Zsh and fish quote for themselves."""
    import os
    import re

    shell = shell if shell is not None else os.environ.get("_VNECON_COMPLETE", "")
    if not shell.endswith("bash"):
        return value
    return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)


def _complete_trust(incomplete: str) -> list[str]:
    from vnecon.load.model import TRUST_LEVELS

    return [t for t in (*TRUST_LEVELS, "not-reported") if t.startswith(incomplete)]


def _complete_topics(incomplete: str) -> list[str]:
    from vnecon.cli.helptopics import TOPICS
    from vnecon.cli.spec import COMMANDS

    return [t for t in (*TOPICS, *COMMANDS) if t.startswith(incomplete)]


def _completion(name: str | None, dest: str):
    return {None: None, "format": _complete_format, "kind": complete_kind, "ids": _complete_ids,
            "sort": _complete_sort, "fields": _complete_fields, "trust": _complete_trust,
            "values": _complete_values(dest), "topics": _complete_topics}[name]


_TYPES = {"flag": bool, "value": str | None, "int": int | None, "list": list[str] | None}


def typer_parameter(item) -> inspect.Parameter:
    """One spec.Opt or spec.Arg as the keyword parameter Typer reads from a signature."""
    if hasattr(item, "flags"):
        extra = {"min": 0} if item.arity == "int" else {}
        info = typer.Option(*item.flags, help=item.help, metavar=item.metavar, rich_help_panel=item.panel,
                            autocompletion=_completion(item.complete, item.dest),
                            show_default=item.default not in (None, False), **extra)
        annotation, default = _TYPES[item.arity], item.default
    else:
        info = typer.Argument(help=item.help, metavar=item.metavar, show_default=False,
                              autocompletion=_completion(item.complete, item.dest))
        if item.nargs == -1:
            annotation = list[str] if item.required else list[str] | None
        else:
            annotation = str
        default = inspect.Parameter.empty if item.required else None
    return inspect.Parameter(item.dest, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[annotation, info])


def typer_command(command, run):
    """A function whose signature Typer reads as `command`'s parameters; it calls run(values)."""
    params = [typer_parameter(p) for p in (*command.args, *command.opts)]

    def invoke(**values):
        raise typer.Exit(run(command.name, values))

    invoke.__signature__ = inspect.Signature(params)
    invoke.__annotations__ = {p.name: p.annotation for p in params}
    invoke.__doc__ = command.doc
    invoke.__name__ = command.name
    return invoke
