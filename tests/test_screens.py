"""Screens a person reads (issue 23): what a terminal of 80 or 120 columns shows.

Each test runs `python -m vnecon` in a pseudo-terminal, as a person would, and
asserts on the text that reaches the screen.  Nothing is timed.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import write

from vnecon.core.periods import schema_period
from vnecon.output.screen import items_that_fit, lines_in, pager_command


def screen(args: list[str], cols: int | str = 80, rows: int = 40, **env: str) -> str:
    """What a terminal of cols x rows shows for `vnecon ARGS` (stdout and stderr, as a person sees them)."""
    return on_screen(args, cols, rows, **env)[0]


def on_screen(args: list[str], cols: int | str = 80, rows: int = 40, **env: str) -> tuple[str, int]:
    """screen(), and the command's exit status."""
    environ = {k: v for k, v in os.environ.items() if k not in ("PAGER", "VNECON_PAGER", "LESS")}
    environ.update({"COLUMNS": str(cols), "LINES": str(rows), "TERM": "xterm", "NO_COLOR": "1", **env})
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, on the terminal
        try:
            os.execve(sys.executable, [sys.executable, "-m", "vnecon", *args], environ)
        finally:
            os._exit(127)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the command ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), os.waitstatus_to_exitcode(status)


def piped(args: list[str], **env: str) -> str:
    environ = dict(os.environ, **env)
    return subprocess.run([sys.executable, "-m", "vnecon", *args], check=False, capture_output=True, text=True,
                          env=environ, stdin=subprocess.DEVNULL).stdout


def fact(i: int, name: str, **fields: str) -> str:
    extra = "".join(f'{k} = "{v}"\n' for k, v in fields.items())
    return (f'[[indicator]]\nid = "f-{i}"\nname = "{name}"\nperiod = "2024-07"\nvalue = {i + 1}\nunit = "%"\n'
            f'basis = "yoy"\nsources = ["src"]\n{extra}\n')


SOURCE = '[[source]]\nid = "src"\npublisher = "GSO"\ntitle = "Socio-economic situation"\ndate = "2024-08-06"\n\n'


@pytest.fixture
def weak_facts(tmp_path):
    d = tmp_path / "weak"
    write(d / "facts.toml", SOURCE + fact(0, "Purchasing Managers' Index", sector="manufacturing")
          + fact(1, "Index of Industrial Production") + fact(2, "Consumer Price Index")
          + fact(3, "Crude oil output"))
    return ["--no-bundled", "--facts", str(d)]


@pytest.mark.parametrize("cols", [80, 120])
def test_weak_matches_fold_into_one_line(weak_facts, cols):
    shown = screen(["search", "purchasing", "managers", "index", *weak_facts], cols=cols)
    assert "Purchasing Managers' Index" in shown
    assert "Industrial" not in shown and "Consumer" not in shown and "Crude oil" not in shown
    assert "1 result; 2 weaker matches (only some of the words) not shown: --all shows them" in shown


def test_all_shows_the_weak_matches_too(weak_facts):
    shown = screen(["search", "purchasing", "managers", "index", "--all", *weak_facts])
    for name in ("Purchasing Managers' Index", "Index of Industrial Production", "Consumer Price Index"):
        assert name in shown
    assert "weaker" not in shown


def test_a_pipe_gets_every_match(weak_facts):
    out = piped(["search", "purchasing", "managers", "index", *weak_facts])
    assert sorted(line.split(",")[0] for line in out.splitlines()[1:]) == ["f-0", "f-1", "f-2"]


def test_only_weak_matches_are_the_answer(weak_facts):
    shown = screen(["search", "crude", "consumer", *weak_facts])
    assert "Crude oil output" in shown and "Consumer Price Index" in shown
    assert "weaker" not in shown


@pytest.fixture
def many_facts(tmp_path):
    d = tmp_path / "many"
    write(d / "facts.toml", SOURCE + "".join(fact(i, f"Export turnover of product group {i:02d}")
                                             for i in range(30)))
    return ["--no-bundled", "--facts", str(d)]


def stdout_lines(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if line and not line.startswith("vnecon:")]


@pytest.mark.parametrize("cols", [80, 120])
def test_never_more_rows_than_fit_on_the_terminal(many_facts, cols):
    shown = screen(["indicators", *many_facts], cols=cols, rows=20, PATH="/nonexistent")  # no pager at all
    table = stdout_lines(shown)
    assert len(table) <= 20 - 3
    n = sum(1 for line in table if line.startswith("f-"))
    assert 0 < n < 30
    assert f"vnecon: {n} of 30 indicators shown, as many as fit on the screen (no pager: PAGER is not set and " \
           "less is not installed): --all shows every one" in shown


