"""tabletop: tabletop-exercise runbooks as code."""

__version__ = "0.1.0"
