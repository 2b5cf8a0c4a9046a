"""`vnecon new`: templates for new facts, and appending one to a file safely."""

from __future__ import annotations

import json
import re
from typing import Any

# The write path lives in append.py; named here too, where callers and tests have always found it.
from vnecon.authoring.append import append_fact, write_new
from vnecon.core.errors import UsageError
from vnecon.core.periods import DATE_FORMS, PERIOD_FORMS
from vnecon.core.text import close_to
from vnecon.load.model import INVESTMENT_FIELDS, PEOPLE_FIELDS, Field, fields_for

__all__ = ["append_fact", "parse_sets", "template", "toml_string", "toml_value", "write_new"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " " or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key as TOML: bare when it can be, quoted and escaped otherwise (a key cannot start a new table)."""
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A TOML literal for a value built from --set (strings, numbers, arrays, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # inf and nan included: TOML spells them the same
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    return toml_string(str(value))


def _placeholder(f: Field) -> str:
    """A value of the field's type, so the template shows what to write (value = 0.0, not "")."""
    if f.type in ("list", "investments", "people"):
        sub = {"investments": INVESTMENT_FIELDS, "people": PEOPLE_FIELDS}.get(f.type)
        if sub:
            return "[{ " + ", ".join(f"{s.name} = {_placeholder(s)}" for s in sub if s.required) + " }]"
        return '[""]'
    if f.type == "number":
        return "0.0"
    return '""'


def problems_with_given(kind: str, text: str, given: set[str]) -> list[str]:
    """Errors in the values the user gave (--set, --id), checked before anything is written.

    Fields not given stay as placeholders for the user to fill in; a value that was
    given but is wrong (value=abc, period=July) is refused, with every problem listed.
    """
    from vnecon.load.tomlread import tomllib
    from vnecon.load.validate import validate_table

    found: list[str] = []

    def report(key: str, severity: str, message: str) -> None:
        if severity == "error" and (key in given or not key and given):
            found.append(f"{key}: {message}" if key else message)

    table = tomllib.loads(text)[kind][0]
    validate_table(kind, table, report)
    return [p for p in found if "missing required field" not in p]


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
    given = dict(values)
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
    text = "\n".join(lines) + "\n"
    _same_fields(text, kind, given)
    return text


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _same_fields(text: str, kind: str, given: dict[str, Any]) -> None:
    """Parse what we wrote back and compare it field by field with what was asked for.

    Escaping bugs must never turn a value into new tables or keys in the file.
    """
    from vnecon.load.tomlread import ERRORS, tomllib

    try:
        doc = tomllib.loads(text)
    except ERRORS as e:
        raise UsageError(f"--set: the values do not make valid TOML ({e}); nothing was written") from None
    tables = doc.get(kind)
    table = tables[0] if isinstance(tables, list) and len(tables) == 1 else None
    known = {f.name for f in fields_for(kind)}
    if set(doc) != {kind} or not isinstance(table, dict) or set(table) - known or any(
            _canon(table.get(k)) != _canon(v) for k, v in given.items()):
        raise UsageError("--set: the values would not read back as given; nothing was written")


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
            close = close_to(key, known)
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
