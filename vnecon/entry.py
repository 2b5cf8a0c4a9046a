"""The `vnecon` entry point: fast path or Typer, and no traceback ever.

Errors become one line on stderr and an exit code (see errors.Exit);
Ctrl-C exits 130 quietly; a closed stdout (| head) ends quietly.
"""

from __future__ import annotations

import os
import sys

from vnecon.errors import Exit, VneconError


def _dispatch(argv: list[str]) -> int:
    if not os.environ.get("VNECON_NO_FAST") and not os.environ.get("_VNECON_COMPLETE"):
        from vnecon.fast import run

        code = run(argv)
        if code is not None:
            return code
    from vnecon.cli import run_typer

    return run_typer(argv)


def main(argv: list[str] | None = None) -> None:
    from vnecon.cli_support import say, silence_stdout

    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        code = _dispatch(argv)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = Exit.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        code = Exit.OK
    except VneconError as e:
        say(str(e), "error")
        code = e.exit_code
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except Exception as e:  # noqa: BLE001 - the last line of defence
        if type(e).__name__ == "Abort":  # Click's Ctrl-C inside a prompt
            code = Exit.INTERRUPTED
        elif hasattr(e, "show") and hasattr(e, "exit_code"):  # Click's usage errors
            e.show()
            code = e.exit_code
        elif isinstance(e, OSError):
            say(f"{e.strerror or e}" + (f": {e.filename}" if getattr(e, "filename", None) else ""), "error")
            code = Exit.BAD_FACTS
        else:
            if os.environ.get("VNECON_DEBUG"):
                raise
            say(f"internal error: {type(e).__name__}: {e} (set VNECON_DEBUG=1 for details)", "error")
            code = 70
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        silence_stdout()
    sys.exit(int(code or 0))
