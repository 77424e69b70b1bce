"""`--format text`: `file:line:col: severity CODE message`, the source line and carets.

Colour comes from rich when the stream is a terminal; piped output is plain text.
"""
from __future__ import annotations

from typing import TextIO

from kaconf.diagnostics import Diagnostic
from kaconf.document import Report
from kaconf.secrets import Masker, defuse_workflow_commands, report_masker

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WINDOW = 120          # columns of a long source line shown around the finding


def excerpt(report: Report, d: Diagnostic, masker: Masker | None = None,
            memo: Memo | None = None) -> tuple[str, str] | None:
    """The source line of a finding as shown (secrets masked, control characters escaped, a
    long line cut to a window around the span) and the carets under the span. The carets
    under a masked secret are as wide as the mask, whatever the secret's length."""
    line = report.source_line(d.span.file, d.span.line)
    if line is None:
        return None
    masker = masker or report_masker(report)
    if memo is None or d.span.line in masker.places.get(d.span.file, ()):
        return _excerpt(masker, d, line)
    # no secret found on this line by the file's scan: what is shown follows from its text
    key = (line, d.span.column, d.span.end_column if d.span.end_line == d.span.line else -1)
    found = memo.excerpts.get(key)
    if found is None:
        found = memo.excerpts[key] = _excerpt(masker, d, line)
    return found


def _excerpt(masker: Masker, d: Diagnostic, line: str) -> tuple[str, str]:
    raw = line.rstrip("\r")
    start = max(d.span.column - 1, 0)
    end = d.span.end_column - 1 if d.span.end_line == d.span.line else len(raw)
    begin = max(0, min(start - WINDOW // 4, len(raw) - WINDOW))
    stop = min(len(raw), begin + WINDOW)
    shown, columns = masker.line(d.span.file, d.span.line, raw)
    first, last = columns[begin], columns[stop]
    text = shown[first:last].replace("\t", " ")
    left = "..." if begin else ""
    right = "..." if stop < len(raw) else ""
    a = columns[min(start, len(raw))] - first
    b = columns[min(max(end, start), len(raw))] - first
    b = min(b, len(text))
    carets = " " * (len(left) + max(a, 0)) + "^" * max(b - a, 1)
    return left + text + right, carets


class Memo:
    """What text output works out once for the findings of one report: each message as
    shown, and the excerpt of a line on which the scan of its file found no secret, by its
    text and the span's columns (the same text shows the same wherever it is)."""

    __slots__ = ("messages", "excerpts")

    def __init__(self) -> None:
        self.messages: dict[str, str] = {}
        self.excerpts: dict[tuple[str, int, int], tuple[str, str]] = {}


def format_plain(report: Report, d: Diagnostic, masker: Masker | None = None,
                 memo: Memo | None = None) -> list[str]:
    """The lines of one finding; `memo` (shared by the findings of one report) keeps what
    many of them show alike."""
    masker = masker or report_masker(report)
    where = masker.text(f"{d.span.file}:{d.span.line}:{d.span.column}:")
    message = memo.messages.get(d.message) if memo is not None else None
    if message is None:
        message = masker.text(d.message)
        if memo is not None:
            memo.messages[d.message] = message
    out = [f"{where} {d.severity.value} {d.code} {message}"]
    shown = excerpt(report, d, masker, memo)
    if shown is not None:
        out += [f"  {shown[0]}", f"  {shown[1]}"]
    for rel in d.related:
        place = f"{rel.span.file}:{rel.span.line}:{rel.span.column}"
        out.append(f"  note: {masker.text(place)}: {masker.text(rel.note)}")
    return [defuse_workflow_commands(line) for line in out]


def summary(report: Report) -> str:
    counts = report.counts()
    if not any(counts.values()):
        files = len({doc.path for doc in report.documents})   # a file read per config id is one
        return f"no problems in {files} file{'s' if files != 1 else ''}"
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n]
    return "found " + ", ".join(parts)


def render_text(report: Report, out: TextIO) -> None:
    color = hasattr(out, "isatty") and out.isatty()
    if not color:
        lines = []
        if report.diagnostics:      # the masker scans every file: made only for a finding
            masker = report_masker(report)
            memo = Memo()
            for d in report.diagnostics:
                lines += format_plain(report, d, masker, memo)
        lines.append(summary(report))
        out.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True)
    for d in report.diagnostics:
        masker = report_masker(report)
        lines = format_plain(report, d, masker)
        style = STYLES[d.severity.value]
        loc = masker.text(f"{d.span.file}:{d.span.line}:{d.span.column}:")
        console.print(f"[bold]{escape(loc)}[/] [{style}]{d.severity.value}[/] [bold]{d.code}[/] "
                      f"{escape(masker.text(d.message))}")
        for extra in lines[1:]:
            console.print(escape(extra), style="dim" if extra.startswith("  note") else None)
    console.print(summary(report), style="bold")
