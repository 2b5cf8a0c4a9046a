"""vnecon: cited facts about Vietnam's economy, from the command line."""

__version__ = "0.1.0"
