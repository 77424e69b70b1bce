"""gen-pair: a cluster description (pydantic, from TOML) compiled into the directors' configs."""
from __future__ import annotations


class GenError(Exception):
    """gen-pair or init cannot go on; the message is one or more lines for the user."""
