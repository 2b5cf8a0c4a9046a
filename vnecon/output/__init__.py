"""What users read: tables, CSV/TSV/JSON/JSONL/Markdown, and `show`.

May import vnecon.core and vnecon.load.  Rich is imported only inside the
functions that draw, so the machine formats start without it.
"""
