"""The TOML parser for this Python, and where its errors point. Light to import."""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["ERRORS", "toml_error", "tomllib"]

# tomllib also raises ValueError (an integer of thousands of digits) and
# RecursionError (arrays nested thousands deep): all are problems in the file.
ERRORS = (tomllib.TOMLDecodeError, ValueError, RecursionError)

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error(e: Exception, text: str) -> tuple[int, int, str]:
    """Line, column and message of a TOML error (3.13+ has attributes; older, only text)."""
    if isinstance(e, RecursionError):
        return 1, 1, "nested too deeply to read"
    if not isinstance(e, tomllib.TOMLDecodeError):  # the parser gave no position
        return 1, 1, str(e).split(";", 1)[0]
    line, col = getattr(e, "lineno", None), getattr(e, "colno", None)
    if line is None:
        m = _TOML_POS.search(str(e))
        line, col = (int(m[1]), int(m[2])) if m else (text.count("\n") + 1, 1)
    return line, col or 1, str(e).split(" (at ", 1)[0]
