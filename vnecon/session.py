"""Gather facts for a command: config, layers, loading (cached or not).

This is the one place the CLI asks for facts, so every command sees the
same layers and the same diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vnecon.config import Config, load_config
from vnecon.diagnostics import Diagnostic
from vnecon.layers import Layer, build_layers


@dataclass
class Options:
    """What every command accepts about where facts come from."""

    facts: list[Path] = field(default_factory=list)
    no_bundled: bool = False
    no_cache: bool = False


@dataclass
class Setup:
    config: Config
    layers: list[Layer]
    diagnostics: list[Diagnostic]


def setup(opts: Options) -> Setup:
    config = load_config()
    layers, diags = build_layers(config, opts.facts, opts.no_bundled)
    return Setup(config, layers, config.diagnostics + diags)
