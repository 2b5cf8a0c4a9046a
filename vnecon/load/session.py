"""Gather facts for a command: config, layers, loading (cached or not).

This is the one place the CLI asks for facts, so every command sees the
same layers and the same diagnostics.
"""

from __future__ import annotations

from pathlib import Path

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.config import Config, load_config
from vnecon.load.layers import Layer, build_layers


class Options:
    """What every command accepts about where facts come from, and which vintages it sees:
    as_of (an ISO day: what had been published by then) and all_vintages."""

    def __init__(self, facts: list[Path] | None = None, no_bundled: bool = False, no_cache: bool = False,
                 as_of: str | None = None, all_vintages: bool = False) -> None:
        self.facts = list(facts or [])
        self.no_bundled = no_bundled
        self.no_cache = no_cache
        self.as_of = as_of
        self.all_vintages = all_vintages


class Setup:
    def __init__(self, config: Config, layers: list[Layer], diagnostics: list[Diagnostic]) -> None:
        self.config, self.layers, self.diagnostics = config, layers, diagnostics


def setup(opts: Options) -> Setup:
    config = load_config()
    layers, diags = build_layers(config, opts.facts, opts.no_bundled)
    return Setup(config, layers, config.diagnostics + diags)
