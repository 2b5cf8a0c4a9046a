#!/usr/bin/env python3
"""Time `vnecon fetch` of 10 World Bank series from the local fixture server (tests/fetchserver.py).

Run from the repository root after ``pip install -e '.[test]'``::

    python bench/fetch.py                 # 7 runs of each measurement
    python bench/fetch.py --runs 15 --json fetch.json

The server answers on 127.0.0.1 with the recorded World Bank answer for Viet
Nam's GDP growth (10 years), under ten indicator codes (the recorded rows with
the indicator renamed: a synthetic load, the same bytes per series), plus the
recorded source metadata.  Measured, each as a median with min-max:

- ``online``: the whole process, ``vnecon fetch worldbank C1 ... C10 --dry-run``
  (start-up, loading the bundled facts from a warm index cache, 20 HTTP
  requests, building and validating 100 facts, TOML to stdout);
- ``offline``: the same with ``--offline``, reading the kept answers;
- ``client``: only the HTTP client and parsing, in this process (10
  ``worldbank.fetch_series`` calls, a fresh client and no cache each run).

Everything lives in a private temporary directory (XDG_* point there).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fetchserver import FixtureServer  # noqa: E402

CODES = ["NY.GDP.MKTP.KD.ZG"] + [f"BENCH.SERIES.{i}" for i in range(1, 10)]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def summary(ms: list[float]) -> dict:
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1),
            "runs": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    vnecon = str(Path(sys.executable).parent / "vnecon")
    with tempfile.TemporaryDirectory(prefix="vnecon-bench-fetch-") as tmp, FixtureServer() as server:
        for i, code in enumerate(CODES[1:], start=1):
            server.alias(code, f"Benchmark series {i} (annual %)")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update({"VNECON_WORLDBANK_URL": server.worldbank, "XDG_CACHE_HOME": f"{tmp}/cache",
                    "XDG_DATA_HOME": f"{tmp}/data", "XDG_CONFIG_HOME": f"{tmp}/config"})
        argv = [vnecon, "fetch", "worldbank", *CODES, "--dry-run"]

        def run(*extra: str) -> None:
            r = subprocess.run(argv + list(extra), env=env, capture_output=True, text=True)
            if r.returncode != 0 or r.stdout.count("[[indicator]]") != 100:
                raise SystemExit(f"fetch failed ({r.returncode}): {r.stderr}")

        run()  # warm-up: builds the index cache and keeps the answers for --offline
        results: dict[str, list[float]] = {"online": [], "offline": [], "client": []}
        os.environ["VNECON_WORLDBANK_URL"] = server.worldbank
        from vnecon.fetch import worldbank
        from vnecon.fetch.http import Client

        for _ in range(args.runs):  # round-robin, so machine noise hits each alike
            before = len(server.requests)
            results["online"].append(timed(run))
            requests = len(server.requests) - before
            results["offline"].append(timed(lambda: run("--offline")))
            client = Client(backoff=0)
            results["client"].append(timed(lambda c=client: [worldbank.fetch_series(c, code) for code in CODES]))
    report = {name: summary(ms) for name, ms in results.items()}
    report["requests_per_fetch"] = requests
    for name, s in report.items():
        if isinstance(s, dict):
            print(f"{name:8}  median {s['median_ms']:7.1f} ms   min {s['min_ms']:7.1f}   max {s['max_ms']:7.1f}"
                  f"   ({s['runs']} runs)")
    print(f"HTTP requests per online fetch of {len(CODES)} series: {requests}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
