"""Problems found in fact files, one line each."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str  # error | warning | note
    message: str
    kind: str = ""
    id: str = ""
    layer: str = ""

    def __str__(self) -> str:
        where = f"[{self.kind} {self.id}] " if self.kind and self.id else f"[{self.kind}] " if self.kind else ""
        layer = f" ({self.layer} layer)" if self.layer else ""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {where}{self.message}{layer}"

    def to_tuple(self) -> tuple:
        return (self.path, self.line, self.col, self.severity, self.message, self.kind, self.id, self.layer)


def count(diags: list[Diagnostic], severity: str) -> int:
    return sum(1 for d in diags if d.severity == severity)
