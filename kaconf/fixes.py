"""Applying the safe fixes diagnostics carry (`kaconf lint --fix` / `--diff`)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kaconf.diagnostics import Diagnostic, Fix, Severity
from kaconf.fileio import text_diff


@dataclass(frozen=True, slots=True)
class Applied:
    """One fix that changed a file: the finding it answers and the text it replaced."""

    diagnostic: Diagnostic
    before: str

    @property
    def file(self) -> str:
        return self.diagnostic.span.file if self.diagnostic.fix is None else \
            self.diagnostic.fix.span.file

    def describe(self, verb: str = "fixed") -> str:
        """`file:line:col: fixed KA103 'nb_get_retry' -> 'retry'` (one line per fix)."""
        d, fix = self.diagnostic, self.diagnostic.fix
        assert fix is not None
        s = fix.span
        return (f"{s.file}:{s.line}:{s.column}: {verb} {d.code} '{self.before}' -> "
                f"'{fix.replacement}'")


def fixes_by_file(diags: Iterable[Diagnostic],
                  least: Severity = Severity.INFO) -> dict[str, list[Diagnostic]]:
    """The findings at or above `least` that carry a one-line fix, by file (one per place)."""
    out: dict[str, dict[tuple[int, int], Diagnostic]] = {}
    for d in diags:
        f = d.fix
        if f is None or f.span.line != f.span.end_line or d.severity.rank < least.rank:
            continue
        out.setdefault(f.span.file, {})[(f.span.line, f.span.column)] = d
    return {file: list(found.values()) for file, found in out.items()}


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """The text with every fix applied; overlapping fixes after the first are dropped."""
    return _apply(text, [(f, None) for f in fixes])[0]


def _apply(text: str, fixes: list[tuple[Fix, Diagnostic | None]]
           ) -> tuple[str, list[Applied]]:
    lines = text.split("\n")
    taken: dict[int, list[tuple[int, int]]] = {}
    applied: list[Applied] = []
    for fix, diag in sorted(fixes, key=lambda f: (f[0].span.line, -f[0].span.column)):
        s = fix.span
        start, end = s.column - 1, s.end_column - 1
        if not 1 <= s.line <= len(lines) or end > len(lines[s.line - 1].rstrip("\r")):
            continue
        if any(a < end and start < b for a, b in taken.get(s.line, [])):
            continue
        taken.setdefault(s.line, []).append((start, end))
        line = lines[s.line - 1]
        if line[start:end] == fix.replacement:
            continue
        if diag is not None:
            applied.append(Applied(diag, line[start:end]))
        lines[s.line - 1] = line[:start] + fix.replacement + line[end:]
    applied.sort(key=lambda a: (a.diagnostic.span.line, a.diagnostic.span.column))
    return "\n".join(lines), applied


def fix_files(diags: Iterable[Diagnostic], sources: dict[str, str],
              least: Severity = Severity.INFO) -> Iterator[tuple[str, str, list[Applied]]]:
    """(file, fixed text, fixes applied) for every file a fix changes, in file order."""
    for file, found in sorted(fixes_by_file(diags, least).items()):
        before = sources.get(file)
        if before is None:
            continue
        after, applied = _apply(before, [(d.fix, d) for d in found if d.fix is not None])
        if after != before:
            yield file, after, applied


def unified_diff(path: str, before: str, after: str) -> str:
    """The same header style as `kaconf fmt --diff`: the file name, then what each side is."""
    return text_diff(before, after, f"{path}\t(original)", f"{path}\t(fixed)")
