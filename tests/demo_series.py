"""DEMONSTRATION DATA, generated for tests and examples only: not real figures, never bundled.

``write_demo(dir)`` writes a small fact tree whose numbers are made up (a
deterministic formula, no randomness) so that series, changes, charts and
comparisons have something to work on: a monthly PMI for Vietnam and Hà Nội,
a monthly IIP y/y with an eleven-month total in the same series, half-yearly
exports, a ranged figure and a derived one.  Every fact cites one source
whose publisher says "synthetic".  Run ``python tests/demo_series.py DIR``
to write it somewhere and point ``vnecon --facts DIR --no-bundled`` at it.
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE = '''
[[source]]
id = "demo-source"
publisher = "vnecon demonstration data (synthetic, not real figures)"
title = "Made-up numbers for tests and examples"
date = "2025-01-01"
'''

PMI = [50.3, 50.4, 49.9, 50.3, 50.3, 54.7, 52.4, 47.3, 51.2, 50.8, 49.2, 50.5]  # 2024-01 .. 2024-12
IIP = [4.0, 5.2, 6.1, 7.3, 8.9, 10.9, 11.2, 9.5, 10.8, 7.1, 8.9, 9.1]


def _indicator(fid: str, **fields) -> str:
    lines = ["[[indicator]]", f'id = "{fid}"']
    for k, v in fields.items():
        lines.append(f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}")
    lines.append('sources = ["demo-source"]')
    return "\n".join(lines) + "\n"


def demo_toml() -> str:
    parts = [SOURCE]
    for m, v in enumerate(PMI, start=1):
        parts.append(_indicator(f"demo-vn-pmi-2024-{m:02d}", name="Purchasing Managers' Index", period=f"2024-{m:02d}",
                                value=v, unit="points", basis="level", sector="manufacturing"))
        hn = round(v - 1.5 + (m % 4) * 0.6, 1)
        parts.append(_indicator(f"demo-hn-pmi-2024-{m:02d}", name="Purchasing Managers' Index", region="Hà Nội",
                                period=f"2024-{m:02d}", value=hn, unit="points", basis="level",
                                sector="manufacturing"))
    for m, v in enumerate(IIP[:7], start=1):
        parts.append(_indicator(f"demo-vn-iip-2024-{m:02d}-yoy", name="Index of Industrial Production",
                                period=f"2024-{m:02d}", value=v, unit="%", basis="yoy", sector="industry"))
    parts.append(_indicator("demo-vn-iip-2024-01-11-yoy", name="Index of Industrial Production",
                            period="2024-01/2024-11", value=8.4, unit="%", basis="yoy", sector="industry"))
    parts.append(_indicator("demo-vn-iip-2024-07-mom", name="Index of Industrial Production",
                            period="2024-07", value=0.7, unit="%", basis="mom", sector="industry"))
    for i, (p, v) in enumerate([("2023-H1", 7_800_000_000), ("2023-H2", 8_300_000_000), ("2024-H1", 8_900_000_000),
                                ("2024-H2", 9_400_000_000)]):
        parts.append(_indicator(f"demo-hn-exports-{p.lower()}", name="Export turnover", region="Hà Nội", period=p,
                                value=v, unit="USD", basis="level"))
    parts.append(_indicator("demo-hn-exports-2024", name="Export turnover", region="Hà Nội", period="2024",
                            value=18_300_000_000, unit="USD", basis="level"))
    parts.append(_indicator("demo-vn-exports-2024-h1", name="Export turnover", region="Vietnam", period="2024-H1",
                            value=190_000_000_000, unit="USD", basis="level"))
    parts.append(_indicator("demo-hn-exports-2024-h1-yoy", name="Export turnover", region="Hà Nội", period="2024-H1",
                            value=11, unit="%", basis="yoy"))
    parts.append(_indicator("demo-vn-electronics-growth-2023", name="Electronics output growth", period="2023",
                            value=17, value_max=18, unit="%", basis="yoy"))
    parts.append(_indicator("demo-vn-electronics-growth-2024", name="Electronics output growth", period="2024",
                            value=19, unit="%", basis="yoy"))
    return "\n".join(parts)


def write_demo(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "demo-series.toml"
    path.write_text(demo_toml(), encoding="utf-8")
    (directory / "aliases.toml").write_text(
        '[[alias]]\nnames = ["Hà Nội", "Hanoi", "Ha Noi"]\n\n[[alias]]\nnames = ["PMI", "Purchasing Managers\' Index"]\n\n'
        '[[alias]]\nnames = ["IIP", "Index of Industrial Production"]\n', encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_demo(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-facts")))
