"""Problems found in fact files, one line each."""

from __future__ import annotations

from collections import namedtuple

_Base = namedtuple("Diagnostic", "path line col severity message kind id layer", defaults=("", "", ""))


class Diagnostic(_Base):
    """One problem at path:line:col; severity is error, warning or note."""

    __slots__ = ()

    def __str__(self) -> str:
        where = f"[{self.kind} {self.id}] " if self.kind and self.id else f"[{self.kind}] " if self.kind else ""
        layer = f" ({self.layer} layer)" if self.layer else ""
        at = f"{self.path}:{self.line}:{self.col}" if self.line else self.path  # line 0: a whole path
        from vnecon.core.text import one_line

        # One line whatever the file holds: a newline in a key, an id or a file name must not
        # print a line that looks like a diagnostic or a summary of its own.
        return one_line(f"{at}: {self.severity}: {where}{self.message}{layer}")


def count(diags: list[Diagnostic], severity: str) -> int:
    return sum(1 for d in diags if d.severity == severity)
