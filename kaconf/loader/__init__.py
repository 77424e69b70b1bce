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

from pathlib import Path

from kaconf.loader.files import DEFAULT_LIMITS, Limits, project_root, real_path
from kaconf.loader.lines import (
    BLANKS,
    C_SPACE,
    DEFINITION,
    decomment,
    default_config_id,
    read_text,
)
from kaconf.loader.reader import Definition, Loaded, Loader, LoadError


def load(path: str | Path, config_id: str | None = None, root: str | Path | None = None,
         limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read `path` and everything it includes, for `config_id` (default: keepalived's own).
    Includes are read only inside `root` (default: the project root of `path`, see
    project_root). Raises LoadError when the file itself cannot be read."""
    cid = config_id if config_id is not None else default_config_id()
    real_root = real_path(root if root is not None else project_root(path))
    loader = Loader(cid, real_root, limits)
    display = str(path)
    loader.load_file(display, None)
    return Loaded(path=display, config_id=cid, lines=loader.out, diagnostics=loader.diags,
                  sources=loader.sources)


def load_text(text: str, name: str = "<text>", config_id: str = "",
              root: str | Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read configuration text that is not in a file (tests, stdin); includes resolve from
    the directory part of `name` (the current directory for '<text>') and are read only
    inside `root` (None: anywhere but /proc, /sys and /dev)."""
    loader = Loader(config_id, real_path(root) if root is not None else None, limits)
    loader.read_source(name, text, real_path(name))
    return Loaded(path=name, config_id=config_id, lines=loader.out,
                  diagnostics=loader.diags, sources=loader.sources)

__all__ = ["BLANKS", "C_SPACE", "DEFAULT_LIMITS", "DEFINITION", "Definition", "Limits",
           "LoadError", "Loaded", "Loader", "decomment", "default_config_id", "load", "load_text",
           "project_root", "read_text"]
