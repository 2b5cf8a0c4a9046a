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
from pathlib import Path

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.config import Config

LAYER_NAMES = ("bundled", "user", "config", "env", "cli")


class Layer:
    def __init__(self, name: str, paths: list[Path]) -> None:
        self.name, self.paths = name, paths


def bundled_dir() -> Path:
    """facts/ inside the installed wheel, or the checkout's top-level facts/."""
    here = Path(__file__).resolve().parent.parent  # the vnecon package
    inside = here / "facts"
    return inside if inside.is_dir() else here.parent / "facts"


def user_facts_dir() -> Path:
    from vnecon.core.dirs import user_dir

    return user_dir("data") / "facts"


def env_dirs() -> list[Path]:
    """The directories in VNECON_FACTS, separated by os.pathsep, ~ expanded."""
    return [Path(os.path.expanduser(p)) for p in os.environ.get("VNECON_FACTS", "").split(os.pathsep) if p.strip()]


def build_layers(config: Config, cli_dirs: list[Path], no_bundled: bool = False) -> tuple[list[Layer], list[Diagnostic]]:
    """The layers to load and warnings about directories that are missing."""
    diags: list[Diagnostic] = []

    def existing(paths: list[Path], origin: str) -> list[Path]:
        kept = []
        for p in paths:
            if p.exists():
                kept.append(p)
            else:
                diags.append(Diagnostic(str(p), 0, 0, "warning", f"facts directory from {origin} does not exist; skipped"))
        return kept

    layers: list[Layer] = []
    if config.bundled and not no_bundled:
        layers.append(Layer("bundled", [bundled_dir()]))
    user = user_facts_dir()
    layers.append(Layer("user", [user] if user.is_dir() else []))
    layers.append(Layer("config", existing(config.facts_dirs, f"config file {config.path}")))
    layers.append(Layer("env", existing(env_dirs(), "VNECON_FACTS")))
    layers.append(Layer("cli", existing(cli_dirs, "--facts")))
    return layers, diags


def layer_report(layers: list[Layer], counts: dict[str, tuple[int, int, int]], config: Config,
                 cache: Path, no_cache: bool) -> dict:
    """Every layer with its paths, whether they exist, and what it contributed."""
    by_name = {layer.name: layer for layer in layers}
    planned = {
        "bundled": [bundled_dir()],
        "user": [user_facts_dir()],
        "config": config.facts_dirs,
        "env": env_dirs(),
    }
    rows = []
    for name in LAYER_NAMES:
        paths = planned.get(name) or (by_name[name].paths if name in by_name else [])
        files, facts, live = counts.get(name, (0, 0, 0))
        rows.append({
            "layer": name,
            "used": name in by_name and bool(by_name[name].paths),
            "paths": [{"path": str(p), "exists": p.exists()} for p in paths],
            "files": files, "facts": facts, "in_effect": live,
        })
    return {
        "layers": rows,
        "config": {"path": str(config.path), "exists": config.exists},
        "cache": {"path": None if no_cache else str(cache), "exists": (not no_cache) and cache.exists()},
    }


def report_text(report: dict) -> str:
    lines = []
    for row in report["layers"]:
        where = ", ".join(f"{p['path']}{'' if p['exists'] else ' (missing)'}" for p in row["paths"]) or "(none)"
        status = "" if row["used"] else "  [not used]"
        replaced = row["facts"] - row["in_effect"]
        extra = f", {replaced} replaced by later layers" if replaced else ""
        lines.append(f"{row['layer']:<8} {row['files']:>4} files {row['facts']:>6} facts{extra}  {where}{status}")
    cfg = report["config"]
    lines.append(f"config   {cfg['path']}{'' if cfg['exists'] else ' (none)'}")
    cache = report["cache"]
    lines.append(f"cache    {cache['path'] or '(disabled by --no-cache)'}")
    return "\n".join(lines) + "\n"
