"""The error contract and one winner per id: behaviour that was inconsistent between commands."""

from __future__ import annotations

LONG = ("name\tregion\tperiod\tvalue\tunit\tbasis\n"
        "Index of Industrial Production\tVietnam\t2024-07\t11.2\t%\tyoy\n")


def test_import_append_onto_a_broken_file_exits_as_new_does(tmp_path, cli):
    broken = tmp_path / "broken.toml"
    broken.write_text('[[indicator]\nid = "x"\n', encoding="utf-8")
    table = tmp_path / "t.tsv"
    table.write_text(LONG, encoding="utf-8")
    code_new, _, err_new = cli("new", "source", "--id", "s-1", "--set", "publisher=GSO", "--set", "title=T",
                               "--append", str(broken))
    code_imp, _, err_imp = cli("import", str(table), "--new-source", "--set-source", "publisher=GSO",
                               "--set-source", "title=IIP", "--append", str(broken), "--no-bundled")
    assert code_new == code_imp == 1
    for err in (err_new, err_imp):
        assert "would not be valid TOML" in err and "nothing was changed" in err and "internal error" not in err
    assert broken.read_text(encoding="utf-8") == '[[indicator]\nid = "x"\n'


def test_bad_set_values_and_bad_set_fields_are_both_usage_errors(tmp_path, cli):
    target = tmp_path / "mine.toml"
    bad_value, _, _ = cli("new", "indicator", "--id", "x-1", "--set", "value=abc", "--append", str(target))
    bad_field, _, _ = cli("new", "indicator", "--id", "x-1", "--set", "valu=3", "--append", str(target))
    assert bad_value == bad_field == 2 and not target.exists()


def test_missing_extras_are_one_error_type():
    from vnecon.core.errors import MissingExtra, VneconError
    from vnecon.export import arrow
    from vnecon.output import chart

    assert issubclass(MissingExtra, VneconError) and MissingExtra.exit_code == 2
    assert not hasattr(chart, "ChartUnavailable") and arrow.MissingExtra is MissingExtra


FACT = '''
[[source]]
id = "s-{name}"
publisher = "GSO"
title = "Release {name}"
date = "2024-08-05"

[[indicator]]
id = "same-id"
name = "Index of Industrial Production"
period = "2024-07"
value = {value}
unit = "%"
basis = "yoy"
sources = ["s-{name}"]
'''


def test_the_same_id_twice_in_a_layer_has_one_winner_in_check_and_in_queries(tmp_path, cli):
    import json

    layer = tmp_path / "layer"
    (layer / "b").mkdir(parents=True)
    # os.walk reads z.toml before b/c.toml; the winner must not depend on that order.
    (layer / "z.toml").write_text(FACT.format(name="z", value=1.5), encoding="utf-8")
    (layer / "b" / "c.toml").write_text(FACT.format(name="c", value=2.5), encoding="utf-8")
    _, _, err = cli("check", "--no-bundled", "--facts", str(layer))
    duplicate = [line for line in err.splitlines() if "duplicate id 'same-id'" in line]
    assert len(duplicate) == 1 and duplicate[0].split(":", 1)[0].endswith("z.toml"), err
    for extra in ([], ["--no-cache"]):
        code, out, _ = cli("show", "same-id", "--format", "json", "--no-bundled", "--facts", str(layer), *extra)
        assert code == 0 and json.loads(out)["value"] == 2.5, out


def test_a_filter_declared_once_in_the_model_filters_the_listing(tmp_path, capsys):
    """--qualifier was added as one Filter in load/model.py (and named in the indicator Kind):
    the option, its help, the index column and the cache's version all follow from it."""
    from tests.conftest import run_main, write

    src = '[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\ndate = "2025-04-22"\nurl = "https://e.org"\n\n'
    ind = ('[[indicator]]\nid = "{id}"\nname = "GDP growth"\nperiod = "{p}"\nvalue = 6.5\nunit = "%"\n'
           'basis = "yoy"\nsources = ["s"]\n{q}\n')
    write(tmp_path / "f" / "a.toml", src + ind.format(id="actual", p="2024", q="")
          + ind.format(id="projection", p="2026", q='qualifier = "forecast"'))
    code, out, _ = run_main(["indicators", "--qualifier", "forecast", "--format", "csv", "--fields", "id",
                             "--no-bundled", "--facts", str(tmp_path / "f")], capsys)
    assert code == 0 and out.split() == ["id", "projection"]


def test_projects_take_region_as_other_listings_do(tmp_path, capsys):
    """`projects --region X` (the issue's own wording) finds projects located in X and in the
    provinces merged into it, as --location does."""
    from tests.conftest import run_main, write

    write(tmp_path / "f" / "a.toml",
          '[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\ndate = "2025-01-01"\nurl = "https://e.org"\n\n'
          '[[company]]\nid = "c"\nname = "C"\ntype = "company"\nsources = ["s"]\n\n'
          '[[project]]\nid = "p-bg"\nname = "Plant"\nowner = "c"\nlocation = "Bắc Giang"\nsources = ["s"]\n\n'
          '[[project]]\nid = "p-hn"\nname = "Plant"\nowner = "c"\nlocation = "Hà Nội"\nsources = ["s"]\n\n'
          '[[merger]]\nfrom = "Bắc Giang"\ninto = "Bắc Ninh"\neffective = "2025-07-01"\n')
    code, out, _ = run_main(["projects", "--region", "Bac Ninh", "--format", "csv", "--fields", "id",
                             "--no-bundled", "--facts", str(tmp_path / "f")], capsys)
    assert code == 0 and out.split() == ["id", "p-bg"]
