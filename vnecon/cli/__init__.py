"""The command line: the entry point, the Typer-free fast path, the Typer app,
shared options, and the glue that turns results into output and exit codes.

The top layer: may import every other subpackage; nothing imports it.  The
Typer app (app.py) never imports the entry point (entry.py).
"""
