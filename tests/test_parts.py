"""Big files are read in parts (issue 15, case 17): the parts must give exactly what
reading the file whole gives, for any file, and the build must never hold a file whole."""

from __future__ import annotations

import io
import json
import os

import pytest

import vnecon.load.parts as parts
import vnecon.search.build as build
from vnecon.load import loader
from vnecon.search.refresh import open_index

SOURCE = '[[source]]\nid = "src-a"\ntitle = "A"\nurl = "https://example.com/a"\ndate = "2024-01-01"\npublisher = "P"\n'


def indicator(i: int, extra: str = "") -> str:
    return (f'\n[[indicator]]\nid = "hn-iip-{i}"\nname = "IIP {i}"\nregion = "Hà Nội"\nperiod = "{2000 + i % 25}"\n'
            f'value = {i}.5\nunit = "%"\nbasis = "yoy"\nsources = ["src-a"]\n{extra}')


def many(n: int, extra=lambda i: "") -> str:
    return SOURCE + "".join(indicator(i, extra(i)) for i in range(n))


def summary(r: loader.FileResult) -> dict:
    return {
        "facts": [(f.id, f.line, f.data) for f in r.facts],
        "invalid": [(f.id, f.line) for f in r.invalid],
        "diagnostics": sorted(tuple(d) for d in r.diagnostics),
        "aliases": r.aliases, "mergers": r.mergers,
    }


@pytest.fixture
def tiny_parts(monkeypatch):
    monkeypatch.setattr(parts, "PART_BYTES", 300)


def cut(text: str, size: int = 300) -> list[tuple[int, bytes]]:
    return list(parts.split(io.BytesIO(text.encode()), size))


def test_parts_put_together_are_the_file_and_start_at_headers_with_their_line_numbers():
    text = many(60)
    got = cut(text)
    assert len(got) > 10
    assert b"".join(data for _, data in got) == text.encode()
    for line, data in got:
        assert text.splitlines()[line - 1] == data.decode().splitlines()[0]
    assert all(data.startswith(b"[[") for _, data in got[1:])
    assert max(len(data) for _, data in got) < 300 + 200  # a part: the size asked for plus one table


def test_no_cut_inside_a_multi_line_string():
    text = many(30, lambda i: 'note = """\n[[indicator]]\nnot a table\n"""\n' if i % 3 == 0 else "")
    for line, data in cut(text, 100):
        first = data.decode().splitlines()[0]
        assert first != "[[indicator]]" or "not a table" not in data.decode().splitlines()[1]


def test_an_empty_file_is_one_empty_part():
    assert cut("") == [(1, b"")]


TRICKY = {
    "plain": many(40),
    "header in a multi-line note": many(40, lambda i: 'note = """\n[[indicator]]\nid = "x"\n"""\n' if i % 4 == 1 else ""),
    "triple quotes in a one-line string": many(40, lambda i: "note = 'say \"\"\" here'\n" if i == 5 else ""),
    "triple quotes in a comment": many(40, lambda i: '# a """ in a comment\n' if i == 7 else ""),
    "late syntax error": many(40) + "\n[[indicator]]\nid = = 3\n",
    "late bad byte": many(40) + '\n# caf\udce9\n',
    "bom": "\ufeff" + many(40),
    "late unknown key": many(40, lambda i: 'colour = "red"\n' if i == 33 else ""),
    "late duplicate of a table begun early": "[meta]\nx = 1\n" + many(40) + "\n[meta]\ny = 2\n",
    "subtable of an earlier kind after another kind": SOURCE + "".join(indicator(i) for i in range(30))
    + '\n[source.extra]\nz = 1\n',
    "static array then headers": 'alias = [{ names = ["a", "b"] }]\n' + many(40) + '\n[[alias]]\nnames = ["c", "d"]\n',
    "aliases and mergers in late parts": many(40) + '\n[[alias]]\nnames = ["HN", "Hà Nội"]\n'
    '\n[[merger]]\nfrom = "Hà Tây"\ninto = "Hà Nội"\neffective = "2008-08-01"\n',
    "no facts": "# only a comment\n",
    "empty": "",
}