def test_asking_for_all_rows_shows_them(many_facts):
    for asked in (["--all"], ["--limit", "25"]):
        shown = screen(["indicators", *asked, *many_facts], rows=20, PATH="/nonexistent")
        assert sum(1 for line in stdout_lines(shown) if line.startswith("f-")) == (30 if asked == ["--all"] else 25)


@pytest.mark.parametrize("var", ["PAGER", "VNECON_PAGER"])
def test_a_pager_shows_a_long_table(many_facts, var):
    shown = screen(["indicators", *many_facts], rows=20, **{var: "sed s/^/paged:/"})
    assert sum(1 for line in shown.splitlines() if line.startswith("paged:f-")) == 30
    assert "vnecon: 30 indicators" in shown


def test_vnecon_pager_wins_and_cat_means_no_pager(many_facts):
    shown = screen(["indicators", *many_facts], rows=20, PAGER="sed s/^/paged:/", VNECON_PAGER="cat")
    assert "paged:" not in shown
    assert sum(1 for line in stdout_lines(shown) if line.startswith("f-")) == 30


def test_a_short_table_is_not_paged(weak_facts):
    shown = screen(["indicators", *weak_facts], PAGER="sed s/^/paged:/")
    assert "paged:" not in shown and "Crude oil output" in shown


@pytest.mark.parametrize("pager", ["false", "less (", "exit 3"])
def test_a_pager_that_fails_leaves_the_answer_on_the_terminal(many_facts, pager):
    # Before (issue 37): PAGER=false, or a PAGER the shell cannot parse, swallowed the whole answer,
    # exit 0 and no message.  Now the answer is printed and stderr says the pager failed.
    shown, code = on_screen(["indicators", *many_facts], rows=20, PAGER=pager)
    assert sum(1 for line in stdout_lines(shown) if line.startswith("f-")) == 30, shown
    assert f"vnecon: warning: the pager ({pager}) failed with exit status" in shown
    assert code == 0


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "", "99999999999999999999"])
def test_columns_of_zero_or_nonsense_falls_back_to_80(many_facts, weak_facts, columns):
    # Before (issue 37): COLUMNS=0 printed tables with no rows (search showed only the legend,
    # series nothing), exit 0.  The pseudo-terminal here has no size of its own, so 80 it is.
    for args in (["indicators", "--all", *many_facts], ["search", "index", *weak_facts],
                 ["series", "Export turnover of product group 01", *many_facts]):
        shown, code = on_screen(args, cols=columns, rows=100)
        assert code == 0, shown
        rows = [line for line in stdout_lines(shown) if "f-" in line or "2024-07" in line]
        assert rows, (args, shown)
        assert max(len(line) for line in shown.splitlines()) <= 80, shown


def test_no_pager_in_a_pipe(many_facts):
    out = piped(["indicators", "--format", "table", *many_facts], PAGER="sed s/^/paged:/", LINES="20")
    assert "paged:" not in out
    assert sum(1 for line in out.splitlines() if line.startswith("f-")) == 30


def test_pager_command_and_fitting_are_plain_functions():
    assert pager_command({"PAGER": "less", "VNECON_PAGER": "most"}) == "most"
    assert pager_command({"PAGER": "cat"}) == ""
    assert pager_command({"PATH": "/nonexistent"}) is None  # no PAGER, no less: no pager at all

    def draw(items, out):
        out.writelines(f"{x}\n{x}\n" for x in items)

    assert items_that_fit(draw, list(range(10)), 7) == 3
    assert items_that_fit(draw, list(range(10)), 1) == 1  # at least one, however small the screen
    assert lines_in("a\nb") == 2


# ---- vnecon show: hanging indents, sources as citations --------------------

LONG_NOTE = ("Quoted by the Deputy Minister at the regular government press conference; the best reading since "
             "November 2018, with new orders up for the fourth month in a row and input prices rising faster.")


