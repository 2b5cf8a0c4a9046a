"""The query CLI against the small fixture tree: commands, formats, exit codes."""

from __future__ import annotations

import csv
import os
import io
import json
import subprocess
import sys

import pytest



def ids_csv(out: str) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(out))]


# ---- search ---------------------------------------------------------------

def test_search_puts_fact_matching_every_word_first(cli):
    code, out, err = cli("search", "ha", "noi", "exports")
    assert code == 0
    assert ids_csv(out)[0] == "hn-exports-2024-h1"
    assert err == ""


@pytest.mark.parametrize("query", ["Ha Noi", "hà nội", "HÀ NỘI", "ha\u0300 no\u0302\u0323i", "Hanoi"])
def test_search_folds_case_diacritics_nfd_and_aliases(cli, query):
    code, out, _ = cli("search", query, "--kind", "indicator")
    assert code == 0
    # Facts in Hà Nội first; a fact merely citing a "Hanoi ..." headline comes after.
    assert set(ids_csv(out)[:3]) == {"hn-exports-2024-h1", "hn-grdp-2024-h1", "hn-fdi-2024-h1"}


def test_search_d_with_stroke_folds_to_d(cli):
    code, out, _ = cli("search", "dong", "van")
    assert code == 0 and ids_csv(out)[0] == "neweb-plant"


