"""Where vnecon keeps its cache, data and config: platformdirs' answer, without importing it on
Linux and the BSDs, where the answer is the XDG base directories.

platformdirs costs ~5 ms at start-up (it pulls in tempfile and the hash modules), on every
query; on those systems its rule is a few lines: $XDG_*_HOME if set and not blank, else the
default under the home directory, then the app's name.  Elsewhere (macOS, Windows) it decides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "vnecon"
_XDG = {"cache": ("XDG_CACHE_HOME", ".cache"), "data": ("XDG_DATA_HOME", ".local/share"),
        "config": ("XDG_CONFIG_HOME", ".config")}


def _xdg() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def user_dir(which: str) -> Path:
    """The user's cache, data or config directory for vnecon."""
    if _xdg():
        var, default = _XDG[which]
        base = os.environ.get(var, "").strip()
        return Path(base or os.path.expanduser(f"~/{default}")) / APP
    import platformdirs

    fn = {"cache": platformdirs.user_cache_dir, "data": platformdirs.user_data_dir,
          "config": platformdirs.user_config_dir}[which]
    return Path(fn(APP, appauthor=False))
