"""The user's config file: where it is, what it may say, and its problems."""

from __future__ import annotations

import os
from pathlib import Path

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.model import FORMATS

# key -> (type check, description); validated like facts.
KEYS = {
    "facts_dirs": "an array of directory paths (~ expanded, relative to this file)",
    "bundled": "true or false: load the facts shipped with vnecon",
    "default_format": f"one of {', '.join(FORMATS)}: format when stdout is a terminal",
    "color": "true or false: colour on terminals",
}


class Config:
    """Settings from config.toml; defaults when there is none."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.exists = False
        self.facts_dirs: list[Path] = []
        self.bundled = True
        self.default_format: str | None = None
        self.color: bool | None = None
        self.diagnostics: list[Diagnostic] = []


def config_path() -> Path:
    from vnecon.core.dirs import user_dir

    return user_dir("config") / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; problems become diagnostics."""
    path = path or config_path()
    cfg = Config(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return cfg
    except OSError as e:
        cfg.diagnostics.append(Diagnostic(str(path), 1, 1, "warning", f"cannot read config: {e.strerror}"))
        return cfg
    cfg.exists = True
    from vnecon.load.positions import scan
    from vnecon.load.tomlread import (  # only now: most people have no config file
        ERRORS,
        toml_error,
        tomllib,
    )

    def bad(msg: str, line: int = 1, col: int = 1) -> None:
        cfg.diagnostics.append(Diagnostic(str(path), line, col, "error", msg, "config"))

    try:
        text = raw.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        bad("config file is not UTF-8")
        return cfg
    except ERRORS as e:
        line, col, msg = toml_error(e, text)
        bad(f"TOML syntax: {msg}", line, col)
        return cfg
    where = scan(text).top_keys
    for key, value in doc.items():
        line, col = where.get(key, (1, 1))
        if key not in KEYS:
            bad(f"unknown key {key!r} (known: {', '.join(KEYS)})", line, col)
        elif key == "facts_dirs":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(f"facts_dirs must be {KEYS[key]}", line, col)
                continue
            for v in value:
                p = Path(os.path.expanduser(v))
                cfg.facts_dirs.append(p if p.is_absolute() else path.parent / p)
        elif key in ("bundled", "color"):
            if not isinstance(value, bool):
                bad(f"{key} must be {KEYS[key]}", line, col)
            else:
                setattr(cfg, key, value)
        elif key == "default_format":
            if value not in FORMATS:
                bad(f"default_format must be {KEYS[key]}", line, col)
            else:
                cfg.default_format = value
    return cfg
