"""`vnecon new`: templates for new facts, and appending one to a file safely."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from vnecon.core.errors import UsageError
from vnecon.load.model import INVESTMENT_FIELDS, PEOPLE_FIELDS, Field, fields_for
from vnecon.core.periods import DATE_FORMS, PERIOD_FORMS


def toml_value(value: Any) -> str:
    """A TOML literal for a value built from --set (strings, numbers, arrays, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    # JSON string escapes (\" \\ \n \uXXXX) are all valid TOML basic-string escapes.
    return json.dumps(str(value), ensure_ascii=False)


def _placeholder(f: Field) -> str:
    if f.type in ("list", "investments", "people"):
        sub = {"investments": INVESTMENT_FIELDS, "people": PEOPLE_FIELDS}.get(f.type)
        if sub:
            return "[{ " + ", ".join(f'{s.name} = ""' for s in sub if s.required) + " }]"
        return '[""]'
    return '""'


def _comment(f: Field) -> str:
    extra = {"period": PERIOD_FORMS, "date": DATE_FORMS}.get(f.type, "")
    text = f.help + (f"; {extra}" if extra and extra not in f.help else "")
    if f.choices:
        text += f"; one of {', '.join(f.choices)}"
    if f.default is not None:
        text += f' (default "{f.default}")'
    return f"{'required' if f.required else 'optional'}: {text}"


def template(kind: str, fact_id: str | None = None, values: dict[str, Any] | None = None) -> str:
    """A [[kind]] table: given values, required fields to fill in, and (with no
    values given) every optional field as a comment."""
    full = not values
    values = dict(values or {})
    if fact_id:
        if values.get("id", fact_id) != fact_id:
            raise UsageError(f"--id {fact_id} and --set id={values['id']} disagree; give one")
        values["id"] = fact_id
    lines = [f"[[{kind}]]"]
    for f in fields_for(kind):
        if f.name in values:
            lines.append(f"{f.name} = {toml_value(values.pop(f.name))}")
        elif f.required:
            lines.append(f"{f.name} = {_placeholder(f)}  # {_comment(f)}")
        elif full:
            lines.append(f"# {f.name} = {_placeholder(f)}  # {_comment(f)}")
    if values:
        raise UsageError(f"--set: {kind} has no field {next(iter(values))!r}; see 'vnecon new {kind}'")
    return "\n".join(lines) + "\n"


def parse_sets(kind: str, pairs: list[str]) -> dict[str, Any]:
    """--set name="Export turnover" --set value=8.9e9 --set sources=a,b -> typed values."""
    from vnecon.load.tomlread import ERRORS, tomllib

    known = {f.name: f for f in fields_for(kind)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set: expected FIELD=VALUE, got {pair!r}")
        if key not in known:
            from difflib import get_close_matches

            close = get_close_matches(key, known, n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"fields: {', '.join(known)}"
            raise UsageError(f"--set: {kind} has no field {key!r} ({hint})")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except ERRORS:
            value = raw  # a bare word is a string
        if known[key].type == "list" and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if known[key].type in ("str", "date", "period") and not isinstance(value, str):
            value = raw.strip() if known[key].type != "str" or isinstance(value, (int, float)) else value
        out[key] = value
    return out


def append_fact(path: Path, text: str, make_dirs: bool = False) -> Path:
    """Append text to a TOML file atomically; the original bytes stay as they were.

    Writes a temporary file beside the target (a symlink's target, not the
    link), copies the original's permissions, fsyncs, then os.replace().  If
    the result would not parse, nothing changes and ValueError says why.
    """
    from vnecon.load.tomlread import ERRORS, tomllib

    real = Path(os.path.realpath(path))
    try:
        original = real.read_bytes()
    except FileNotFoundError:
        original = b""
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    eol = b"\r\n" if b"\r\n" in original else b"\n"  # keep a Windows file's line ends
    sep = b"" if not original or original.endswith(eol * 2) else (eol if original.endswith(eol) else eol * 2)
    new = original + sep + text.encode("utf-8").replace(b"\n", eol)
    try:
        tomllib.loads(new.decode("utf-8"))
    except (*ERRORS, UnicodeDecodeError) as e:
        raise ValueError(f"{path} would not be valid TOML after appending ({e}); nothing was changed") from None
    if make_dirs:
        real.parent.mkdir(parents=True, exist_ok=True)
    elif not real.parent.is_dir():
        raise UsageError(f"cannot append to {path}: directory {real.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        if original or real.exists():
            os.chmod(tmp, real.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return real


def problems_in(path: Path) -> list:
    """Problems in one file, checked together with every layer (so references resolve)."""
    from vnecon.load.check import load_for_check
    from vnecon.load.session import Options

    diags, _, _ = load_for_check([path], Options())
    return [d for d in diags if d.severity != "note"]
