"""The bottom layer: exit codes and errors, text folding, periods, diagnostics.

Imports nothing else from vnecon, and nothing heavy (no Typer, Rich, tomllib):
every command, the fast query path included, starts here.
"""