def test_search_new_province_finds_old_name_and_shows_it(cli):
    code, out, _ = cli("search", "ninh", "binh", "--kind", "project", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data[0]["id"] == "neweb-plant" and data[0]["location"] == "Hà Nam"


def test_search_typo_is_corrected_and_said_on_stderr(cli):
    code, out, err = cli("search", "semicondutor")
    assert code == 0
    assert "vn-semiconductor-output-2023" in ids_csv(out)
    assert 'showing results for "semiconductor"' in err


def test_search_abbreviation_and_basis_words(cli):
    _, out, _ = cli("search", "iip", "year-on-year")
    assert ids_csv(out)[0] == "vn-iip-2024-07-yoy"
    _, out, _ = cli("search", "Index", "of", "Industrial", "Production", "y/y")
    assert ids_csv(out)[0] == "vn-iip-2024-07-yoy"


@pytest.mark.parametrize("words,expected", [
    (["july", "2024"], {"vn-pmi-2024-07", "vn-iip-2024-07-mom", "vn-iip-2024-07-yoy"}),
    (["h1", "2024"], {"hn-exports-2024-h1", "hn-grdp-2024-h1", "hn-fdi-2024-h1"}),
    (["2023"], {"vn-semiconductor-output-2023", "vn-us-csp"}),
])
def test_search_periods_match_by_period(cli, words, expected):
    code, out, _ = cli("search", *words, "--kind", "indicator" if "2023" not in words else "indicator")
    got = set(ids_csv(out))
    assert expected & got == expected - {"vn-us-csp"}


def test_search_period_with_words_ranks_that_period_first(cli):
    _, out, _ = cli("search", "iip", "july", "2024", "--kind", "indicator")
    assert set(ids_csv(out)[:2]) == {"vn-iip-2024-07-mom", "vn-iip-2024-07-yoy"}


def test_search_exact_id_comes_first(cli):
    _, out, _ = cli("search", "moit")
    assert ids_csv(out)[0] == "moit"


def test_search_nothing_exits_1_and_csv_still_has_header(cli):
    code, out, _ = cli("search", "zzzzqqqq")
    assert code == 1
    assert out.splitlines() == ["id,kind,name,value,unit,basis,trust,period,period_start,period_end,region,date,date_start,date_end,sources,source_publisher,source_title,source_url,source_date,vintage_date,revised,match"]


def test_search_limit(cli):
    _, out, _ = cli("search", "hanoi", "--limit", "1")
    assert len(ids_csv(out)) == 1


# ---- listings ---------------------------------------------------------------

def test_indicators_list_all_without_filters(cli):
    code, out, _ = cli("indicators")
    assert code == 0 and len(ids_csv(out)) == 7


def test_indicators_region_filter_uses_aliases(cli):
    for region in ("hanoi", "Ha Noi", "HÀ NỘI"):
        _, out, _ = cli("indicators", "--region", region)
        assert set(ids_csv(out)) == {"hn-exports-2024-h1", "hn-grdp-2024-h1", "hn-fdi-2024-h1"}


def test_period_filters_are_period_aware(cli):
    _, out, _ = cli("indicators", "--period", "2024")
    assert len(ids_csv(out)) == 6  # 2024-07 and 2024-H1 are within 2024
    _, out, _ = cli("indicators", "--period", "2024-H1")
    assert set(ids_csv(out)) == {"hn-exports-2024-h1", "hn-grdp-2024-h1", "hn-fdi-2024-h1"}
    _, out, _ = cli("indicators", "--since", "2024-07")
    assert set(ids_csv(out)) == {"vn-pmi-2024-07", "vn-iip-2024-07-mom", "vn-iip-2024-07-yoy"}
    _, out, _ = cli("indicators", "--until", "2023")
    assert ids_csv(out) == ["vn-semiconductor-output-2023"]


def test_bad_since_is_a_usage_error(cli):
    code, out, err = cli("indicators", "--since", "last tuesday")
    assert code == 2 and out == ""
    assert "--since: 'last tuesday' is not a period" in err


def test_sort_descending_and_limit(cli):
    _, out, _ = cli("indicators", "--basis", "level", "--unit", "usd", "--sort=-value", "--limit", "2")
    assert ids_csv(out) == ["hn-exports-2024-h1", "hn-fdi-2024-h1"]
    code, _, err = cli("indicators", "--sort", "colour")
    assert code == 2 and "no field 'colour'" in err


def test_basis_and_name_filters_use_aliases(cli):
    _, out, _ = cli("indicators", "--name", "iip", "--basis", "year-on-year")
    assert ids_csv(out) == ["vn-iip-2024-07-yoy"]


def test_companies_projects_partnerships_sources(cli):
    assert ids_csv(cli("companies", "--type", "ministry")[1]) == ["moit"]
    assert ids_csv(cli("projects", "--location", "Ninh Binh")[1]) == ["neweb-plant"]
    assert ids_csv(cli("projects", "--owner", "neweb-vietnam")[1]) == ["neweb-plant"]
    assert ids_csv(cli("partnerships", "--party", "USA")[1]) == ["vn-us-csp"]
    assert ids_csv(cli("sources", "--since", "2024-08")[1]) == ["src-briefing"]


def test_listing_with_no_match_exits_1(cli):
    code, out, _ = cli("companies", "--country", "Atlantis")
    assert code == 1 and out.startswith("id,kind,name")


def test_unknown_kind_and_option_are_usage_errors(cli):
    assert cli("search", "x", "--kind", "widget")[0] == 2
    assert cli("indicators", "--colour", "red")[0] == 2


# ---- formats ----------------------------------------------------------------

def test_csv_is_raw_and_rfc4180(cli):
    _, out, _ = cli("indicators", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["hn-exports-2024-h1"]["value"] == "8900000000"
    assert rows["vn-pmi-2024-07"]["value"] == "54.7"
    assert rows["vn-pmi-2024-07"]["name_vi"] == "Chỉ số Nhà quản trị mua hàng"
    assert "\r\n" not in out and not out.startswith("\ufeff")


def test_bom_option(cli):
    _, out, _ = cli("indicators", "--format", "csv", "--bom")
    assert out.startswith("\ufeffid,")


def test_tsv_and_jsonl_and_markdown(cli):
    _, out, _ = cli("projects", "--format", "tsv")
    header, row = out.splitlines()
    assert header.split("\t")[:3] == ["id", "kind", "name"]
    cells = dict(zip(header.split("\t"), row.split("\t")))
    assert json.loads(cells["investments"])[1] == {"amount": 30000000, "currency": "USD", "date": "2025",
                                                   "kind": "additional"}
    assert cells["investment_total"] == "90000000" and cells["investment_currency"] == "USD"
    _, out, _ = cli("indicators", "--format", "jsonl")
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == 7 and all(o["kind"] == "indicator" for o in objs)
    _, out, _ = cli("indicators", "--region", "hanoi", "--format", "markdown")
    assert out.splitlines()[0].startswith("| Indicator | Value | Period |") and "US$8.9 bn" in out


def test_json_has_every_field_as_json_types(cli):
    _, out, _ = cli("search", "pmi", "--format", "json")
    first = json.loads(out)[0]
    assert first == {
        "id": "vn-pmi-2024-07", "kind": "indicator", "name": "Purchasing Managers' Index",
        "name_vi": "Chỉ số Nhà quản trị mua hàng", "region": "Vietnam", "period": "2024-07",
        "period_start": "2024-07-01", "period_end": "2024-07-31",
        "value": 54.7, "unit": "points", "basis": "level", "sources": ["src-briefing"],
        "source_publisher": "VNA", "source_title": "Industrial production on the mend",
        "source_url": "https://example.org/src-briefing", "source_date": "2024-08-05", "vintage_date": "2024-08-05", "revised": False, "match": "exact", "tags": ["PMI"], "trust": "reported",
    }


def test_table_is_human_readable(cli):
    _, out, _ = cli("indicators", "--format", "table")
    assert "54.7 pts" in out and "+11.2%" in out and "US$8.9 bn" in out and "US$1.165 bn" in out
    assert "1,165" in out and "VNA" in out and "2024-08-05" in out and "2024-H1" in out


def test_markup_and_control_characters_are_data(cli):
    _, out, _ = cli("show", "vn-semiconductor-output-2023", "--format", "text")
    assert "[bold]not bold[/] :smile: \\x1b[31mred" in out and "\x1b" not in out
    _, out, _ = cli("indicators", "--format", "json")
    note = [o for o in json.loads(out) if o["id"] == "vn-semiconductor-output-2023"][0]["note"]
    assert note == "[bold]not bold[/] :smile: \x1b[31mred"
    _, out, _ = cli("search", "semiconductor", "output", "--format", "table")
    assert "\x1b" not in out


# ---- show -------------------------------------------------------------------

def test_show_cites_sources_and_links(cli):
    code, out, _ = cli("show", "neweb-vietnam")
    assert code == 0
    assert "Viet Nam News" in out and "Hanoi semiconductor investment day" in out and "2024-07-29" in out
    assert "neweb-plant" in out  # its project


def test_show_json(cli):
    _, out, _ = cli("show", "neweb-plant", "--format", "json")
    data = json.loads(out)
    assert data["owner"] == "neweb-vietnam" and data["related"]["owner"] == ["neweb-vietnam"]


def test_show_unknown_id_suggests_closest(cli):
    code, out, err = cli("show", "vn-pmi-2024-7")
    assert code == 1 and out == ""
    assert "did you mean: vn-pmi-2024-07" in err


# ---- help, completion, pipes ------------------------------------------------

@pytest.mark.parametrize("command", ["search", "indicators", "companies", "projects", "partnerships",
                                     "sources", "show", "check", "paths", "new", "cache clear"])
def test_every_command_has_help_with_an_example(capsys, command):
    from vnecon.cli.entry import main

    with pytest.raises(SystemExit) as e:
        main([*command.split(), "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "Example" in out and "vnecon " in out


def test_closed_pipe_is_quiet(facts_dir, tmp_path):
    """`vnecon indicators | head -0`: the reader is gone before we write."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c"),
           "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vnecon", "search", "hanoi", "--no-bundled", "--facts", str(facts_dir),
         "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    proc.stdout.close()  # the reader has closed the pipe before vnecon writes
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert err == b""
    assert proc.returncode == 0


def test_head_on_a_big_output_is_quiet(facts_dir, tmp_path):
    many = "\n".join(
        f'[[indicator]]\nid = "x{i}"\nname = "Filler"\nperiod = "2024"\nvalue = {i}\nunit = "count"\n'
        f'basis = "level"\nsources = ["src-hanoi"]\n' for i in range(3000))
    (facts_dir / "many.toml").write_text(many)
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "c"), "HOME": str(tmp_path)}
    cmd = (f"{sys.executable} -m vnecon indicators --no-bundled --facts {facts_dir} --format csv | head -1")
    result = subprocess.run(["bash", "-c", cmd], capture_output=True, env=env, timeout=120)
    assert result.stdout.decode().strip() == ("id,kind,name,name_vi,region,period,period_start,period_end,value,"
                                              "value_max,unit,basis,qualifier,sector,partner,product,hs_code,revises,sources,source_publisher,"
                                              "source_title,source_url,source_date,vintage_date,revised,tags,note,trust")
    assert result.stderr == b""


def test_show_completes_fact_ids(facts_dir, monkeypatch):
    from vnecon.cli.options import _complete_ids

    monkeypatch.setenv("VNECON_FACTS", str(facts_dir))
    assert "vn-pmi-2024-07" in _complete_ids("vn-pmi")
    assert all(i.startswith("hn-") for i in _complete_ids("hn-"))


def test_partnership_kind_does_not_hide_the_fact_kind(cli):
    _, out, _ = cli("partnerships", "--format", "json")
    (p,) = json.loads(out)
    assert p["kind"] == "partnership" and p["partnership_kind"] == "comprehensive-strategic-partnership"
    _, out, _ = cli("search", "strategic", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["kind"] == "partnership"


def test_typo_correction_is_conservative(cli):
    code, out, err = cli("search", "inflation")  # one letter from nothing, three from "information"
    assert code == 1 and "showing results" not in err
    code, out, err = cli("search", "productian")
    assert code == 0 and 'showing results for "production"' in err


def test_exact_name_ranks_broadest_period_first(cli, tmp_path):
    from tests.conftest import write

    write(tmp_path / "more" / "m.toml", '''
        [[indicator]]
        id = "vn-iip-2024-ytd"
        name = "Index of Industrial Production"
        period = "2024-01/2024-11"
        value = 8.4
        unit = "%"
        basis = "yoy"
        sources = ["src-briefing"]
        note = "A long note about the figure that goes on and on, mentioning industrial production many times."
    ''')
    _, out, _ = cli("search", "iip", "2024", "--facts", str(tmp_path / "more"))
    assert ids_csv(out)[0] == "vn-iip-2024-ytd"


def test_place_itself_ranks_before_merged_old_province(cli, tmp_path):
    from tests.conftest import write

    write(tmp_path / "more" / "m.toml", '''
        [[company]]
        id = "ninh-binh-committee"
        name = "Provincial People's Committee"
        type = "committee"
        location = "Ninh Bình"
        sources = ["src-hanoi"]

        [[alias]]
        names = ["Ninh Bình", "Ninh Binh"]
    ''')
    _, out, _ = cli("search", "ninh", "binh", "--facts", str(tmp_path / "more"))
    ids = ids_csv(out)
    assert ids[0] == "ninh-binh-committee" and "neweb-plant" in ids


def test_ctrl_c_during_indexing_is_quiet(tmp_path):
    import signal
    import time

    d = tmp_path / "big"
    d.mkdir()
    (d / "s.toml").write_text('[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\ndate = "2024-01-01"\n')
    for f in range(8):  # enough TOML (> 2 MB) for the parallel build
        (d / f"f{f}.toml").write_text("".join(
            f'[[indicator]]\nid = "x{f}-{i}"\nname = "Filler indicator with a long name {i}"\nperiod = "2024"\n'
            f'value = {i}\nunit = "count"\nbasis = "level"\nsources = ["s"]\nnote = "{"padding " * 20}"\n'
            for i in range(1500)))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "vnecon", "search", "filler", "--no-bundled", "--facts", str(d)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    assert proc.returncode in (0, 130)


def test_search_reaches_facts_through_their_source_and_owner(cli):
    _, out, _ = cli("search", "mend", "--kind", "indicator")  # a word only in a source's headline
    assert set(ids_csv(out)) == {"vn-pmi-2024-07", "vn-iip-2024-07-mom", "vn-iip-2024-07-yoy"}
    _, out, _ = cli("search", "communications", "--kind", "project")  # only in the owner's sector
    assert ids_csv(out) == ["neweb-plant"]


# ---- behaviours from review ----------------------------------------------------

def test_search_csv_columns_do_not_depend_on_results(cli):
    _, one_kind, _ = cli("search", "pmi", "--limit", "1")
    _, mixed, _ = cli("search", "hanoi")
    assert one_kind.splitlines()[0] == mixed.splitlines()[0] == "id,kind,name,value,unit,basis,trust,period,period_start,period_end,region,date,date_start,date_end,sources,source_publisher,source_title,source_url,source_date,vintage_date,revised,match"
    _, out, _ = cli("search", "pmi", "--kind", "indicator")
    assert out.startswith("id,kind,name,name_vi,region,period,period_start,period_end,value")


def test_limit_zero_means_all(cli):
    _, out, _ = cli("search", "hanoi", "--limit", "0")
    assert len(ids_csv(out)) > 1
    _, out, _ = cli("indicators", "--limit", "0")
    assert len(ids_csv(out)) == 7


def test_empty_search_is_a_usage_error(cli):
    code, out, err = cli("search", "  ")
    assert code == 2 and out == "" and "at least one word" in err


def test_possessives_and_questions(cli):
    _, out, _ = cli("search", "what", "was", "vietnam's", "pmi", "in", "july", "2024")
    assert ids_csv(out)[0] == "vn-pmi-2024-07"


def test_counts_on_a_terminal_use_proper_plurals(cli, monkeypatch):
    monkeypatch.setattr("vnecon.cli.support.stdout_is_terminal", lambda: True)
    _, _, err = cli("companies", "--format", "csv")
    assert "vnecon: 2 companies" in err
    _, _, err = cli("companies", "--type", "ministry", "--format", "csv")
    assert "vnecon: 1 company" in err


def test_tsv_escapes_tabs_and_newlines(cli, tmp_path):
    from tests.conftest import write

    write(tmp_path / "more" / "m.toml", '''
        [[company]]
        id = "tabby"
        name = "Tab\\tand\\nnewline"
        type = "company"
        sources = ["src-hanoi"]
    ''')
    _, out, _ = cli("companies", "--name", "tab", "--format", "tsv", "--facts", str(tmp_path / "more"))
    header, row = out.splitlines()
    assert row.split("\t")[2] == "Tab\\tand\\nnewline"


def test_no_facts_at_all_exits_3(capsys, tmp_path):
    from vnecon.cli.entry import main

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.toml").write_text("[[indicator]\n")
    with pytest.raises(SystemExit) as e:
        main(["search", "pmi", "--no-bundled", "--facts", str(tmp_path / "bad")])
    assert e.value.code == 3 and "no facts could be loaded" in capsys.readouterr().err


def test_closed_stdout_and_full_disk(facts_dir, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c")}
    base = f"{sys.executable} -m vnecon indicators --no-bundled --facts {facts_dir}"
    closed = subprocess.run(["bash", "-c", base + " >&-"], capture_output=True, env=env, timeout=60)
    assert closed.returncode == 0 and closed.stderr == b""
    if os.path.exists("/dev/full"):
        full = subprocess.run(["bash", "-c", base + " > /dev/full"], capture_output=True, env=env, timeout=60)
        assert full.returncode == 74 and b"No space left" in full.stderr and b"Traceback" not in full.stderr


def test_check_paths_resolve_references_in_other_layers(cli, tmp_path):
    from tests.conftest import write

    mine = write(tmp_path / "mine" / "m.toml", '''
        [[indicator]]
        id = "my-figure"
        name = "Thing"
        period = "2025"
        value = 1
        unit = "count"
        basis = "levle"
        sources = ["src-hanoi"]
    ''')
    code, _, err = cli("check", str(mine))  # src-hanoi is in the --facts layer the fixture adds
    lines = err.splitlines()
    assert code == 0 and "no source" not in err
    assert any(":7:1: warning: [indicator my-figure] unusual basis 'levle': did you mean \"level\"?" in x for x in lines)
    assert lines[-1].startswith("1 fact in 1 file (1 indicator): 0 errors, 1 warning")
    code, _, err = cli("check", str(tmp_path / "nothing-here"))
    assert code == 1 and "no such file or directory" in err


def test_show_json_cites_sources_in_full(cli):
    _, out, _ = cli("show", "vn-pmi-2024-07", "--format", "json")
    cited = json.loads(out)["cited"]
    assert cited == [{"id": "src-briefing", "kind": "source", "publisher": "VNA",
                      "title": "Industrial production on the mend", "date": "2024-08-05",
                      "url": "https://example.org/src-briefing"}]


def test_odd_queries_and_filters_are_clear_errors(cli):
    assert cli("search", "!!!")[0] == 2
    code, _, err = cli("companies", "--name", "😀")
    assert code == 2 and "no letters or digits" in err
    code, out, _ = cli("search", "h3", "2024")  # not a half-year: searched as words
    assert code in (0, 1) and out.startswith("id,")
    assert cli("search", "pmi", "--limit", "99999999999999999999")[0] == 0