@pytest.fixture
def show_facts(tmp_path):
    d = tmp_path / "a-rather-long-directory-name-for-fact-files" / "another-level-of-folders"
    write(d / "facts.toml", f'''
        [[source]]
        id = "src"
        publisher = "Vietnam News Agency"
        title = "Manufacturing activity in Vietnam expands at the fastest pace since November 2018"
        date = "2024-08-05"
        url = "https://example.org/economy/industry/manufacturing-activity-expands-fastest-since-2018.html"
        document = "000_63fa5d1c59a609fb.txt"

        [[indicator]]
        id = "vn-pmi-2024-07"
        name = "Purchasing Managers' Index"
        period = "2024-07"
        value = 54.7
        unit = "points"
        basis = "level"
        sources = ["src"]
        note = "{LONG_NOTE}"
        ''')
    return ["--no-bundled", "--facts", str(d)]


@pytest.mark.parametrize("cols", [80, 120])
def test_show_wraps_with_hanging_indents(show_facts, cols):
    shown = screen(["show", "vn-pmi-2024-07", *show_facts], cols=cols)
    lines = shown.splitlines()
    assert all(len(line) <= cols or line.strip().startswith("https://") for line in lines)  # a URL stays whole
    headings = {"Purchasing Managers' Index  [indicator vn-pmi-2024-07]", "Sources"}
    assert all(line in headings for line in lines if line and not line.startswith(" "))  # never column 0
    assert any(line.startswith("  defined at  ") for line in lines)
    note = lines[lines.index(next(x for x in lines if x.startswith("  note"))):]
    assert note[0].startswith("  note        Quoted by")
    assert note[1].startswith(" " * 14) and note[1][14] != " "  # lined up under the first line's text
    joined = " ".join(line.strip() for line in lines)
    assert "November 2018, with new orders" in joined and "rising faster." in joined


@pytest.mark.parametrize("cols", [80, 120])
def test_show_prints_a_source_as_a_citation(show_facts, cols):
    shown = screen(["show", "vn-pmi-2024-07", *show_facts], cols=cols)
    block = shown[shown.index("\nSources\n"):]
    text = " ".join(line.strip() for line in block.splitlines())
    assert ('Vietnam News Agency, "Manufacturing activity in Vietnam expands at the fastest pace since November '
            '2018", 2024-08-05') in text
    assert "https://example.org/economy/industry/manufacturing-activity-expands-fastest-since-2018.html" in \
        "".join(line.strip() for line in block.splitlines())
    assert "000_63fa5d1c59a609fb.txt" not in shown  # a file name is not a citation
    assert all(line.startswith("  ") for line in block.splitlines()[2:] if line)


def test_show_in_a_pipe_keeps_lines_whole_and_cites(show_facts):
    out = piped(["show", "vn-pmi-2024-07", *show_facts])
    assert f"  note        {LONG_NOTE}\n" in out
    assert "  src  Vietnam News Agency, \"Manufacturing activity" in out
    assert "\n       https://example.org/economy/" in out


# ---- series and compare: one layout per output; a legend that wraps between words -------------

def point(fid: str, name: str, period: str, value: float, trust: str = "reported", region: str = "Vietnam") -> str:
    return (f'[[indicator]]\nid = "{fid}"\nname = "{name}"\nregion = "{region}"\nperiod = "{period}"\n'
            f'value = {value}\nunit = "%"\nbasis = "yoy"\ntrust = "{trust}"\nsources = ["src"]\n\n')


@pytest.fixture
def series_facts(tmp_path):
    d = tmp_path / "series"
    long_id = "vn-retail-sales-consumer-goods-2024-month"
    write(d / "facts.toml", SOURCE
          + "".join(point(f"rs-{m}", "Retail sales", f"2024-0{m}", 8 + m) for m in (1, 2, 3))
          + "".join(point(f"{long_id}-{m}", "Retail sales", f"2024-0{m}", 7 + m, region="Hà Nội")
                    for m in (1, 2, 3))
          + point("iip-1", "Industrial output", "2024-01", 18.3, "derived")
          + point("iip-2", "Industrial output", "2024-02", 5.7, "inferred")
          + point("iip-3", "Industrial output", "2024-03", 4.1, "doubtful")
          + point("iip-4", "Industrial output", "2024-04", 6.0, "draft"))
    return ["--no-bundled", "--facts", str(d)]


def test_series_blocks_share_one_layout_at_80_columns(series_facts):
    shown = screen(["series", "retail", "sales", *series_facts], cols=80)
    assert all(len(line) <= 80 for line in shown.splitlines())
    # Both blocks the same way: a header row each, and ids in the same column, not an ID column in one
    # block and the id under the source in the other.
    assert shown.count("Period") == 2
    heads = [line for line in shown.splitlines() if line.startswith("Period")]
    assert len(set(heads)) == 1 and "ID" not in heads[0]
    ids = [line for line in shown.splitlines() if "rs-1" in line or "vn-retail-sales-consumer-goods" in line]
    assert len({line.index(line.strip()) for line in ids}) == 1


