"""`vnecon new`: templates for new facts, and appending one to a file safely."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

TYPE_CHECKING = False  # typing only: Self (3.11+; typing_extensions before)
if TYPE_CHECKING:
    from typing_extensions import Self

from vnecon.core.errors import BrokenTarget, UsageError, WriteRefused
from vnecon.core.periods import DATE_FORMS, PERIOD_FORMS
from vnecon.load.model import INVESTMENT_FIELDS, PEOPLE_FIELDS, Field, fields_for

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


class _Lock:
    """An exclusive lock on `.NAME.lock` beside the target, removed when released.

    The target itself is replaced by rename, so it cannot carry the lock (a
    lock on it would go with the old inode).  The lock file is unlinked
    before it is unlocked; a waiter that then holds a lock on an unlinked
    file notices (the path no longer names its inode) and tries again.
    """

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / f".{name}.lock"
        self.fh = None

    def __enter__(self) -> Self:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no flock; appends there are not serialised
            return self
        while True:
            fh = open(self.path, "a+b")
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                same = os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fh = fh
                return self
            fh.close()

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            self.fh.close()


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Temporaries of our own naming left by a killed append (we hold the lock: nobody is writing them)."""
    prefix = f".{name}."
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(".tmp") and len(entry.name) > len(prefix) + 4:
            try:
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
            except OSError:
                pass


def _merged(before: dict, added: dict) -> dict:
    out = dict(before)
    for key, value in added.items():
        out[key] = out[key] + value if isinstance(out.get(key), list) and isinstance(value, list) else value
    return out


def append_fact(path: Path, text: str, make_dirs: bool = False) -> Path:
    """Append text to a TOML file atomically; the original bytes stay as they were.

    Under a lock beside the target (held across read, validate, write and
    rename, so parallel appends all land), writes a temporary file beside
    the target (a symlink's target, not the link), copies the original's
    permissions, fsyncs, then os.replace().  Only regular files are written:
    a device, FIFO or directory is refused (WriteRefused, exit 74); a file
    with other hard links is appended in place so the links stay one file.
    If the result would not parse, or would not read back as the old facts
    plus the new one, nothing changes and ValueError says why.
    """
    from vnecon.load.tomlread import ERRORS, tomllib

    real = Path(os.path.realpath(path))
    if make_dirs:
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WriteRefused(f"cannot create {real.parent}: {e.strerror}; nothing was changed") from None
    elif not real.parent.is_dir():
        raise UsageError(f"cannot append to {path}: directory {real.parent} does not exist")
    lock = _Lock(real.parent, real.name)
    try:
        lock.__enter__()
    except OSError as e:
        raise WriteRefused(f"cannot lock {path} for appending: {e.strerror}; nothing was changed") from None
    try:
        _remove_stale_temporaries(real.parent, real.name)
        try:
            st = os.stat(real)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise WriteRefused(f"cannot read {path}: {e.strerror}; nothing was changed") from None
        if st is not None and not stat.S_ISREG(st.st_mode):
            what = "a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) else \
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file"
            raise WriteRefused(f"cannot append to {path}: it is {what}, not a regular file; nothing was changed")
        try:
            # O_NONBLOCK: if the file was swapped for a FIFO since the stat, do not hang on it.
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)) if st is not None else None
        except OSError as e:
            raise WriteRefused(f"cannot read {path}: {e.strerror}; nothing was changed") from None
        original = b""
        if fd is not None:
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise WriteRefused(f"cannot append to {path}: not a regular file; nothing was changed")
                original = fh.read()
        eol = b"\r\n" if b"\r\n" in original else b"\n"  # keep a Windows file's line ends
        sep = b"" if not original or original.endswith(eol * 2) else (eol if original.endswith(eol) else eol * 2)
        addition = sep + text.encode("utf-8").replace(b"\n", eol)
        new = original + addition
        try:
            before = tomllib.loads(original.decode("utf-8"))
            after = tomllib.loads(new.decode("utf-8"))
            added = tomllib.loads(text)
        except (*ERRORS, UnicodeDecodeError) as e:
            raise BrokenTarget(f"{path} would not be valid TOML after appending ({e}); nothing was changed") from None
        if _canon(after) != _canon(_merged(before, added)):
            raise BrokenTarget(f"{path} would not read back as its facts plus the new one; nothing was changed")
        if st is not None and st.st_nlink > 1:
            _append_in_place(real, original, addition)
        else:
            _replace(real, new, st)
    finally:
        lock.__exit__()
    return real


def _append_in_place(real: Path, original: bytes, addition: bytes) -> None:
    """Append to a hard-linked file where it is (a rename would split the links); undo a partial write."""
    fd = os.open(real, os.O_WRONLY)
    try:
        done = 0
        while done < len(addition):
            done += os.pwrite(fd, addition[done:], len(original) + done)
        os.fsync(fd)
    except BaseException:
        os.ftruncate(fd, len(original))
        raise
    finally:
        os.close(fd)


def write_new(path: Path, data: bytes) -> None:
    """Write a whole file atomically (temporary file, fsync, rename), as a new file would be made."""
    _replace(Path(path), data, None)


def _replace(real: Path, new: bytes, st) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, st.st_mode & 0o7777)
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


def problems_in(path: Path) -> list:
    """Problems in one file, checked together with every layer (so references resolve)."""
    from vnecon.load.check import load_for_check
    from vnecon.load.session import Options

    diags, _, _ = load_for_check([path], Options())
    return [d for d in diags if d.severity != "note"]
