"""Diagnostics: what kaconf reports, where, and how bad it is."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kaconf.source import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


# Plain frozen dataclasses rather than pydantic models: they are made by the thousand on a
# big file, and building pydantic schemas at import would cost most of a short run's time.
@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    note: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe rewrite: replace the text at `span` (within one line) with `replacement`."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    span: Span
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.code)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "severity": self.severity.value,
            "file": self.span.file, "line": self.span.line, "column": self.span.column,
            "end_line": self.span.end_line, "end_column": self.span.end_column,
            "message": self.message,
            "related": [{**r.span.as_dict(), "note": r.note} for r in self.related],
            "fix": ({"replacement": self.fix.replacement, **self.fix.span.as_dict()}
                    if self.fix else None),
        }


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic kind: stable code, kebab-case name, default severity, one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def at(self, span: Span, message: str, *, severity: Severity | None = None,
           related: tuple[Related, ...] = (), fix: str | None = None) -> Diagnostic:
        """A diagnostic of this kind; `fix` is the text that safely replaces `span`."""
        return Diagnostic(code=self.code, name=self.name, severity=severity or self.severity,
                          span=span, message=message, related=related,
                          fix=Fix(span=span, replacement=fix) if fix is not None else None)


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

SYNTAX_ERROR = Code(code="KA001", name="syntax-error", severity=E,
                    summary="braces or quotes that keepalived cannot pair up")
INCLUDE_NOT_FOUND = Code(code="KA002", name="include-not-found", severity=W,
                         summary="an include pattern that matches no file")
INCLUDE_CYCLE = Code(code="KA003", name="include-cycle", severity=E,
                     summary="a file that includes itself, directly or through others")
UNREADABLE_FILE = Code(code="KA004", name="unreadable-file", severity=E,
                       summary="a file that is missing, a directory, unreadable or not text")
UNDEFINED_PARAMETER = Code(code="KA005", name="undefined-parameter", severity=E,
                           summary="a ${NAME} reference with no $NAME= definition")
BAD_SEQUENCE = Code(code="KA006", name="invalid-sequence", severity=E,
                    summary="a ~SEQ or ~LST line keepalived cannot expand")
VALUE_CUT = Code(code="KA007", name="value-cut-by-comment", severity=W,
                 summary="a # or ! glued to a value, which keepalived reads as a comment")
INCLUDE_REFUSED = Code(code="KA010", name="include-outside-root", severity=W,
                       summary="an include kaconf does not read: outside the include root, or "
                               "under /proc, /sys or /dev")
LIMIT_EXCEEDED = Code(code="KA011", name="limit-exceeded", severity=E,
                      summary="a file or its includes are too big or too deep for kaconf to read "
                              "whole")
UNKNOWN_KEYWORD = Code(code="KA101", name="unknown-keyword", severity=E,
                       summary="a keyword keepalived does not know")
MISPLACED_KEYWORD = Code(code="KA102", name="misplaced-keyword", severity=E,
                         summary="a known keyword in a block where keepalived does not accept it")
REMOVED_KEYWORD = Code(code="KA103", name="removed-keyword", severity=E,
                       summary="a keyword that keepalived 2.x no longer accepts")
DEPRECATED_KEYWORD = Code(code="KA104", name="deprecated-keyword", severity=W,
                          summary="a keyword keepalived still accepts but has replaced")
WRONG_ARITY = Code(code="KA105", name="wrong-arity", severity=E,
                   summary="too few or too many arguments for a keyword")
INVALID_VALUE = Code(code="KA106", name="invalid-value", severity=E,
                     summary="a value keepalived rejects (bad enum, number or address)")
OUT_OF_RANGE = Code(code="KA107", name="out-of-range", severity=E,
                    summary="a number outside the range keepalived accepts")
DUPLICATE_KEYWORD = Code(code="KA108", name="duplicate-keyword", severity=W,
                         summary="a keyword given twice in one block; only one value is used")
DUPLICATE_NAME = Code(code="KA109", name="duplicate-name", severity=E,
                      summary="two blocks of one kind with the same name")
MISSING_REQUIRED = Code(code="KA110", name="missing-required", severity=E,
                        summary="a block without a keyword keepalived requires")

READING_CODES: tuple[Code, ...] = (
    SYNTAX_ERROR, INCLUDE_NOT_FOUND, INCLUDE_CYCLE, UNREADABLE_FILE, UNDEFINED_PARAMETER,
    BAD_SEQUENCE, VALUE_CUT, INCLUDE_REFUSED, LIMIT_EXCEEDED, UNKNOWN_KEYWORD, MISPLACED_KEYWORD,
    REMOVED_KEYWORD, DEPRECATED_KEYWORD, WRONG_ARITY, INVALID_VALUE, OUT_OF_RANGE,
    DUPLICATE_KEYWORD, DUPLICATE_NAME, MISSING_REQUIRED,
)


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
            f"(kaconf shows the first {most} of a kind per file)"), severity=INFO))
    return out if not first_cut else sorted(out, key=Diagnostic.sort_key)
