"""Where facts come from: the five layers, in order of precedence.

1. bundled facts (shipped in the package)
2. the user's data directory (platformdirs user_data_dir / facts)
3. directories listed in the config file (facts_dirs)
4. VNECON_FACTS (directories separated by os.pathsep)
5. --facts DIR on the command line
A fact in a later layer replaces one with the same id in an earlier layer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vnecon.config import Config
from vnecon.diagnostics import Diagnostic

LAYER_NAMES = ("bundled", "user", "config", "env", "cli")


@dataclass
class Layer:
    name: str
    paths: list[Path]


def bundled_dir() -> Path:
    """facts/ inside the installed wheel, or the checkout's top-level facts/."""
    here = Path(__file__).resolve().parent
    inside = here / "facts"
    return inside if inside.is_dir() else here.parent / "facts"


def user_facts_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("vnecon", appauthor=False)) / "facts"


def build_layers(config: Config, cli_dirs: list[Path], no_bundled: bool = False) -> tuple[list[Layer], list[Diagnostic]]:
    """The layers to load and warnings about directories that are missing."""
    diags: list[Diagnostic] = []

    def existing(paths: list[Path], origin: str) -> list[Path]:
        kept = []
        for p in paths:
            if p.exists():
                kept.append(p)
            else:
                diags.append(Diagnostic(str(p), 1, 1, "warning", f"facts directory from {origin} does not exist; skipped"))
        return kept

    layers: list[Layer] = []
    if config.bundled and not no_bundled:
        layers.append(Layer("bundled", [bundled_dir()]))
    user = user_facts_dir()
    layers.append(Layer("user", [user] if user.is_dir() else []))
    layers.append(Layer("config", existing(config.facts_dirs, f"config file {config.path}")))
    env = [Path(os.path.expanduser(p)) for p in os.environ.get("VNECON_FACTS", "").split(os.pathsep) if p.strip()]
    layers.append(Layer("env", existing(env, "VNECON_FACTS")))
    layers.append(Layer("cli", existing(cli_dirs, "--facts")))
    return layers, diags
