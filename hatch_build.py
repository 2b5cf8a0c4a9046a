"""Wheel build hook: index the bundled facts ahead of time (vnecon/search/prebuilt.py).

A fresh install then answers its first query from this index instead of
reading every bundled TOML file.  Editable installs skip it: a checkout's
facts/ is indexed on first use, as it changes under the developer's hands.
"""

from __future__ import annotations

import os
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltIndexHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = self.root
        facts = os.path.join(root, "facts")
        if not os.path.isdir(facts):
            return
        sys.path.insert(0, root)
        try:
            from vnecon.search.prebuild import build
        finally:
            sys.path.remove(root)
        out = os.path.join(tempfile.mkdtemp(prefix="vnecon-prebuilt-"), "_prebuilt.sqlite")
        build(facts, out)
        build_data["force_include"][out] = "vnecon/_prebuilt.sqlite"
