"""Diagnostics: what kaconf reports, where, and how bad it is."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from enum import Enum

from kaconf.records import record
from kaconf.source import Span


def is_code(text: str) -> bool:
    """Whether `text` is a code: KA and three digits (KA\\d{3}, told without compiling a
    pattern at every start-up)."""
    return len(text) == 5 and text.startswith("KA") and text[2:].isdecimal()


def is_name(text: str) -> bool:
    """Whether `text` is a kebab-case name: [a-z][a-z0-9]*(-[a-z0-9]+)*."""
    return "a" <= text[:1] <= "z" and all(
        p.isascii() and p.isalnum() and (p.islower() or p.isdigit()) for p in text.split("-"))


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        # read through _value_, an attribute, not the enum's value property (asked twice a
        # finding when a report is arranged and graded: 0.4 -> 0.1 us)
        return _RANKS[self._value_]


_RANKS = {"error": 3, "warning": 2, "info": 1}


# Plain frozen dataclasses rather than pydantic models: they are made by the thousand on a
# big file, and building pydantic schemas at import would cost most of a short run's time.
@record(frozen=True, slots=True)
class Related:
    span: Span
    note: str


@record(frozen=True, slots=True)
class Fix:
    """A safe rewrite: replace the text at `span` (within one line) with `replacement`."""

    span: Span
    replacement: str


@record(frozen=True, slots=True)
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


@record(frozen=True, slots=True)
class Code:
    """A diagnostic kind, the one home of everything said about a code: stable code, kebab-case
    name, default severity, one-line summary (what `kaconf rules` lists) and the explanation
    `kaconf explain` renders (why it matters, a Bad and a Good example). Declared next to the
    check that raises it; kaconf.registry lists every module that declares codes."""

    code: str
    name: str
    severity: Severity = Severity.ERROR
    summary: str = ""
    explanation: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not is_code(self.code) or not is_name(self.name) or not self.summary:
            raise ValueError(f"bad code identity {self.code} {self.name}")

    def at(self, span: Span, message: str, *, severity: Severity | None = None,
           related: Sequence[Related] = (), fix: str | None = None) -> Diagnostic:
        """A diagnostic of this kind; `fix` is the text that safely replaces `span`."""
        return Diagnostic(code=self.code, name=self.name, severity=severity or self.severity,
                          span=span, message=message, related=tuple(related),
                          fix=Fix(span=span, replacement=fix) if fix is not None else None)
