"""Reading a configuration into a Document: load, structure, keyword checks."""
from __future__ import annotations

from dataclasses import replace
from operator import itemgetter
from pathlib import Path

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.document import Document
from kaconf.keywords import DEFAULT_TARGET, parse_version, table
from kaconf.loader import DEFAULT_LIMITS, Limits, Loaded, load, load_text
from kaconf.loader.codes import LIMIT_EXCEEDED, SYNTAX_ERROR
from kaconf.settings import Settings, load_settings


def parse_loaded(loaded: Loaded, target: str = DEFAULT_TARGET) -> Document:
    """Structure and check what the loader read (one pass: kaconf.grammar.structure)."""
    from kaconf.grammar.parser_types import ParseFailure
    from kaconf.grammar.structure import build_tree

    version = parse_version(target)
    diags = list(loaded.diagnostics)
    lines = loaded.lines
    secrets: set[str] = set()
    try:
        tree, found = build_tree(lines, table(), version, target, loaded.path, loaded.sources,
                                 secrets)
    except ParseFailure as exc:  # the grammar accepts every loader output; kept as a guard
        line = lines[min(exc.index, len(lines) - 1)]
        where = line.span(exc.offset, exc.offset + 1)
        diags.append(SYNTAX_ERROR.at(where, "cannot parse this line"))
        secrets = set()
        tree, found = build_tree([], table(), version, target, loaded.path, loaded.sources,
                                 secrets)
    diags.extend(found)
    doc = Document(loaded.path, loaded.config_id, target, tree, summarise(dedupe(diags)),
                   loaded.sources)
    doc.__dict__["secret_values"] = frozenset(secrets)   # Document.secret_values, found
    return doc


def parse_file(path: str | Path, config_id: str | None = None,
               target: str = DEFAULT_TARGET, settings: Settings | None = None) -> Document:
    """Read and parse a file, its includes only inside the include root and within the size
    limit of `settings` (kaconf.settings.include_root). Raises LoadError when the file itself
    cannot be read."""
    root, limits = read_limits(path, settings)
    return parse_loaded(load(path, config_id, root, limits), target)


def read_limits(path: str | Path, settings: Settings | None) -> tuple[str, Limits]:
    """The include root and the reading limits for `path` under `settings`."""
    from kaconf.settings import include_root

    settings = settings or load_settings(None)
    return (include_root(settings, path),
            replace(DEFAULT_LIMITS, file_bytes=settings.max_file_size))


def parse_text(text: str, name: str = "<text>", config_id: str = "",
               target: str = DEFAULT_TARGET) -> Document:
    return parse_loaded(load_text(text, name, config_id), target)


def dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    """In order, without a second finding of one code at one place (each key made once)."""
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for key, d in sorted([(d.sort_key(), d) for d in diags], key=itemgetter(0)):
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


MAX_REPEATS = 500   # findings of one code in one file shown before the rest are summarised


def summarise(diags: list[Diagnostic], most: int = MAX_REPEATS) -> list[Diagnostic]:
    """The first `most` findings of each code in each file, in order, and for each code cut
    short one info finding saying how many more there are: a file of a million stray braces
    must not print a million findings."""
    seen: dict[tuple[str, str], int] = {}
    first_cut: dict[tuple[str, str], Diagnostic] = {}
    out: list[Diagnostic] = []
    for d in diags:
        key = (d.span.file, d.code)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= most:
            out.append(d)
        elif key not in first_cut:
            first_cut[key] = d
    for (file, code), d in first_cut.items():
        out.append(LIMIT_EXCEEDED.at(d.span, (
            f"{seen[(file, code)] - most} more {code} findings in this file are not shown "
            f"(kaconf shows the first {most} of a kind per file)"), severity=Severity.INFO))
    return out if not first_cut else sorted(out, key=Diagnostic.sort_key)
