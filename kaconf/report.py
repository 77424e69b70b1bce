"""The result of a run (kept as the name other modules import it by): kaconf.document."""
from kaconf.document import Report

__all__ = ["Report"]
