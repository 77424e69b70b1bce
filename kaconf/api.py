"""The library API: every stage of kaconf as a function that the CLI and the tests call.

    load ─▶ parse ─▶ build_tree ─▶ check_keywords ─▶ build_ast ─▶ lint ─▶ render
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from kaconf.diagnostics import SYNTAX_ERROR, Diagnostic, Severity, summarise
from kaconf.fixes import Applied
from kaconf.keywords import DEFAULT_TARGET, parse_version, table
from kaconf.loader import DEFAULT_LIMITS, Limits, Loaded, LoadError, load, load_text
from kaconf.report import Report
from kaconf.settings import Settings, load_settings
from kaconf.source import Span
from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.model import Config
    from kaconf.secrets import Masker


@dataclass
class Document:
    """One file read for one config id: its tree, typed model and reading diagnostics."""

    path: str
    config_id: str
    target: str
    tree: Node
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)

    @cached_property
    def config(self) -> Config:
        """The typed model, built on first use (reading alone does not need it)."""
        from kaconf.grammar.to_ast import build_ast

        missing = [d.span for d in self.diagnostics if d.code in ("KA002", "KA004")]
        return build_ast(self.tree, self.path, missing)


def parse_loaded(loaded: Loaded, target: str = DEFAULT_TARGET) -> Document:
    """Structure and keyword-check what the loader read."""
    from kaconf.checks import check_cut_values, check_keywords
    from kaconf.grammar.lexer import iter_lines
    from kaconf.grammar.parser_types import ParseFailure
    from kaconf.grammar.structure import build_tree

    version = parse_version(target)
    diags = list(loaded.diagnostics)
    lines = loaded.lines
    try:
        tree, structure_diags = build_tree(iter_lines(line.text for line in lines), lines,
                                           table(), version, target, loaded.path)
    except ParseFailure as exc:  # the grammar accepts every loader output; kept as a guard
        line = lines[min(exc.index, len(lines) - 1)]
        where = line.span(exc.offset, exc.offset + 1)
        diags.append(SYNTAX_ERROR.at(where, "cannot parse this line"))
        tree, structure_diags = build_tree([], lines, table(), version, target, loaded.path)
    diags.extend(structure_diags)
    diags.extend(check_keywords(tree, table()))
    diags.extend(check_cut_values(tree, loaded.sources))
    return Document(loaded.path, loaded.config_id, target, tree, summarise(dedupe(diags)),
                    loaded.sources)


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


def lint_paths(paths: Sequence[str | Path], config_ids: Sequence[str] | str | None = None,
               target: str | None = None, settings: Settings | None = None,
               strict: bool = False, texts: dict[str, str] | None = None) -> Report:
    """Read every file (once per config id) and run the rules selected by `settings`, then
    check the files that form MASTER/BACKUP clusters together. Unreadable files become KA004
    and a failure (exit status 2). A path in `texts` is read from that text instead of the
    file system (`kaconf lint -` with `--stdin-filename`)."""
    from kaconf.lint import cluster_findings, lint_document
    from kaconf.rules import RULES

    settings = settings or load_settings(None)
    version = target or settings.target_version
    ids: list[str | None] = ([config_ids] if isinstance(config_ids, str)
                             else [*(config_ids or settings.config_ids)] or [None])
    report = Report(secret_keywords=tuple(settings.secret_keywords))
    for path in paths:
        for cid in ids:
            doc = _read(path, cid, version, report, texts, settings)
            if doc is not None:
                report.documents.append(doc)
                report.diagnostics.extend(lint_document(doc, settings, RULES, strict))
    groups, extra = cluster_groups(settings, paths)
    peers = [d for f in extra for cid in ids
             if (d := _read(f, cid, version, report, None, settings))]
    report.clusters, found = cluster_findings(report.documents + peers, groups, RULES, settings,
                                              strict)
    report.diagnostics.extend(found)
    report.diagnostics = summarise(dedupe(report.diagnostics))
    return report


def _read(path: str | Path, config_id: str | None, target: str, report: Report,
          texts: dict[str, str] | None = None, settings: Settings | None = None
          ) -> Document | None:
    try:
        if texts is not None and str(path) in texts:
            from kaconf.loader import default_config_id

            cid = config_id if config_id is not None else default_config_id()
            root, limits = read_limits(path, settings)
            doc = parse_loaded(load_text(texts[str(path)], str(path), cid, root, limits), target)
        else:
            doc = parse_file(path, config_id, target, settings)
    except LoadError as exc:
        report.diagnostics.append(exc.diagnostic)
        report.failures.append(exc.diagnostic.message)
        return None
    report.sources.update(doc.sources)
    return doc


def cluster_groups(settings: Settings,
                   paths: Sequence[str | Path]) -> tuple[list[list[str]], list[str]]:
    """The settings' cluster groups that involve one of `paths` (file names resolved from the
    settings file's folder), and the members of those groups that were not given."""
    import os

    base = os.path.dirname(settings.source) if settings.source else os.getcwd()
    given = {os.path.realpath(p) for p in paths}
    groups: list[list[str]] = []
    extra: list[str] = []
    for group in settings.cluster:
        files = [f if os.path.isabs(f) else os.path.normpath(os.path.join(base, f))
                 for f in group.files]
        real = [os.path.realpath(f) for f in files]
        if not given & set(real):
            continue
        groups.append(files)
        extra += [f for f, r in zip(files, real) if r not in given and f not in extra]
    return groups, extra