@pytest.mark.parametrize("cols", [80, 120])
def test_the_marks_legend_wraps_between_words(series_facts, cols):
    from vnecon.output.markers import legend

    whole = legend(["derived", "inferred", "doubtful", "draft"])
    assert len(whole) > 120
    for args in (["series", "industrial", "output"], ["indicators", "--name", "industrial"]):
        lines = screen([*args, *series_facts], cols=cols).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Marks: "))
        end = next(i for i, line in enumerate(lines) if line.startswith("vnecon:"))
        shown = lines[start:end]
        assert len(shown) > 1 and all(len(x) <= cols for x in shown)
        assert all(x.startswith("       ") for x in shown[1:])  # hanging under "Marks: "
        assert " ".join(shown).split() == whole.split()  # every break between two words, none inside one


@pytest.fixture
def compare_facts(tmp_path):
    d = tmp_path / "compare"
    write(d / "facts.toml", SOURCE + point("trade-2022", "Bilateral trade growth", "2022", 11.0)
          + point("vn-us-bilateral-trade-growth-year-on-year-2024-revised", "Bilateral trade growth", "2024", 19.4))
    return ["--no-bundled", "--facts", str(d)]


@pytest.mark.parametrize("cols", [80, 120])
def test_compare_prints_a_and_b_in_one_layout(compare_facts, cols):
    shown = screen(["compare", "trade-2022", "vn-us-bilateral-trade-growth-year-on-year-2024-revised",
                    *compare_facts], cols=cols)
    lines = shown.splitlines()
    a = next(i for i, line in enumerate(lines) if line.startswith("  A  "))
    b = next(i for i, line in enumerate(lines) if line.startswith("  B  "))
    if "trade-2022" in lines[a]:  # one line each, or...
        assert "vn-us-bilateral-trade-growth-year-on-year-2024-revised" in lines[b]
    else:  # ...the figure on a line, its source and id under it, for both
        assert b - a == 3 and lines[a + 2].strip() == "trade-2022"
    assert all(len(line) <= cols for line in lines)


# ---- vnecon --help --------------------------------------------------------

@pytest.mark.parametrize("cols", [80, 120])
def test_help_gives_every_command_summary_whole(cols):
    from vnecon.cli.spec import COMMANDS

    shown = screen(["--help"], cols=cols)
    commands = shown[shown.index("\nCommands:\n"):]
    assert "..." not in commands.replace("FDI, ...)", "")  # a summary's own "..." is not a cut
    assert all(len(line) <= cols for line in commands.splitlines())
    text = " ".join(commands.split())
    for command in COMMANDS.values():
        assert f"{command.name} {' '.join(command.doc.strip().splitlines()[0].split())}" in text


# ---- kinds mixed in one table ------------------------------------------------

@pytest.mark.parametrize("cols", [80, 120])
def test_mixed_kinds_each_record_visibly_one_with_values_only_in_value(facts_dir, cols):
    shown = screen(["search", "vietnam", "--all", "--no-bundled", "--facts", str(facts_dir)], cols=cols, rows=80)
    lines = shown.splitlines()
    assert lines[0].split()[:3] == ["What", "Value", "When"]
    value_at = lines[0].index("Value") + len("Value")  # the Value column ends here (right-aligned)
    assert " ".join(shown.split()).count("parties: Vietnam, United States") == 1
    assert "sector: communications" in shown
    for line in lines:  # parties and sectors are never in the Value column
        assert "United States" not in line[value_at - 30:value_at] or "parties:" in line
    # records separated by a blank line: before each record's first line (its name) but the first
    names = ("Neweb Vietnam", "Vietnam-US Comprehensive", "Index of Industrial Production")
    firsts = [i for i, line in enumerate(lines) if line.startswith(names) and not line.startswith("Neweb Vietnam f")]
    assert len(firsts) >= 3
    assert all(lines[i - 1] == "" for i in firsts if i > 2)


def test_one_kind_tables_keep_records_together(facts_dir):
    shown = screen(["indicators", "--no-bundled", "--facts", str(facts_dir)], rows=80)
    table = shown[:shown.index("vnecon:")]
    assert "\n\n" not in table.strip()


# ---- completion, errors, help topics ------------------------------------------

