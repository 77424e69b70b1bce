"""kaconf: compiler and linter for keepalived configuration."""

__version__ = "0.1.0"
