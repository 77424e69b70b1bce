"""Reading files the way keepalived does: comments, `@` conditional lines, `$NAME` parameters,
`~SEQ`/`~LST` sequences and `include`, line by line (see keepalived-language.md §0-§7).

The result is a list of logical lines whose characters each remember the file, line and
column they were written at, so every later span points into what the user wrote.

The order of the stages follows keepalived 2.2.7's `read_line()` (lib/parser.c): a physical
line is decommented; if a `$NAME=` definition is open it is a continuation line; otherwise
`@id` is checked, then `$NAME=`, then `~SEQ`/`~LST`, then parameters are substituted (and the
line decommented and rechecked), and finally `include` is recognised.
"""
from __future__ import annotations

import os
from pathlib import Path

from kaconf.loader.lines import (
    BLANKS,
    C_SPACE,
    DEFINITION,
    decomment,
    default_config_id,
    physical_lines,
    read_text,
)
from kaconf.loader.reader import Definition, Loaded, Loader, LoadError


def load(path: str | Path, config_id: str | None = None) -> Loaded:
    """Read `path` and everything it includes, for `config_id` (default: keepalived's own).
    Raises LoadError when the file itself cannot be read."""
    cid = config_id if config_id is not None else default_config_id()
    loader = Loader(cid)
    display = str(path)
    loader.load_file(display, None)
    return Loaded(path=display, config_id=cid, lines=loader.out, diagnostics=loader.diags,
                  sources=loader.sources)


def load_text(text: str, name: str = "<text>", config_id: str = "") -> Loaded:
    """Read configuration text that is not in a file (tests, stdin); includes resolve from
    the directory part of `name` (the current directory for '<text>')."""
    loader = Loader(config_id)
    loader.read_source(name, text, os.path.realpath(name))
    return Loaded(path=name, config_id=config_id, lines=loader.out,
                  diagnostics=loader.diags, sources=loader.sources)

__all__ = ["BLANKS", "C_SPACE", "DEFINITION", "Definition", "LoadError", "Loaded", "Loader",
           "decomment", "default_config_id", "load", "load_text", "physical_lines", "read_text"]
