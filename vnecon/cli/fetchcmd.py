"""`vnecon fetch`: an official series into cited facts, written as `import` writes them."""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from vnecon.core.errors import Exit, UsageError

# Everything `vnecon fetch` is asked to do, by name: passed whole, never positionally.
FetchRequest = namedtuple("FetchRequest", "provider dataset codes words country since until sets out force append "
                                          "user dry_run offline timeout retries")
PROVIDERS = {"worldbank": "worldbank", "wb": "worldbank", "imf": "imf", "nsdp": "nsdp"}


def request_of(values: dict) -> FetchRequest:
    """The request from the command's option values: worldbank CODE..., imf weo CODE..., worldbank --search WORDS."""
    from vnecon.fetch.facts import year_of

    args = list(values.get("args") or [])
    provider = PROVIDERS.get(args[0].lower()) if args else None
    if provider is None:
        raise UsageError(f"fetch from worldbank, imf or nsdp, not {args[0]!r}" if args else
                         "fetch from worldbank, imf or nsdp")
    if provider == "nsdp":
        _nsdp_usage(values, args[1:])
    dataset, rest = (None, args[1:]) if provider in ("worldbank", "nsdp") else (args[1] if len(args) > 1 else None, args[2:])
    if provider == "imf" and dataset is None:
        raise UsageError("name the IMF dataset and codes: vnecon fetch imf weo NGDP_RPCH")
    if provider == "imf":
        from vnecon.fetch.imf import dataset_of

        dataset_of(dataset)
    search = bool(values.get("search"))
    if search and provider != "worldbank":
        raise UsageError("--search looks through the World Bank's indicators: vnecon fetch worldbank --search WORDS")
    if search and not rest:
        raise UsageError("--search needs words: vnecon fetch worldbank --search gdp growth")
    if not search and not rest:
        raise UsageError(f"name at least one series code (e.g. vnecon fetch {'worldbank NY.GDP.MKTP.KD.ZG' if provider == 'worldbank' else 'imf weo NGDP_RPCH'}), or look "
                         "one up with --search WORDS")
    country = (values.get("country") or "VNM").upper()
    if not re.fullmatch(r"[A-Z0-9]{2,3}", country):
        raise UsageError(f"--country: an ISO3 code such as VNM, not {values.get('country')!r}")
    since, until = year_of(values.get("since"), "--since"), year_of(values.get("until"), "--until")
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    timeout = values.get("timeout")
    try:
        seconds = 30.0 if timeout is None else float(timeout)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise UsageError(f"--timeout: seconds between 0 and 3600, not {timeout!r}")
    if sum(x is not None and x is not False for x in (values.get("out"), values.get("append"),
                                                      values.get("user") or None)) > 1:
        raise UsageError("choose one of --out FILE, --append FILE and --user")
    return FetchRequest(provider, dataset, [] if search else rest, rest if search else None, country, since, until,
                        values.get("sets") or [], values.get("out"), values.get("force"), values.get("append"),
                        values.get("user"), values.get("dry_run"), values.get("offline"), seconds,
                        3 if values.get("retries") is None else values["retries"])


def _nsdp_usage(values: dict, words: list[str]) -> None:
    """What `fetch nsdp` cannot take, refused before anything is fetched."""
    from vnecon.fetch.nsdp import DOMAINS, check_words

    if not words:
        raise UsageError(f"name a domain ({', '.join(DOMAINS)}) or a file or URL: vnecon fetch nsdp cpi trade")
    for option, given in (("--search", values.get("search")), ("--set", values.get("sets")),
                          ("--country", values.get("country"))):
        if given:
            raise UsageError(f"{option} is not for nsdp: its files name their own country and measures")
    check_words(words)


def client_of(req: FetchRequest):
    from vnecon.cli.support import say
    from vnecon.fetch.http import Client
    from vnecon.search.index import cache_dir

    return Client(timeout=req.timeout, retries=req.retries, offline=bool(req.offline),
                  cache_dir=cache_dir() / "fetch", note=lambda m: say(m, "note"))