@pytest.mark.parametrize("name", TRICKY)
def test_reading_in_parts_gives_what_reading_whole_gives(tmp_path, tiny_parts, name):
    f = tmp_path / "f.toml"
    text = TRICKY[name]
    f.write_bytes(text.encode("utf-8", "surrogateescape"))
    whole = loader.parse_whole(str(f))
    in_parts = loader.parse_file(str(f))
    assert summary(in_parts) == summary(whole)
    assert len(list(loader.raw_parts(str(f)))) > (1 if len(text) > 600 else 0)


def test_a_late_unknown_key_is_reported_on_its_own_line(tmp_path, tiny_parts):
    f = tmp_path / "f.toml"
    text = TRICKY["late unknown key"]
    f.write_text(text)
    r = loader.parse_file(str(f))
    (d,) = [d for d in r.diagnostics if "colour" in d.message]
    assert text.splitlines()[d.line - 1] == 'colour = "red"'


def test_a_file_too_big_to_read_whole_reports_its_failing_part(tmp_path, tiny_parts, monkeypatch):
    monkeypatch.setattr(loader, "WHOLE_BYTES", 1000)
    f = tmp_path / "f.toml"
    f.write_text(TRICKY["late syntax error"])
    r = loader.parse_file(str(f))
    assert r.facts == []  # a file with a syntax error gives nothing, as when read whole
    (d,) = r.diagnostics
    assert d.severity == "error" and "TOML syntax" in d.message
    assert f.read_text().splitlines()[d.line - 1] == "id = = 3"


def layers(d):
    return [("cli", [d])]


def index_rows(index) -> list:
    return [tuple(r) for r in index.db.execute("SELECT id, path, line, live, bad, data FROM facts ORDER BY id, line")]


@pytest.mark.parametrize("parallel", [False, True])
def test_the_index_built_in_parts_equals_the_one_built_whole(tmp_path, monkeypatch, parallel):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "a.toml").write_text(many(200))
    (d / "b.toml").write_text(TRICKY["late syntax error"].replace("hn-iip-", "b-"))
    (d / "c.toml").write_text(TRICKY["header in a multi-line note"].replace("hn-iip-", "c-").replace("src-a", "src-c"))
    whole = open_index(layers(d), use_cache=False)
    expected = index_rows(whole), whole.diagnostics()
    monkeypatch.setattr(parts, "PART_BYTES", 300)
    if parallel:
        monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    seen = []
    real = loader.raw_parts

    def spy(path, layer=""):
        for item in real(path, layer):
            seen.append(len(item[1]) if isinstance(item, tuple) else 0)
            yield item

    monkeypatch.setattr(loader, "raw_parts", spy)
    in_parts = open_index(layers(d), use_cache=False)
    assert (index_rows(in_parts), in_parts.diagnostics()) == expected
    assert len(seen) > 20 and max(seen) < 1000  # no part near a whole file
    assert json.loads(in_parts.db.execute("SELECT diags FROM files WHERE path LIKE '%b.toml'").fetchone()[0])
    assert in_parts.db.execute("SELECT count(*) FROM facts WHERE path LIKE '%b.toml'").fetchone()[0] == 0


def test_late_checks_find_key_lines_after_the_text_is_let_go(tmp_path, tiny_parts):
    f = tmp_path / "f.toml"
    text = "\ufeff" + many(40).replace('id = "hn-iip-35"', 'id = "hn-iip-35"\nnote = "moved"', 1)
    text = text.replace('note = "moved"\nname = "IIP 35"\nregion = "Hà Nội"\nperiod = "2010"\nvalue = 35.5\n'
                        'unit = "%"\nbasis = "yoy"\nsources = ["src-a"]',
                        'note = "moved"\nname = "IIP 35"\nregion = "Hà Nội"\nperiod = "2010"\nvalue = 35.5\n'
                        'unit = "%"\nbasis = "yoy"\nsources = ["src-gone"]')
    assert "src-gone" in text
    f.write_text(text)
    r = loader.load_paths([f])
    (d,) = [d for d in r.diagnostics if "src-gone" in d.message]
    assert text.splitlines()[d.line - 1] == 'sources = ["src-gone"]'
    assert d.line > 300  # in a late part, reported after every part was parsed


