"""`--format sarif`: a SARIF 2.1.0 log, as GitHub code scanning and other SARIF viewers read it.

Spans map directly: SARIF lines and columns are 1-based and `endColumn` is exclusive, like
ours; `columnKind` says columns count characters (code points), as kaconf's do. No source
snippet is included, so no secret can leak through one; messages and notes go through the
masking pass (kaconf.secrets).
"""
from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from kaconf import __version__
from kaconf.diagnostics import Diagnostic, Severity
from kaconf.document import Report
from kaconf.registry import all_codes, explanation
from kaconf.secrets import masked_diagnostic, report_masker
from kaconf.source import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def portable_path(file: str) -> str:
    """A path for CI tools: relative to the working directory when the file lies under it,
    with forward slashes."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    return PurePosixPath(*path.parts).as_posix() if path.parts else file


def artifact_uri(file: str) -> str:
    """A relative URI reference for files under the working directory, a file: URI otherwise."""
    path = portable_path(file)
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path, safe="/")


def tool_version() -> str:
    """kaconf's version, as `kaconf --version` prints it and pip records it (pyproject.toml
    takes it from kaconf.__version__): no package metadata is read (38 ms)."""
    return __version__


def region(span: Span) -> dict[str, int]:
    end_column = span.end_column
    if span.end_line == span.line:
        end_column = max(end_column, span.column)
    return {"startLine": span.line, "startColumn": span.column,
            "endLine": max(span.end_line, span.line), "endColumn": max(end_column, 1)}


def location(span: Span) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(span.file)},
                                 "region": region(span)}}


def rule_descriptor(d: Diagnostic) -> dict[str, Any]:
    """The rule entry for the code of `d`, from the registry (or from `d` for a code the
    registry does not know, which should not happen)."""
    info = all_codes().get(d.code)
    summary = info.summary if info else d.name
    text = explanation(d.code).strip() or summary
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    return {
        "id": d.code, "name": d.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": first},
        "help": {"text": text, "markdown": f"**{d.code} {d.name}**\n\n{text}"},
        "defaultConfiguration": {"level": LEVELS[info.severity if info else d.severity]},
    }


def result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": d.code, "ruleIndex": index[d.code],
                           "level": LEVELS[d.severity], "message": {"text": d.message},
                           "locations": [location(d.span)]}
    if d.related:
        out["relatedLocations"] = [{"id": i, **location(r.span), "message": {"text": r.note}}
                                   for i, r in enumerate(d.related, start=1)]
    return out


def sarif_log(report: Report) -> dict[str, Any]:
    diags: list[Diagnostic] = []
    if report.diagnostics:      # the masker scans every file: made only for a finding
        masker = report_masker(report)
        diags = sorted((masked_diagnostic(d, masker) for d in report.diagnostics),
                       key=Diagnostic.sort_key)
    first: dict[str, Diagnostic] = {}
    for d in sorted(diags, key=lambda d: d.code):
        first.setdefault(d.code, d)
    index = {code: i for i, code in enumerate(first)}
    driver: dict[str, Any] = {"name": "kaconf", "version": tool_version()}
    driver["rules"] = [rule_descriptor(d) for d in first.values()]
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not report.failures}],
        "results": [result(d, index) for d in diags],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report, out: TextIO) -> None:
    json.dump(sarif_log(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
