"""Applying the safe fixes diagnostics carry (`kaconf lint --fix` / `--diff`)."""
from __future__ import annotations

from collections.abc import Iterable

from kaconf.diagnostics import Diagnostic, Fix
from kaconf.fileio import text_diff


def fixes_by_file(diags: Iterable[Diagnostic]) -> dict[str, list[Fix]]:
    out: dict[str, dict[tuple[int, int], Fix]] = {}
    for d in diags:
        f = d.fix
        if f is None or f.span.line != f.span.end_line:
            continue
        out.setdefault(f.span.file, {})[(f.span.line, f.span.column)] = f
    return {file: list(found.values()) for file, found in out.items()}


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """The text with every fix applied; overlapping fixes after the first are dropped."""
    lines = text.split("\n")
    taken: dict[int, list[tuple[int, int]]] = {}
    for fix in sorted(fixes, key=lambda f: (f.span.line, -f.span.column)):
        s = fix.span
        start, end = s.column - 1, s.end_column - 1
        if not 1 <= s.line <= len(lines) or end > len(lines[s.line - 1].rstrip("\r")):
            continue
        if any(a < end and start < b for a, b in taken.get(s.line, [])):
            continue
        taken.setdefault(s.line, []).append((start, end))
        line = lines[s.line - 1]
        lines[s.line - 1] = line[:start] + fix.replacement + line[end:]
    return "\n".join(lines)


def unified_diff(path: str, before: str, after: str) -> str:
    return text_diff(before, after, f"a/{path}", f"b/{path}")
