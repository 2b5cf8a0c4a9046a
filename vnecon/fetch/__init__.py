"""`vnecon fetch`: official series (World Bank Indicators API v2, IMF WEO over SDMX) into cited facts.

Plain functions over plain urllib (``http.py``), one module per provider
(``worldbank.py``, ``imf.py``) and the step from a fetched series to facts,
new, revised or unchanged against the facts already loaded (``facts.py``).
May import vnecon.core, vnecon.load and vnecon.authoring (the import writer's
validation and TOML), never search, output or cli; and only the `fetch`
command imports it, so the query path never pays for urllib or XML.
"""
