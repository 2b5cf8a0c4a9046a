"""Every example in the help runs: each command's 'Examples:' and each option's 'e.g.'."""

from __future__ import annotations

import re
import shlex

import pytest

from vnecon.cli.spec import COMMANDS


def examples() -> list[tuple[str, list[str], bool]]:
    """(command line as written, argv, refused on purpose) for every example in --help."""
    out = []
    for cmd in COMMANDS.values():
        text = re.sub(r"\\\n\s*", " ", cmd.doc)
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("vnecon "):
                continue
            refused = "# refused" in line
            words = shlex.split(re.split(r"\s[|>]\s|\s#", line)[0])
            out.append((line, words[1:], refused))
        for opt in cmd.opts:
            for eg in re.findall(r"e\.g\. (--[\w-]+ [^\s()]+?)[.;,]?(?:\s|$)", opt.help or ""):
                out.append((f"vnecon {cmd.name} {eg}", [cmd.name, *eg.split()], False))
    return out


# import reads files of the user's; fetch reaches the network (tests/test_fetch.py runs its examples
# against a local server)
EXAMPLES = [e for e in examples() if e[1][0] not in ("import", "fetch")]


def test_the_examples_are_found():
    lines = [line for line, _, _ in EXAMPLES]
    assert "vnecon projects --sort location,-investment_total" in lines
    assert "vnecon indicators --sort=-value --limit 10" in lines and len(lines) > 30


@pytest.mark.parametrize("line,argv,refused", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_help_example_runs(line, argv, refused, cli, tmp_path):
    (tmp_path / "my-facts").mkdir(exist_ok=True)
    (tmp_path / "extra.toml").write_text("")
    code, _, err = cli(*argv, bundled=True)
    if refused:
        assert code == 2 and "cannot compare" in err
    else:
        assert code in (0, 1) and "error:" not in err, (line, err)
