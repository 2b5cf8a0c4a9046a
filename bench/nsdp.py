#!/usr/bin/env python3
"""Time `vnecon fetch nsdp trade`: the 1 MB trade file (METVNM.xml, 106 series, 17,206 observations)
from the local fixture server (tests/fetchserver.py) into [[series]] TOML.

Run from the repository root after ``pip install -e '.[test]'``, with shared/fixtures/apis/nsdp beside
the checkout (the whole trade file; the copy in tests/fixtures/nsdp is cut down)::

    python bench/nsdp.py                  # 7 runs of each measurement
    python bench/nsdp.py --runs 15 --json nsdp.json

Measured, each as a median with min-max:

- ``convert``: in this process, reading the file's bytes (``sdmx.read``, a streaming parse) and turning
  them into named, scaled series blocks (``nsdp.convert``) and their TOML: the conversion itself;
- ``fetch``: the whole process, ``vnecon fetch nsdp trade --out FILE --no-bundled --facts EMPTY``
  (start-up, one HTTP request, the conversion, comparing with no loaded facts, validating 17,206
  facts as `check` would, writing the file);
- ``... (CPU)``: the user + system CPU time of those processes, which a loaded machine does not stretch;
- ``fetch-bundled``: the same against the bundled facts from a warm index cache, where the official
  layer already holds this release: every point unchanged, nothing written (only if facts/official/
  is in the checkout).

The issue's budget: the whole ``fetch`` under 2 s.  Everything lives in a private temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from fetchserver import APIS, FixtureServer, nsdp_file  # noqa: E402


CPU: dict[str, list[float]] = {}  # name -> CPU ms (user + system) of each run's child process


def timed(fn, name: str = "") -> float:
    """Wall ms of fn(); for a subprocess, its CPU ms too (a shared machine's load stretches wall time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    fn()
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if name:
        CPU.setdefault(name, []).append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return wall


def summary(ms: list[float]) -> dict:
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1),
            "runs": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    if not (APIS / "nsdp" / "METVNM.xml").is_file():
        raise SystemExit("shared/fixtures/apis/nsdp/METVNM.xml is not beside the checkout: the whole trade file "
                         "is needed")
    from vnecon.fetch import nsdp, sdmx

    body = nsdp_file("METVNM.xml")
    bundled = (ROOT / "facts" / "official").is_dir()
    with tempfile.TemporaryDirectory(prefix="vnecon-bench-nsdp-") as tmp, FixtureServer() as server:
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update({"VNECON_NSDP_URL": server.nsdp, "XDG_CACHE_HOME": f"{tmp}/cache",
                    "XDG_DATA_HOME": f"{tmp}/data", "XDG_CONFIG_HOME": f"{tmp}/config",
                    "PYTHONPATH": str(ROOT)})
        empty = Path(tmp, "empty")
        empty.mkdir()
        out = Path(tmp, "trade.toml")
        base = [sys.executable, "-m", "vnecon", "fetch", "nsdp", "trade"]

        def fetch() -> None:
            r = subprocess.run([*base, "--out", str(out), "--force", "--no-bundled", "--facts", str(empty)],
                               env=env, capture_output=True, text=True)
            if r.returncode != 0 or "17206 new" not in r.stderr:
                raise SystemExit(f"fetch failed ({r.returncode}): {r.stderr}")

        def fetch_bundled() -> None:
            r = subprocess.run(base, env=env, capture_output=True, text=True)
            if r.returncode != 0 or "17206 unchanged" not in r.stderr:
                raise SystemExit(f"fetch failed ({r.returncode}): {r.stderr}")

        def convert() -> None:
            release = nsdp.convert(sdmx.read(body, "METVNM.xml"), "u", "METVNM.xml")
            nsdp.release_toml(release)

        fetch()  # warm-up
        if bundled:
            fetch_bundled()  # builds the index cache of the bundled facts
        results: dict[str, list[float]] = {"convert": [], "fetch": [], **({"fetch-bundled": []} if bundled else {})}
        for _ in range(args.runs):  # round-robin, so machine noise hits each alike
            results["convert"].append(timed(convert))
            results["fetch"].append(timed(fetch, "fetch"))
            if bundled:
                results["fetch-bundled"].append(timed(fetch_bundled, "fetch-bundled"))
    report = {name: summary(ms) for name, ms in results.items()}
    report.update({f"{name} (CPU)": summary(ms) for name, ms in CPU.items()})
    for name, s in report.items():
        print(f"{name:14}  median {s['median_ms']:7.1f} ms   min {s['min_ms']:7.1f}   max {s['max_ms']:7.1f}"
              f"   ({s['runs']} runs)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