# Found by an adversarial review: small files cut at every header (PART_BYTES = 10).
SMALL = {
    "kinds alternate: facts come in file order": b'[[company]]\nid="a"\nname="C"\ntype="company"\nsources=["x"]\n'
    b'[[source]]\nid="x"\ntitle="T"\npublisher="P"\ndate="2024-01-01"\n'
    b'[[company]]\nid="x"\nname="C"\ntype="company"\nsources=["x"]\n',
    "an empty static array, added to later": b'company = []\n[[source]]\nid = "s"\n[[company]]\nid = "c"\n',
    "a static array and a header in a string": b'alias = [{names = ["a","b"]}]\nnote = """\n[[alias]]\n"""\n'
    b'[[source]]\nid = "s"\n[[alias]]\nnames = ["c", "d"]\n',
    "an unknown table in two parts": b'[[meta]]\nx = 1\n[[source]]\nid = "s"\ntitle = "T"\npublisher = "P"\n[[meta]]\ny = 2\n',
    "a header in a literal string": b"[[company]]\nid = \"c\"\nnote = '''\n[[source]]\n'''\ncolour = 1\n[[source]]\nid = \"s\"\n",
    "triple quotes in a one-line string": b'[[source]]\nid = "a"\ntitle = """\n[[source]]\n"""\n[[company]]\nid = "c"\n'
    b'note = \'x """ y\'\n[[indicator]]\nid = "i"\nnote = \'z """ w\'\n',
    "a line separator in a value": b'[[source]]\nid = "s-a"\ntitle = "x\xe2\x80\xa8y"\n[[source]]\nid = "s-b"\ncolour = 1\n',
    "a single-quoted header": b"[['source']]\nid = \"s-a\"\n[[company]]\nid = \"c-0\"\nname = \"C\"\n[[company]]\n"
    b"id = \"c-1\"\nname = \"D\"\nnote = \"\"\"\n[[source]]\n\"\"\"\n",
}


@pytest.mark.parametrize("name", SMALL)
def test_small_files_cut_everywhere_read_as_whole(tmp_path, monkeypatch, name):
    monkeypatch.setattr(parts, "PART_BYTES", 10)
    f = tmp_path / "f.toml"
    f.write_bytes(SMALL[name])
    assert summary(loader.parse_file(str(f))) == summary(loader.parse_whole(str(f)))
    assert [line for line, _ in parts.split(io.BytesIO(SMALL[name]), 10)][1:], "the file was cut"


def test_a_fact_is_placed_on_its_own_header_whatever_quotes_come_before(tmp_path):
    f = tmp_path / "f.toml"
    f.write_bytes(SMALL["triple quotes in a one-line string"])
    r = loader.parse_whole(str(f))
    assert {x.id: x.line for x in r.invalid}["i"] == 9
    f.write_bytes(SMALL["a line separator in a value"])
    (colour,) = [d for d in loader.parse_whole(str(f)).diagnostics if "colour" in d.message]
    assert colour.line == 6
    f.write_bytes(SMALL["a single-quoted header"])
    assert {x.id: x.line for x in loader.parse_whole(str(f)).invalid}["s-a"] == 1


def test_of_two_facts_with_one_id_the_first_in_the_file_is_kept(tmp_path):
    f = tmp_path / "f.toml"
    f.write_bytes(SMALL["kinds alternate: facts come in file order"])
    r = loader.load_paths([f])
    (dup,) = [d for d in r.diagnostics if "duplicate" in d.message]
    assert dup.line == 12 and "f.toml:6" in dup.message


def test_lines_read_again_come_from_the_file_as_it_is_now(tmp_path):
    f = tmp_path / "f.toml"
    body = '[[company]]\nid = "c"\nname = "C"\ntype = "company"\nnote = "abc"\nsources = ["x"]\n'
    f.write_text(body)
    (first,) = [d for d in loader.load_paths([f]).diagnostics if "'x'" in d.message]
    f.write_text(body.replace('note = "abc"\nsources = ["x"]', 'sources = ["x"]\nnote = "abc"'))  # same size
    (second,) = [d for d in loader.load_paths([f]).diagnostics if "'x'" in d.message]
    assert (first.line, second.line) == (6, 5)


