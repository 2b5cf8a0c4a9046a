"""Other spellings of places, countries and abbreviations, from aliases.toml.

Every name is folded (``text.phrase``) so 'Hà Nội', 'HA NOI' and 'ha noi'
are one key.  A merger (Hà Nam into Ninh Bình from 2025-07-01) makes the
new province's names also reach the old province's.
"""

from __future__ import annotations

from vnecon.core.text import phrase


class Aliases:
    def __init__(self, groups: list[list[str]], mergers: list[dict[str, str]] | None = None) -> None:
        self._group_of: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}  # folded name -> the group's first name as written
        for names in groups:
            for n in names:
                self._display.setdefault(phrase(n), names[0])
            folded = {phrase(n) for n in names} - {""}
            # Two groups sharing a name become one group.
            merged = set(folded)
            for n in folded:
                merged |= self._group_of.get(n, set())
            for n in merged:
                self._group_of[n] = merged
        self._absorbed: dict[str, set[str]] = {}
        for m in mergers or []:
            into = self.alternatives(m["into"], with_mergers=False)
            old = self.alternatives(m["from"], with_mergers=False)
            for n in into:
                self._absorbed.setdefault(n, set()).update(old)
        names = list(self._group_of) + [n for olds in self._absorbed.values() for n in olds] + list(self._absorbed)
        self.longest = max((len(n.split()) for n in names), default=1)

    def alternatives(self, text: str, with_mergers: bool = True) -> list[str]:
        """Every folded spelling of a name, itself first; old provinces follow new ones."""
        key = phrase(text)
        out = [key]
        for n in sorted(self._group_of.get(key, ())):
            if n not in out:
                out.append(n)
        if with_mergers:
            for n in list(out):
                for old in sorted(self._absorbed.get(n, ())):
                    if old not in out:
                        out.append(old)
        return out

    def display(self, text: str) -> str:
        """The standard spelling of a known name ('Ha Noi' -> 'Hà Nội'); the text itself otherwise."""
        return self._display.get(phrase(text), text)

    def names(self) -> list[str]:
        """Every folded name that has other spellings."""
        return list(self._group_of) + [n for n in self._absorbed if n not in self._group_of]

    def known(self, folded_phrase: str) -> bool:
        return folded_phrase in self._group_of or folded_phrase in self._absorbed

    def split(self, tokens: list[str]) -> list[list[str]]:
        """Group folded tokens into terms: the longest known alias phrase wins.

        ['ha', 'noi', 'exports'] -> [['ha noi', 'hanoi', ...], ['exports']]
        """
        terms: list[list[str]] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                candidate = " ".join(tokens[i:i + n])
                if self.known(candidate):
                    terms.append(self.alternatives(candidate))
                    i += n
                    break
            else:
                terms.append([tokens[i]])
                i += 1
        return terms


_BUNDLED_GROUPS: list[list[str]] | None = None


def bundled_groups() -> list[list[str]]:
    """The alias groups shipped with vnecon (facts/aliases.toml), read once; [] if it cannot be read."""
    global _BUNDLED_GROUPS
    if _BUNDLED_GROUPS is None:
        from vnecon.load.layers import bundled_dir
        from vnecon.load.tomlread import ERRORS, tomllib

        try:
            doc = tomllib.loads((bundled_dir() / "aliases.toml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, *ERRORS):
            doc = {}
        _BUNDLED_GROUPS = [list(a["names"]) for a in doc.get("alias", [])
                           if isinstance(a, dict) and isinstance(a.get("names"), list)]
    return _BUNDLED_GROUPS


def place_aliases(groups: list[list[str]], mergers: list[dict[str, str]] | None = None) -> Aliases:
    """The loaded alias groups, then the bundled ones: 'Viet Nam' is 'Vietnam' even with --no-bundled.

    Spellings are knowledge about names, not facts: a series or an import
    must not split one place in two because the bundled facts were left out.
    The loaded groups come first, so a user's canonical spelling wins.
    """
    return Aliases([*groups, *bundled_groups()], mergers)