def apply_report_fixes(report: Report, write: bool, out: TextIO,
                       least: Severity = Severity.INFO) -> list[Applied]:
    """Apply the safe fixes of findings at or above `least`: rewrite the files atomically
    (write=True) or print them as a unified diff. Returns the fixes that change a file."""
    from kaconf.fileio import write_atomic
    from kaconf.fixes import fix_files, unified_diff
    from kaconf.secrets import report_masker

    done: list[Applied] = []
    for file, after, applied in fix_files(report.diagnostics, report.sources, least):
        done += applied
        if write:
            write_atomic(file, after, expected=report.sources[file])
        else:
            out.write(report_masker(report).diff(unified_diff(file, report.sources[file], after)))
    return done


def arrange(report: Report, least: Severity = Severity.INFO,
            order: Literal["file", "severity"] | str = "file") -> None:
    """Keep the findings at or above `least` (`--quiet`: errors and warnings) and sort them by
    file and line, or errors first (`--sort severity`), in place."""
    report.diagnostics = [d for d in report.diagnostics if d.severity.rank >= least.rank]
    if order == "severity":
        report.diagnostics.sort(key=lambda d: (-d.severity.rank, d.sort_key()))


DUMP_HEADER = ["the configuration as keepalived 2.2.7 reads it (kaconf dump --format conf):",
               "includes inlined, @ lines applied, $ parameters expanded, comments dropped"]


def print_config(config: Config, show_secrets: bool = False,
                 header: list[str] | None = None) -> str:
    """keepalived.conf text for a typed model (read from a file or built in code)."""
    from kaconf.emit.printer import Secrets
    from kaconf.emit.printer import print_config as _print

    return _print(config, Secrets.SHOW if show_secrets else Secrets.MASK, header)


def dump(doc: Document, fmt: str = "json", typed: bool = False, secrets: bool = False) -> str:
    """`kaconf dump`: JSON of the tree or model with spans, or (`conf`) the configuration as
    keepalived reads it, printed back from the model."""
    if fmt == "conf":
        from kaconf.secrets import escape_controls, masker_for

        text = print_config(doc.config, secrets, DUMP_HEADER)
        if secrets:
            return escape_controls(text, keep="\n\t")
        return masker_for(doc.sources, [doc.tree]).document(text)
    from kaconf.emit.dump import dump_json

    return dump_json(doc, typed=typed, secrets=secrets) + "\n"


def mask_report(report: Report) -> Masker:
    """Mask the report's findings in place as they would leave kaconf (secrets hidden,
    control characters escaped), for output built from them outside a renderer (graph);
    returns the masker for the rest of that output."""
    from kaconf.secrets import masked_diagnostic, report_masker

    masker = report_masker(report)
    report.diagnostics = [masked_diagnostic(d, masker) for d in report.diagnostics]
    return masker


def dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = d.sort_key()
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


__all__ = ["Applied", "Document", "LoadError", "Report", "Severity", "Span", "arrange", "dump",
           "print_config",
           "dedupe", "lint_paths", "mask_report", "parse_file", "parse_loaded", "parse_text"]
