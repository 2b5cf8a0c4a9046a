"""Layers, config, `paths` and `new`: users' own facts without touching the package."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import write
from vnecon.authoring import newfact
from vnecon.load.loader import load_paths, tomllib
from vnecon.load.model import KINDS

SRC = '[[source]]\nid = "s-{n}"\npublisher = "P"\ntitle = "T"\ndate = "2024-01-01"\n'


def fact(layer: str, value: float) -> str:
    return (SRC.format(n=layer) + f'\n[[indicator]]\nid = "shared"\nname = "From {layer}"\nperiod = "2024"\n'
            f'value = {value}\nunit = "count"\nbasis = "level"\nsources = ["s-{layer}"]\n')


@pytest.fixture
def five_layers(tmp_path, monkeypatch):
    """The same id in layers 2-5 (the bundled facts are layer 1)."""
    data = Path(os.environ["XDG_DATA_HOME"]) / "vnecon" / "facts"
    write(data / "mine.toml", fact("user", 2))
    cfg_dir = Path(os.environ["XDG_CONFIG_HOME"]) / "vnecon"
    write(cfg_dir / "cfgfacts" / "c.toml", fact("config", 3))
    write(cfg_dir / "config.toml", 'facts_dirs = ["cfgfacts"]\n')
    write(tmp_path / "envfacts" / "e.toml", fact("env", 4))
    monkeypatch.setenv("VNECON_FACTS", str(tmp_path / "envfacts"))
    write(tmp_path / "clifacts" / "x.toml", fact("cli", 5))
    return tmp_path


def value_of(cli, *extra) -> float:
    code, out, err = cli("show", "shared", "--format", "json", *extra, bundled=True)
    assert code == 0, err
    return json.loads(out)["value"]


def test_each_later_layer_wins(cli, five_layers, monkeypatch):
    assert value_of(cli, "--facts", str(five_layers / "clifacts")) == 5
    assert value_of(cli) == 4
    monkeypatch.delenv("VNECON_FACTS")
    assert value_of(cli) == 3
    (Path(os.environ["XDG_CONFIG_HOME"]) / "vnecon" / "config.toml").unlink()
    assert value_of(cli) == 2


def test_check_notes_each_replacement_naming_both_places(cli, five_layers):
    code, _, err = cli("check", "--facts", str(five_layers / "clifacts"), bundled=True)
    assert code == 0
    notes = [line for line in err.splitlines() if ": note: [indicator shared] replaces" in line]
    assert len(notes) == 3  # config replaces user, env replaces config, cli replaces env
    assert any("x.toml:7:1: note:" in n and "e.toml:7 (env layer)" in n and n.endswith("(cli layer)") for n in notes)


def test_bundled_facts_are_layer_one_and_no_bundled_leaves_them_out(cli, five_layers):
    code, out, _ = cli("search", "pmi", "july", "2024", "--format", "csv", bundled=True)
    assert code == 0 and "vn-pmi-2024-07" in out
    code, out, _ = cli("search", "pmi", "--no-bundled", "--format", "csv", bundled=True)
    assert "vn-pmi-2024-07" not in out
    cfg = Path(os.environ["XDG_CONFIG_HOME"]) / "vnecon" / "config.toml"
    cfg.write_text('facts_dirs = ["cfgfacts"]\nbundled = false\n')
    code, out, _ = cli("search", "pmi", "july", "2024", "--format", "csv", bundled=True)
    assert "vn-pmi-2024-07" not in out


def test_paths_reports_every_layer(cli, five_layers):
    code, out, _ = cli("paths", "--format", "json", "--facts", str(five_layers / "clifacts"))
    report = json.loads(out)
    rows = {r["layer"]: r for r in report["layers"]}
    assert list(rows) == ["bundled", "user", "config", "env", "cli"]
    assert rows["user"]["files"] == 1 and rows["user"]["facts"] == 2 and rows["user"]["in_effect"] == 1
    assert rows["cli"]["in_effect"] == 2 and rows["cli"]["paths"][0]["exists"]
    assert rows["bundled"]["facts"] > 100
    assert report["config"]["exists"] and report["config"]["path"].endswith("config.toml")
    assert "vnecon" in report["cache"]["path"]
    code, out, _ = cli("paths")
    assert code == 0 and out.splitlines()[0].startswith("bundled") and "replaced by later layers" in out


def test_missing_directories_warn_and_other_layers_load(cli, tmp_path, monkeypatch, facts_dir):
    monkeypatch.setenv("VNECON_FACTS", str(tmp_path / "nope"))
    code, out, err = cli("search", "pmi")
    assert code == 0 and "vn-pmi-2024-07" in out
    assert f"{tmp_path / 'nope'}: warning: facts directory from VNECON_FACTS does not exist; skipped" in err


def test_broken_user_file_does_not_hide_bundled_facts(cli):
    data = Path(os.environ["XDG_DATA_HOME"]) / "vnecon" / "facts"
    write(data / "broken.toml", '[[indicator]]\nid = "x"\nvalue = \n')
    code, out, err = cli("search", "pmi", "july", "2024", "--format", "csv", bundled=True)
    assert code == 0 and "vn-pmi-2024-07" in out
    assert "broken.toml:3:" in err
    code, _, err = cli("check", bundled=True)
    assert code == 1 and "broken.toml:3:9: error: TOML syntax" in err and "(user layer)" in err


@pytest.mark.parametrize("text,message", [
    ('facts_dir = ["x"]\n', "config.toml:1:1: error: [config] unknown key 'facts_dir'"),
    ('bundled = "no"\n', "config.toml:1:1: error: [config] bundled must be true or false"),
    ('color = true\ndefault_format = "xml"\n', "config.toml:2:1: error: [config] default_format must be one of"),
    ('facts_dirs = "x"\n', "config.toml:1:1: error: [config] facts_dirs must be an array"),
    ('bundled = \n', "config.toml:1:11: error: [config] TOML syntax"),
])
def test_config_errors_name_the_line(cli, text, message):
    write(Path(os.environ["XDG_CONFIG_HOME"]) / "vnecon" / "config.toml", text)
    code, _, err = cli("check")
    assert message in err and code == 1


def test_config_default_format_applies_on_a_terminal_only(cli, monkeypatch):
    write(Path(os.environ["XDG_CONFIG_HOME"]) / "vnecon" / "config.toml", 'default_format = "json"\n')
    _, out, _ = cli("search", "pmi")
    assert out.startswith("id,kind")  # piped: still CSV
    monkeypatch.setattr("vnecon.cli.support.stdout_is_terminal", lambda: True)
    _, out, _ = cli("search", "pmi")
    assert json.loads(out)[0]["id"] == "vn-pmi-2024-07"


# ---- new ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_templates_parse_and_validate_once_filled_in(cli, kind, tmp_path):
    code, out, _ = cli("new", kind, "--id", f"my-{kind}")
    assert code == 0 and out.startswith(f"[[{kind}]]\nid = \"my-{kind}\"")
    tomllib.loads(out)  # the template itself is valid TOML
    filled = {
        "name": '"X"', "title": '"X"', "publisher": '"P"', "type": '"company"', "owner": '"my-company"',
        "location": '"Hà Nội"', "period": '"2024-H1"', "value": "1.5", "unit": '"%"', "basis": '"yoy"',
        "parties": '["Vietnam", "Sweden"]', "kind": '"mou"', "date": '"2025-06-13"', "sources": '["my-source"]',
    }
    lines = []
    for line in out.splitlines():
        key = line.split(" = ")[0]
        lines.append(f"{key} = {filled[key]}" if not line.startswith("#") and key in filled else line)
    write(tmp_path / "d" / "new.toml", "\n".join(lines) + "\n")
    write(tmp_path / "d" / "deps.toml", SRC.format(n="x").replace("s-x", "my-source")
          + '\n[[company]]\nid = "my-company"\nname = "C"\ntype = "company"\nsources = ["my-source"]\n')
    if kind in ("source", "company"):
        (tmp_path / "d" / "new.toml").write_text((tmp_path / "d" / "new.toml").read_text().replace(f"my-{kind}", f"my-{kind}-2"))
    result = load_paths([tmp_path / "d"])
    assert [d for d in result.diagnostics if d.severity == "error"] == []


def test_append_keeps_original_bytes_and_lists_what_to_fill(cli, tmp_path):
    original = b"# my facts\r\n[[source]]  # keep this comment\r\nid = \"mine\"\r\npublisher = 'P'\r\ntitle = \"T\"\r\ndate = 2024-01-01\r\n"
    target = tmp_path / "mine.toml"
    target.write_bytes(original)
    target.chmod(0o640)
    code, _, err = cli("new", "indicator", "--id", "my-pmi", "--append", str(target),
                       "--set", "name=PMI", "--set", "value=51.2", "--set", "sources=mine")
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(original) and b"\n[[indicator]]\r\n" in data  # line ends kept
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    parsed = tomllib.loads(data.decode())
    assert parsed["indicator"][0] == {"id": "my-pmi", "name": "PMI", "period": "", "value": 51.2, "unit": "",
                                      "basis": "", "sources": ["mine"]}
    assert "still to fill in" in err and "mine.toml:11:1: error: [indicator my-pmi] bad period ''" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")] == []


def test_append_follows_a_symlink(cli, tmp_path):
    real = tmp_path / "real.toml"
    real.write_text(SRC.format(n="a"))
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    cli("new", "source", "--id", "s-b", "--append", str(link), "--set", "publisher=P", "--set", "title=T")
    assert link.is_symlink()
    assert 'id = "s-b"' in real.read_text()


def test_append_that_would_break_the_file_changes_nothing(cli, tmp_path):
    target = tmp_path / "open.toml"
    original = b'[[source]]\nid = "s"\ntitle = """unterminated\n'
    target.write_bytes(original)
    code, _, err = cli("new", "source", "--append", str(target))
    assert code == 1 and "would not be valid TOML" in err and "nothing was changed" in err
    assert target.read_bytes() == original


def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "f.toml"
    target.write_text(SRC.format(n="a"))
    before = target.read_bytes()

    def boom(fd):
        raise OSError(28, "No space left on device")

    import vnecon.core.safefile as safefile  # the one atomic write every write path uses

    monkeypatch.setattr(safefile.os, "fsync", boom)
    with pytest.raises(OSError):
        newfact.append_fact(target, newfact.template("source", "s-b"))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.toml"]


def test_set_rejects_unknown_fields(cli):
    code, _, err = cli("new", "indicator", "--set", "colour=red")
    assert code == 2 and "indicator has no field 'colour'" in err


def test_append_never_creates_directories_and_id_conflicts_are_refused(cli, tmp_path):
    code, _, err = cli("new", "source", "--append", str(tmp_path / "no" / "such" / "f.toml"))
    assert code == 2 and "does not exist" in err and not (tmp_path / "no").exists()
    code, _, err = cli("new", "source", "--id", "a", "--set", "id=b")
    assert code == 2 and "disagree" in err
    code, _, err = cli("new", "indicator", "--set", "valu=3")
    assert code == 2 and 'did you mean "value"?' in err