def test_bash_completion_of_a_value_with_spaces_is_one_word(tmp_path):
    """Through bash's own protocol: the script vnecon prints, COMP_WORDS/COMP_CWORD, COMPREPLY."""
    script = tmp_path / "complete.sh"
    script.write_text('eval "$(vnecon --show-completion bash)"\n'
                      'COMP_WORDS=(vnecon indicators --region ha); COMP_CWORD=3\n'
                      '_vnecon_completion vnecon\n'
                      'for c in "${COMPREPLY[@]}"; do eval "set -- vnecon indicators --region $c"; '
                      'echo "$#|$4"; done\n', encoding="utf-8")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    out = subprocess.run(["bash", str(script)], check=False, capture_output=True, text=True, env=env).stdout
    assert "4|ha noi" in out.splitlines()  # one argument, the whole place name
    assert all(line.startswith("4|") for line in out.splitlines())


def test_completion_for_other_shells_is_left_as_is():
    from vnecon.cli.options import for_shell

    assert for_shell("ha noi", "complete_bash") == "ha\\ noi"
    assert for_shell("ha noi", "complete_zsh") == "ha noi"
    assert for_shell("Bà Rịa–Vũng Tàu", "complete_bash") == "Bà\\ Rịa\\–Vũng\\ Tàu"


def test_bare_vnecon_prints_the_help_and_exits_0(capsys):
    from conftest import run_main

    code, out, err = run_main([], capsys)
    assert code == 0 and err == ""
    assert out.startswith("Usage: vnecon") and "Commands:" in out


@pytest.mark.parametrize(("argv", "line"), [
    (["search", "x", "--bogus"], ("vnecon: error: no such option: --bogus; did you mean --bom? "
                                 "(see 'vnecon search --help')")),
    (["indicators", "--regoin", "x"], ("vnecon: error: no such option: --regoin; did you mean --region? "
                                      "(see 'vnecon indicators --help')")),
    (["serch", "x"], "vnecon: error: no such command 'serch'; did you mean 'search', 'fetch'? (see 'vnecon --help')"),
    (["search"], "vnecon: error: missing argument 'WORDS...' (see 'vnecon search --help')"),
])
def test_every_usage_error_in_one_style(capsys, argv, line):
    from conftest import run_main

    code, out, err = run_main(argv, capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [line]  # one line, no "Usage:" block, no "Error:"


def test_help_lists_its_topics(capsys):
    from conftest import run_main

    code, out, _ = run_main(["help"], capsys)
    assert code == 0
    for topic in ("environment", "exit-codes", "formatting", "periods"):
        assert f"\n  {topic}" in out


@pytest.mark.parametrize("cols", [80, 120])
@pytest.mark.parametrize("topic", ["environment", "exit-codes", "formatting", "periods"])
def test_help_topics_fit_the_terminal(topic, cols):
    shown = screen(["help", topic], cols=cols)
    assert len(shown.splitlines()) > 3
    assert all(len(line) <= cols for line in shown.splitlines())


def test_help_topics_say_what_they_are_about(capsys):
    from conftest import run_main

    _, out, _ = run_main(["help", "environment"], capsys)
    assert "VNECON_PAGER, PAGER" in out and "NO_COLOR" in out
    _, out, _ = run_main(["help", "exit-codes"], capsys)
    assert "130" in out and "usage error" in out


def test_every_period_the_help_shows_is_read(capsys):
    from conftest import run_main

    from vnecon.cli.helptopics import TOPICS

    _, out, _ = run_main(["help", "periods"], capsys)
    for term, text in (item for item in TOPICS["periods"][1] if isinstance(item, tuple)):
        assert term in out
        for example in text.split(" (")[0].split(", "):
            if example[:1].isdigit() or any(c.isdigit() for c in example):
                if example in ("July 5", "2024"):  # 'July 5, 2024' split at its comma
                    continue
                assert schema_period(example) is not None, example


def test_help_on_a_command_or_an_unknown_topic(capsys):
    from conftest import run_main

    code, out, _ = run_main(["help", "search"], capsys)
    assert code == 0 and out.startswith("Usage: vnecon search")
    code, out, err = run_main(["help", "peroids"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("vnecon: error: no help topic 'peroids'; did you mean periods")


def test_a_table_in_a_pipe_folds_nothing(weak_facts):
    out = piped(["search", "purchasing", "managers", "index", "--format", "table", *weak_facts])
    assert "Purchasing Managers' Index" in out and "Consumer Price Index" in out
