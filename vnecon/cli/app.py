"""The vnecon command line: thin commands over the core in plain modules.

Heavy imports (Rich, rapidfuzz, tomllib) happen inside the commands that
need them, so `vnecon search x --format csv` starts quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from vnecon.cli import options as o
from vnecon.cli.spec import COMMANDS

app = typer.Typer(
    name="vnecon",
    help=(
        "Look up cited facts about Vietnam's economy: indicators, companies, projects, partnerships.\n\n"
        "\b\nExamples:\n"
        "  vnecon search ha noi exports\n"
        "  vnecon indicators --region hanoi --period 2024 --format csv\n"
        "  vnecon show vn-pmi-2024-07\n"
        "  vnecon check"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from vnecon import __version__

        typer.echo(f"vnecon {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", "-V", help="Print the version and exit.",
                                          callback=_version, is_eager=True)] = False,
) -> None:
    """Look up cited facts about Vietnam's economy."""


cache_app = typer.Typer(help="Inspect or clear the index cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


def _run(command: str, values: dict) -> int:
    from vnecon.cli.commands import run

    return run(command, values)


# Every command's parameters come from spec.py, the table the fast path reads too.  The summary
# in `vnecon --help` is the doc's whole first line: Click would cut it at about 45 characters
# with "...", where it can wrap instead.
for _command in COMMANDS.values():
    app.command(_command.name, short_help=_command.doc.strip().split("\n", 1)[0])(
        o.typer_command(_command, _run))


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cached indexes; the next query rebuilds what it needs.

    \b
    Example:
      vnecon cache clear
    """
    from vnecon.cli.support import say
    from vnecon.core.errors import Exit
    from vnecon.search.index import cache_dir, clear_cache

    failed: list = []
    removed = clear_cache(failed)
    say(f"removed {len(removed)} file{'s' * (len(removed) != 1)} from {cache_dir()}"
        + (f": {', '.join(p.name for p in removed)}" if removed else ""))
    for path, why in failed:
        say(f"cannot remove {path}: {why}", "error")
    if failed:
        raise typer.Exit(Exit.IO_ERROR)


@cache_app.command("path")
def cache_path() -> None:
    """Print the cache directory.

    \b
    Example:
      vnecon cache path
    """
    from vnecon.search.index import cache_dir

    typer.echo(str(cache_dir()))


def run_typer(argv: list[str]) -> int:
    """Run the Typer app on argv and return its exit code (exceptions propagate)."""
    from vnecon.cli.fast import optional_values

    # Bare `vnecon` is a request for help, as for gh: the help and exit 0, not a usage error;
    # `vnecon help COMMAND` is that command's --help (other topics: commands.do_help).
    argv = optional_values(argv) or ["--help"]
    if len(argv) == 2 and argv[0] == "help" and (argv[1] in COMMANDS or argv[1] == "cache"):
        argv = [argv[1], "--help"]
    return app(args=argv, prog_name="vnecon", standalone_mode=False) or 0
