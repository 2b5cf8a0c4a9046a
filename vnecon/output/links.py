"""Web addresses on a terminal: clickable (OSC 8 hyperlinks) where the terminal supports them, never cut.

Whether to link is decided once, from the stream and the environment, and
passed down (``hyperlinks(...)``); the writers only wrap.  Never in a pipe or
a file: there the text is the address itself, byte for byte.
"""

from __future__ import annotations

import re

URL = re.compile(r"https?://\S+")

# Terminals known to show OSC 8 hyperlinks, by the variables they set.  Elsewhere (tmux, screen,
# the Linux console, unknown ones) nothing is sent unless FORCE_HYPERLINK=1: an old terminal would
# print the escape sequence as text.
_TERM_PROGRAMS = ("iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby", "rio")
_TERMS = ("xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm", "contour")


def hyperlinks(is_terminal: bool, environ: dict | None = None) -> bool:
    """Link URLs?  Never off a terminal.  VNECON_NO_LINKS set to anything, FORCE_HYPERLINK=0 or
    TERM=dumb: no.  FORCE_HYPERLINK=1: yes.  Otherwise only on terminals known to support them."""
    import os

    env = os.environ if environ is None else environ
    if not is_terminal or env.get("VNECON_NO_LINKS") or env.get("TERM", "").lower() == "dumb":
        return False
    force = env.get("FORCE_HYPERLINK")
    if force is not None and force.strip() != "":
        return force.strip() not in ("0", "false", "no", "off")
    if env.get("TMUX") or env.get("STY"):  # tmux and screen pass OSC 8 on only when configured to
        return False
    vte = env.get("VTE_VERSION", "")
    return (env.get("TERM_PROGRAM", "") in _TERM_PROGRAMS or env.get("TERM", "") in _TERMS
            or (vte.isdigit() and int(vte) >= 5000) or bool(env.get("WT_SESSION"))
            or bool(env.get("KONSOLE_VERSION")) or bool(env.get("DOMTERM")))


def osc8(url: str, text: str | None = None) -> str:
    """``text`` (the URL itself by default) as a hyperlink to ``url``.  The URL is made safe first:
    a control character in it could end the sequence early."""
    safe = "".join(c for c in url if c.isprintable() and c != "\x1b")
    return f"\x1b]8;;{safe}\x1b\\{text if text is not None else url}\x1b]8;;\x1b\\"


def link_urls(line: str) -> str:
    """Every URL in a line made a hyperlink to itself."""
    return URL.sub(lambda m: osc8(m.group(0)), line)


def is_url(text: str) -> bool:
    return bool(URL.fullmatch(text.strip()))
