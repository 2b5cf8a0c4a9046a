"""Writing facts: templates for `vnecon new` and the safe append to a file.

May import vnecon.core and vnecon.load (to validate before writing), never
search, output or cli.
"""