def _dying_worker(path, layer, rank, first_line, offset, size, crc):
    import os

    if offset > 2000:  # a few parts of a.toml get written first
        os._exit(1)  # as if killed (out of memory, or `pkill`)
    return build._real_prepare_part(path, layer, rank, first_line, offset, size, crc)


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork", reason="patches the forked workers")
def test_a_dead_worker_leaves_the_build_to_this_process(tmp_path, monkeypatch):
    d = tmp_path / "facts"
    d.mkdir()
    (d / "a.toml").write_text(many(200))
    (d / "b.toml").write_text(many(50).replace("hn-iip-", "b-"))
    expected = index_rows(open_index(layers(d), use_cache=False))
    monkeypatch.setattr(parts, "PART_BYTES", 300)
    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(build, "_real_prepare_part", build.prepare_part, raising=False)
    monkeypatch.setattr(build, "prepare_part", _dying_worker)
    warned = []
    index = open_index(layers(d), use_cache=False, warn=warned.append)
    assert index_rows(index) == expected
    assert len(warned) == 1 and "died" in warned[0]


def test_a_part_changed_since_it_was_cut_asks_for_the_whole_file(tmp_path):
    import zlib

    f = tmp_path / "f.toml"
    f.write_text(many(5))
    data = f.read_bytes()
    assert not build.prepare_part(str(f), "", 0, 1, 0, len(data), zlib.crc32(data)).whole
    f.write_text(many(5).replace("IIP", "PMI"))  # same size, other bytes
    assert build.prepare_part(str(f), "", 0, 1, 0, len(data), zlib.crc32(data)).whole


def test_check_reports_progress_part_by_part(tmp_path, tiny_parts):
    f = tmp_path / "f.toml"
    f.write_text(many(60))
    seen = []
    loader.load_layers([("cli", [f])], lambda done, total: seen.append((done, total)))
    assert len(seen) > 10 and seen[-1][0] == len(seen) and all(d <= t for d, t in seen)


def test_check_takes_its_progress_bar_away_before_printing(tmp_path, capsys):
    from vnecon.cli.checkcmd import run_check
    from vnecon.load.session import Options

    f = tmp_path / "f.toml"
    f.write_text(many(3) + '\n[[source]]\nid = "src-a"\n')  # a duplicate: something to print
    printed_before = []
    code = run_check([f], Options(no_bundled=True), quiet=False, every=False, user=False,
                     progress=lambda d, t: None, loaded=lambda: printed_before.append(capsys.readouterr().err))
    assert code == 1 and printed_before == [""]
    assert "duplicate id" in capsys.readouterr().err


def test_a_stray_triple_quote_does_not_stop_the_cutting(tmp_path, monkeypatch):
    monkeypatch.setattr(parts, "PART_BYTES", 2000)
    text = "# notes may start with ''' on their own line\n" + many(400)
    got = cut(text, 2000)
    assert len(got) > 20  # lexed past the stray quote, then cut as usual
    assert max(len(data) for _, data in got) <= (parts.LEX_AFTER + 1) * 2000
    f = tmp_path / "f.toml"
    f.write_text(text)
    assert summary(loader.parse_file(str(f))) == summary(loader.parse_whole(str(f)))


@pytest.mark.parametrize("parallel", [False, True])
def test_a_file_written_to_while_it_is_read_is_read_again_whole(tmp_path, monkeypatch, parallel):
    d = tmp_path / "facts"
    d.mkdir()
    f = d / "a.toml"
    f.write_text(many(300))
    new_text = many(300).replace("IIP", "PMI")  # same size
    monkeypatch.setattr(parts, "PART_BYTES", 2000)
    if parallel:
        monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    real = loader.raw_parts

    def rewriting(path, layer=""):
        for i, item in enumerate(real(path, layer)):
            yield item
            if i == 0:
                with open(path, "r+b") as fh:  # in place, as some editors and scripts do
                    fh.write(new_text.encode())

    monkeypatch.setattr(loader, "raw_parts", rewriting)
    got = index_rows(open_index(layers(d), use_cache=False))
    monkeypatch.setattr(loader, "raw_parts", real)
    assert got == index_rows(open_index(layers(d), use_cache=False))  # the new version only, never a mix
    assert all("PMI" in row[-1] for row in got if row[0].startswith("hn-"))


def test_a_worker_never_waits_on_a_path_that_became_a_fifo(tmp_path):
    import signal
    import zlib

    f = tmp_path / "f.toml"
    data = many(3).encode()
    os.mkfifo(f)

    class Hung(Exception):  # not an OSError, which prepare_part would take for an unreadable file
        pass

    def hung(*_):
        raise Hung("prepare_part waited on a FIFO")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)  # a blocking open would hang here: fail instead
    try:
        part = build.prepare_part(str(f), "", 0, 1, 0, len(data), zlib.crc32(data))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert part.whole
