"""`--format text`: `file:line:col: severity CODE message`, the source line and carets.

Colour comes from rich when the stream is a terminal; piped output is plain text.
"""
from __future__ import annotations

from typing import TextIO

from kaconf.diagnostics import Diagnostic
from kaconf.report import Report
from kaconf.secrets import mask_line, scrub

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def source_line(report: Report, d: Diagnostic, secrets: set[str] | None = None) -> str | None:
    lines = report.source_lines(d.span.file)
    if lines is None:
        return None
    if not 1 <= d.span.line <= len(lines):
        return None
    shown = mask_line(lines[d.span.line - 1].rstrip("\r").expandtabs(1))
    return scrub(shown, report.secrets() if secrets is None else secrets)


def carets(d: Diagnostic, line: str) -> str:
    start = max(d.span.column - 1, 0)
    end = d.span.end_column - 1 if d.span.end_line == d.span.line else len(line)
    return " " * start + "^" * max(end - start, 1)


def format_plain(report: Report, d: Diagnostic, secrets: set[str] | None = None) -> list[str]:
    head = f"{d.span.file}:{d.span.line}:{d.span.column}: {d.severity.value} {d.code} {d.message}"
    out = [head]
    line = source_line(report, d, secrets)
    if line is not None:
        out += [f"  {line}", f"  {carets(d, line)}"]
    for rel in d.related:
        out.append(f"  note: {rel.span.file}:{rel.span.line}:{rel.span.column}: {rel.note}")
    return out


def summary(report: Report) -> str:
    counts = report.counts()
    if not any(counts.values()):
        files = len(report.documents)
        return f"no problems in {files} file{'s' if files != 1 else ''}"
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n]
    return "found " + ", ".join(parts)


def render_text(report: Report, out: TextIO) -> None:
    color = hasattr(out, "isatty") and out.isatty()
    secrets = report.secrets()
    if not color:
        for d in report.diagnostics:
            out.write("\n".join(format_plain(report, d, secrets)) + "\n")
        out.write(summary(report) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True)
    for d in report.diagnostics:
        lines = format_plain(report, d, secrets)
        style = STYLES[d.severity.value]
        loc = f"{d.span.file}:{d.span.line}:{d.span.column}:"
        console.print(f"[bold]{escape(loc)}[/] [{style}]{d.severity.value}[/] [bold]{d.code}[/] "
                      f"{escape(d.message)}")
        for extra in lines[1:]:
            console.print(escape(extra), style="dim" if extra.startswith("  note") else None)
    console.print(summary(report), style="bold")
