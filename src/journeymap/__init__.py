"""journeymap: data-driven customer journey mapping."""

__version__ = "0.1.0"
