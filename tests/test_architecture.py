"""The package's layers, checked from the source so a change cannot quietly break them.

core <- load <- (search, output, authoring) <- cli: a module may import only
from its own subpackage and the ones below it, and no two modules import each
other, directly or through others (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "vnecon"

ALLOWED = {
    "core": set(),
    "load": {"core"},
    "search": {"core", "load"},
    "output": {"core", "load"},
    "authoring": {"core", "load"},
    "export": {"core", "load", "search"},
    "fetch": {"core", "load", "authoring"},
    "cli": {"core", "load", "search", "output", "authoring", "export", "fetch"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every vnecon module this file imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "vnecon")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "vnecon":
            assert node.level == 0, f"{path}: use absolute imports"
            for alias in node.names:  # `from vnecon.cli import commands` imports a module
                sub = f"{node.module}.{alias.name}"
                found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                          else node.module)
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_every_module_lives_in_a_subpackage():
    loose = [m for m in graph() if layer(m) is None and m not in ("vnecon", "vnecon.__main__")]
    assert loose == [], "modules belong in a subpackage named after what they do"
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(ALLOWED)


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, deps in g.items():
        own = layer(module)
        if own is None:
            continue
        for dep in sorted(deps):
            other = layer(dep)
            if other is not None and other != own and other not in ALLOWED[own]:
                wrong.append(f"{module} imports {dep} ({own} -> {other})")
    return wrong


def cycles(g: dict[str, set[str]]) -> list[str]:
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found = []

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for dep in sorted(g.get(m, ())):
            if dep not in g or dep == m:
                continue
            if seen.get(dep) == 1:
                found.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif dep not in seen:
                visit(dep, path + [dep])
        seen[m] = 2

    for m in sorted(g):
        if m not in seen:
            visit(m, [m])
    return found


def test_subpackages_import_only_downwards():
    assert upward_imports(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_the_checks_catch_an_upward_import_and_a_cycle():
    g = graph()
    g["vnecon.load.model"] = g["vnecon.load.model"] | {"vnecon.cli.app"}
    g["vnecon.search.index"] = g["vnecon.search.index"] | {"vnecon.search.refresh"}
    assert upward_imports(g) == ["vnecon.load.model imports vnecon.cli.app (load -> cli)"]
    assert any("vnecon.search.index" in c and "vnecon.search.refresh" in c for c in cycles(g))


def test_every_subpackage_says_what_it_holds_and_must_not_import():
    for name in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), f"vnecon/{name}/__init__.py needs a docstring naming its rules"


# One scope (issue 31): every query a command runs sees the same facts, so only the index reads
# the facts table; everything else reads the command's scope, `FROM {index.seen} AS facts`.
# `check` (search/checks.py) is the one exception: it reads what is written, every row valid
# or not of every layer, not what a query sees.
RAW_READERS = ("vnecon/search/index.py", "vnecon/search/checks.py")
_RAW_FACTS = __import__("re").compile(r"\b(?:FROM|JOIN)\s+(?:main\.)?facts\b", __import__("re").IGNORECASE)


def raw_fact_reads(files: dict[str, str]) -> list[str]:
    return [f"{name}:{n}" for name, text in files.items() if name not in RAW_READERS
            for n, line in enumerate(text.splitlines(), 1) if _RAW_FACTS.search(line)]


def test_only_the_index_reads_the_facts_table():
    files = {str(p.relative_to(PACKAGE.parent)): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    assert raw_fact_reads(files) == []


def test_the_scope_check_catches_a_raw_read():
    assert raw_fact_reads({"vnecon/search/query.py": 'sql = "SELECT rowid FROM facts WHERE live"'}) == [
        "vnecon/search/query.py:1"]
    assert raw_fact_reads({"vnecon/search/query.py": 'f"SELECT id FROM {index.seen} AS facts"'}) == []