def do_fetch(req: FetchRequest, where) -> int:
    from vnecon.authoring.newfact import parse_sets
    from vnecon.cli.support import emit, say
    from vnecon.fetch import imf, worldbank
    from vnecon.fetch.facts import Known, outcome, summary, to_toml
    from vnecon.search.aliases import Aliases

    client = client_of(req)
    if req.words is not None:
        return _search(client, req.words)
    if req.provider == "nsdp":
        return _fetch_nsdp(req, where, client)
    sets = parse_sets("indicator", req.sets)
    index, loaded, target = _loaded(req, where)
    place = Aliases(*index.alias_tables()).display
    series = [worldbank.fetch_series(client, code, req.country, req.since, req.until, place)
              if req.provider == "worldbank" else
              imf.fetch_series(client, req.dataset, code, req.country, req.since, req.until)
              for code in req.codes]  # every series is fetched before anything is written
    planned: list = []

    def plan(file_text: str | None) -> str:
        """The TOML to write, planned against what is loaded plus the target file as it is now."""
        known = Known(*loaded)
        if file_text is not None:
            _add_file(known, file_text)
        planned[:] = [outcome(s, known, sets) for s in series]
        new, revised, _ = summary(planned)
        return to_toml(planned) if new + revised else ""

    if target is not None and not req.dry_run:
        from vnecon.authoring.newfact import append_fact

        # Planned under the file's lock, from the bytes read there: a parallel fetch into the same
        # file has either written already (its facts are then unchanged here) or waits for us.
        written = append_fact(target, lambda original: plan(original.decode("utf-8", "replace").removeprefix(
            "\ufeff")), make_dirs=req.append is None)
        if _report(planned):
            say(f"appended {_what(planned)} to {written}")
        return Exit.OK
    text = plan(_read(target) if target is not None else None)
    if not _report(planned):
        return Exit.OK
    what = _what(planned)
    if req.dry_run or target is None and not req.out:
        emit(lambda o: o.write(text))
        say(("dry run, nothing written: " if req.dry_run else "") + what)
        return Exit.OK
    from vnecon.authoring.newfact import write_new

    write_new(Path(req.out), text.encode("utf-8"))
    say(f"wrote {what} to {req.out}; check them with: vnecon check {req.out}")
    return Exit.OK


def _report(outcomes: list) -> bool:
    """One note per series (new, revised, unchanged, missing) on stderr; whether there is anything to write."""
    from vnecon.cli.support import say
    from vnecon.fetch.facts import summary

    for o in outcomes:
        s = o.series
        say(f"{s.code} {s.region} ({s.dataset}" + (f", released {s.release}" if s.release else "") + "): "
            f"{o.new} new, {o.revised} revised, {o.unchanged} unchanged"
            + (f"; {s.missing} missing value{'s' * (s.missing != 1)} skipped" if s.missing else ""), "note")
    new, revised, unchanged = summary(outcomes)
    if not new + revised:
        say(f"nothing to write: {new} new, {revised} revised, {unchanged} unchanged")
    return bool(new + revised)


def _what(outcomes: list) -> str:
    from vnecon.fetch.facts import summary

    new, revised, unchanged = summary(outcomes)
    facts = new + revised
    return f"{facts} fact{'s' * (facts != 1)} ({new} new, {revised} revised, {unchanged} unchanged)"


def _loaded(req: FetchRequest, where):
    """(index, what Known is made of: the loaded indicators, source dates and ids, the target file)."""
    from vnecon.cli.support import end_reads, load_index

    if req.out and not req.dry_run and Path(req.out).exists() and not req.force:
        raise UsageError(f"{req.out} exists; use --force to replace it, or --append {req.out}")
    index, _ = load_index(where, quiet=True)
    dates = {s.id: str(s.get("date") or "") for s in index.facts("kind = 'source'")}
    loaded = (list(index.facts("kind = 'indicator'")), dates, set(index.ids()))
    # The read snapshot ends here, before anything is written: held on (as a command that emits nothing
    # would), it kept the next refresh in this process waiting for the lock (10 s per fetch in the tests).
    end_reads()
    return index, loaded, _target(req)


def _known(req: FetchRequest, where):
    """The facts already loaded (every layer, and the file appended to), for new/revised/unchanged."""
    from vnecon.fetch.facts import Known

    index, loaded, target = _loaded(req, where)
    known = Known(*loaded)
    text = _read(target) if target is not None else None
    if text is not None:
        _add_file(known, text)
    return index, known, target


def _fetch_nsdp(req: FetchRequest, where, client) -> int:
    from vnecon.cli.support import say
    from vnecon.fetch.nsdp import fetch_release
    from vnecon.fetch.nsdp_plan import plan

    releases = [fetch_release(client, word, req.since, req.until) for word in req.codes]  # all before any write
    _, known, target = _known(req, where)
    plans = [plan(r, known) for r in releases]
    for p in plans:
        s = p.release.source
        say(f"{s.get('document') or s['title'].rsplit('(', 1)[-1].rstrip(')')} ({s['publisher']}"
            + (f", released {s['date']}" if s.get("date") else "") + f"): {p.series} series, {p.new} new, "
            f"{p.revised} revised, {p.unchanged} unchanged"
            + (f"; {p.missing} missing value{'s' * (p.missing != 1)} skipped" if p.missing else ""), "note")
    new, revised, unchanged = (sum(getattr(p, k) for p in plans) for k in ("new", "revised", "unchanged"))
    counts = f"{new} new, {revised} revised, {unchanged} unchanged"
    if not new + revised:
        say(f"nothing to write: {counts}")
        return Exit.OK
    text = "\n".join(p.text for p in plans if p.text)
    _validated(text)
    facts = new + revised
    return _write(req, target, text, f"{facts} fact{'s' * (facts != 1)} ({counts})")


