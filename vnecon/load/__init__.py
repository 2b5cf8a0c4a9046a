"""Facts from files: the schema (model), TOML reading and positions, validation,
the five layers, the config file, finding files and the `check` linter.

May import only vnecon.core.  No Typer and no Rich: a query reads its config
and layers through here before deciding whether to draw anything.
"""
