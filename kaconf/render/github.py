"""`--format github`: GitHub Actions workflow commands, one annotation per diagnostic.

    ::error file=keepalived.conf,line=9,col=23,endLine=9,endColumn=25,title=KA201 duplicate-vrid::...

Escaping follows @actions/core (toolkit `command.ts`): `%`, CR and LF in the message, and
also `:` and `,` in property values. An annotation has one place, so related places go in
the message as extra lines.
"""
from __future__ import annotations

from typing import TextIO

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.document import Report
from kaconf.render.sarif import portable_path
from kaconf.secrets import defuse_workflow_commands, masked_diagnostic, report_masker

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return defuse_workflow_commands(escape_data(text).replace(":", "%3A").replace(",", "%2C"))


def annotation(d: Diagnostic) -> str:
    span = d.span
    props = {"file": portable_path(span.file), "line": span.line, "col": span.column,
             "endLine": span.end_line, "endColumn": span.end_column,
             "title": f"{d.code} {d.name}"}
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    message = d.message
    for rel in d.related:
        where = f"{portable_path(rel.span.file)}:{rel.span.line}:{rel.span.column}"
        message += f"\nnote: {where}: {rel.note}"
    return f"::{COMMANDS[d.severity]} {head}::{defuse_workflow_commands(escape_data(message))}"


def render_github(report: Report, out: TextIO) -> None:
    """One annotation per finding; what comes from a config is masked, escaped and can never
    form a workflow command of its own (a `##[` or a line starting with `::`)."""
    if not report.diagnostics:
        return                      # the masker scans every file: made only for a finding
    masker = report_masker(report)
    out.writelines(annotation(masked_diagnostic(d, masker)) + "\n"
                   for d in sorted(report.diagnostics, key=Diagnostic.sort_key))
