"""Shared fixtures: an isolated home, a small facts tree, a way to run the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vnecon.cli.entry import main

FIXTURE = '''
[[source]]
id = "src-briefing"
publisher = "VNA"
title = "Industrial production on the mend"
date = "2024-08-05"
url = "https://example.org/src-briefing"

[[source]]
id = "src-hanoi"
publisher = "Viet Nam News"
title = "Hanoi semiconductor investment day"
date = "2024-07-29"
url = "https://example.org/src-hanoi"

[[indicator]]
id = "vn-pmi-2024-07"
name = "Purchasing Managers' Index"
name_vi = "Chỉ số Nhà quản trị mua hàng"
period = "2024-07"
value = 54.7
unit = "points"
basis = "level"
sources = ["src-briefing"]
tags = ["PMI"]

[[indicator]]
id = "vn-iip-2024-07-mom"
name = "Index of Industrial Production"
period = "2024-07"
value = 0.7
unit = "%"
basis = "mom"
sources = ["src-briefing"]

[[indicator]]
id = "vn-iip-2024-07-yoy"
name = "Index of Industrial Production"
period = "2024-07"
value = 11.2
unit = "%"
basis = "yoy"
sources = ["src-briefing"]

[[indicator]]
id = "hn-exports-2024-h1"
name = "Export turnover"
region = "Hà Nội"
period = "2024-H1"
value = 8_900_000_000
unit = "USD"
basis = "level"
sources = ["src-hanoi"]

[[indicator]]
id = "hn-grdp-2024-h1"
name = "Gross Regional Domestic Product"
region = "Hà Nội"
period = "2024-H1"
value = 6
unit = "%"
basis = "yoy"
sources = ["src-hanoi"]

[[indicator]]
id = "hn-fdi-2024-h1"
name = "Foreign direct investment"
region = "Hà Nội"
period = "2024-H1"
value = 1_165_000_000
unit = "USD"
basis = "level"
sources = ["src-hanoi"]

[[indicator]]
id = "vn-semiconductor-output-2023"
name = "Semiconductor output"
period = "2023"
value = 1165
unit = "count"
basis = "level"
sources = ["src-hanoi"]
note = "[bold]not bold[/] :smile: \\u001b[31mred"

[[company]]
id = "neweb-vietnam"
name = "Neweb Vietnam"
type = "company"
country = "Vietnam"
location = "Hà Nam"
sector = "communications equipment"
sources = ["src-hanoi"]

[[company]]
id = "moit"
name = "Ministry of Industry and Trade"
name_vi = "Bộ Công Thương"
aliases = ["MoIT"]
type = "ministry"
description = "Ministry in charge of industry, trade and information."
country = "Vietnam"
sources = ["src-briefing"]

[[project]]
id = "neweb-plant"
name = "Neweb Vietnam factory"
owner = "neweb-vietnam"
location = "Hà Nam"
site = "Đồng Văn III Industrial Park"
investments = [
  { amount = 60_000_000, currency = "USD", date = "2020", kind = "initial" },
  { amount = 30_000_000, currency = "USD", date = "2025", kind = "additional" },
]
sources = ["src-hanoi"]

[[partnership]]
id = "vn-us-csp"
name = "Vietnam-US Comprehensive Strategic Partnership"
parties = ["Vietnam", "United States"]
kind = "comprehensive-strategic-partnership"
date = "2023-09-10"
sources = ["src-hanoi"]
'''

ALIASES = '''
[[alias]]
names = ["Hà Nội", "Hanoi", "Ha Noi"]

[[alias]]
names = ["United States", "US", "USA"]

[[alias]]
names = ["IIP", "Index of Industrial Production"]

[[alias]]
names = ["PMI", "Purchasing Managers' Index"]

[[alias]]
names = ["yoy", "year-on-year", "y/y"]

[[merger]]
from = "Hà Nam"
into = "Ninh Bình"
effective = "2025-07-01"
'''


@pytest.fixture(scope="session")
def prebuilt_index(tmp_path_factory) -> Path:
    """The bundled facts indexed once per session, as the wheel's build hook does (a checkout ships
    no index): every test's new cache adopts it instead of reading the bundled TOML again."""
    from vnecon.load.layers import bundled_dir
    from vnecon.search.prebuild import build

    out = tmp_path_factory.mktemp("prebuilt") / "_prebuilt.sqlite"
    build(bundled_dir(), out)
    return out


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch, prebuilt_index):
    """Never touch the real home: data, config and cache live in tmp_path."""
    monkeypatch.setenv("VNECON_PREBUILT", str(prebuilt_index))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("VNECON_FACTS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    # Links (OSC 8) follow the terminal a test runs in: as on an unknown terminal, none unless a test asks.
    for var in ("FORCE_HYPERLINK", "VNECON_NO_LINKS", "TERM_PROGRAM", "VTE_VERSION", "WT_SESSION",
                "KONSOLE_VERSION", "DOMTERM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


SEED_FACTS = Path(__file__).resolve().parent / "fixtures" / "seed-facts"


@pytest.fixture
def facts_dir(tmp_path) -> Path:
    d = tmp_path / "facts"
    write(d / "facts.toml", FIXTURE)
    write(d / "aliases.toml", ALIASES)
    return d


@pytest.fixture
def cli(capsys, facts_dir):
    """Run vnecon on the fixture facts only; returns (exit code, stdout, stderr)."""

    def run(*args: str, bundled: bool = False, seed: bool = False) -> tuple[int, str, str]:
        """bundled: the facts vnecon ships; seed: the frozen copy of the first 228 (tests/fixtures)."""
        argv = list(args)
        if seed:
            argv += ["--no-bundled", "--facts", str(SEED_FACTS)]
        elif not bundled and argv and argv[0] not in ("cache", "paths", "new"):
            argv += ["--no-bundled", "--facts", str(facts_dir)]
        return run_main(argv, capsys)

    return run


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the command line in-process; (exit code, stdout, stderr)."""
    try:
        main(argv)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys):
    """Run vnecon on the demonstration series data only (tests/demo_series.py)."""
    from demo_series import write_demo

    d = tmp_path / "demo"
    write_demo(d)
    return lambda *args: run_main([*args, "--no-bundled", "--facts", str(d)], capsys)