def _validated(text: str) -> None:
    """The [[series]] to write, read back and validated as `check` would; an error is ours, not the file's.

    A block's points share every field but period and value, so its first point is validated whole and
    the others' periods and values alone: the same verdict as `check`'s, without validating 17,206
    identical sets of fields (half the time of `fetch nsdp trade`)."""
    from vnecon.core.periods import parse_period
    from vnecon.load.compact import point_id
    from vnecon.load.tomlread import tomllib
    from vnecon.load.validate import validate_table

    errors: list[str] = []
    periods_ok: dict[str, bool] = {}
    for block in tomllib.loads(text).get("series", []):
        meta = {k: v for k, v in block.items() if k not in ("id", "points")}
        first = block["points"][0]
        validate_table("indicator", {"id": point_id(block["id"], first[0]), **meta, "period": first[0],
                                     "value": first[1]},
                       lambda key, severity, message, b=block: errors.append(f"{b['id']}: {key} {message}")
                       if severity == "error" else None)
        for period, value in block["points"]:
            if period not in periods_ok:
                try:
                    parse_period(period)
                    periods_ok[period] = True
                except ValueError:
                    periods_ok[period] = False
            if not periods_ok[period] or isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append(f"{block['id']}: point {period!r} {value!r}")
    if errors:
        raise UsageError(f"the fetched facts would not pass check ({errors[0]}); nothing was written")


def _write(req: FetchRequest, target: Path | None, text: str, what: str) -> int:
    """Standard output, --dry-run, --out, --append or --user, as `import` writes."""
    from vnecon.cli.support import emit, say

    if req.dry_run or target is None and not req.out:
        emit(lambda o: o.write(text))
        say(("dry run, nothing written: " if req.dry_run else "") + what)
        return Exit.OK
    if req.out:
        from vnecon.authoring.newfact import write_new

        write_new(Path(req.out), text.encode("utf-8"), force=bool(req.force))
        say(f"wrote {what} to {req.out}; check them with: vnecon check {req.out}")
        return Exit.OK
    from vnecon.authoring.newfact import append_fact

    written = append_fact(target, text, make_dirs=req.append is None)
    say(f"appended {what} to {written}")
    return Exit.OK


def _target(req: FetchRequest) -> Path | None:
    """The file appended to, if any (its facts count as loaded even when no layer holds it)."""
    if req.append:
        return Path(req.append)
    if req.user:
        from vnecon.load.layers import user_facts_dir

        return user_facts_dir() / "fetched.toml"
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None


def _add_file(known, text: str) -> None:
    """The indicators and source dates of the file appended to; a broken file is append_fact's to refuse."""
    from vnecon.load.tomlread import ERRORS, tomllib

    try:
        doc = tomllib.loads(text)
    except ERRORS:
        return
    for s in doc.get("source", []):
        if isinstance(s, dict) and isinstance(s.get("id"), str):
            known.source_dates[s["id"]] = str(s.get("date") or "")
            known.ids.add(s["id"])
    from vnecon.load.compact import point_id

    for table in doc.get("series", []):  # [[series]]: the facts its points load as
        if isinstance(table, dict) and isinstance(table.get("id"), str) and isinstance(table.get("points"), list):
            known.ids.add(table["id"])
            meta = {k: v for k, v in table.items() if k not in ("id", "points")}
            for point in table["points"]:
                if isinstance(point, list) and len(point) == 2 and isinstance(point[0], str):
                    known.add({**meta, "id": point_id(table["id"], point[0]), "period": point[0], "value": point[1]})
    for kind in ("indicator", "company", "project", "partnership"):
        for f in doc.get(kind, []):
            if isinstance(f, dict) and isinstance(f.get("id"), str):
                if kind == "indicator":
                    known.add(f)
                known.ids.add(f["id"])


def _search(client, words: list[str]) -> int:
    from vnecon.cli.support import emit, say, stdout_is_terminal
    from vnecon.fetch.worldbank import search

    found = search(client, words)
    if not found:
        say(f"no World Bank indicator has all of: {' '.join(words)}")
        return Exit.NO_MATCH
    if stdout_is_terminal():
        width = max(len(code) for code, _, _ in found)
        lines = [f"{code:<{width}}  {name}" + (f"  [{source}]" if source else "") for code, name, source in found]
    else:
        lines = ["code\tname\tsource"] + ["\t".join(t) for t in found]
    emit(lambda o: o.write("".join(line + "\n" for line in lines)))
    say(f"{len(found)} indicator{'s' * (len(found) != 1)}; fetch one with: vnecon fetch worldbank {found[0][0]}")
    return Exit.OK
