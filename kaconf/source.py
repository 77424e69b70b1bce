"""Source positions: the Span every node and diagnostic carries, and lines that remember where
each of their characters was written."""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, NamedTuple

from kaconf.records import record


class Span(NamedTuple):
    """A range in a file the user wrote: 1-based line and column, end column exclusive (Lark's
    convention). A named tuple rather than a pydantic model or a frozen dataclass: a
    100,000-line config has 300,000 of them, and a tuple is the cheapest immutable record to
    make and to keep."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column}

    def key(self) -> tuple[str, int, int]:
        return (self.file, self.line, self.column)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _span_from_any,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda s: s.as_dict()),
        )


def _span_from_any(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    return Span(**value)


@record(frozen=True, slots=True)
class Origin:
    """Where one piece of a logical line was written: file, line, 1-based column."""

    file: str
    line: int
    column: int


@record(slots=True)
class MappedLine:
    """Text after keepalived's line processing (comments cut, parameters expanded), with the
    origin of every character. `starts[i]` is the offset in `text` where piece `i` begins and
    `origins[i]` where that piece's first character was written; characters of a piece are
    consecutive in the source."""

    text: str
    starts: list[int]
    origins: list[Origin]

    @classmethod
    def plain(cls, text: str, origin: Origin) -> MappedLine:
        return cls(text, [0], [origin])

    def anchor(self) -> Origin | None:
        """Where the line was written when it is one piece (nearly every line): then the
        character at offset i is at column anchor.column + i. None for a line made of several
        pieces (an expanded parameter, a joined continuation)."""
        return self.origins[0] if len(self.starts) == 1 else None

    def origin_at(self, offset: int) -> Origin:
        i = bisect_right(self.starts, offset) - 1
        base = self.origins[max(i, 0)]
        return Origin(base.file, base.line, base.column + offset - self.starts[max(i, 0)])

    def span(self, start: int, end: int) -> Span:
        """The source span of text[start:end] (end exclusive)."""
        if len(self.starts) == 1:   # written in one piece: the common case, no search
            o = self.origins[0]
            return Span(o.file, o.line, o.column + start, o.line, o.column + max(end, start))
        first = self.origin_at(start)
        if end <= start:
            return Span(first.file, first.line, first.column, first.line, first.column)
        last = self.origin_at(end - 1)
        if last.file != first.file or last.line < first.line or (
                last.line == first.line and last.column < first.column):
            return Span(first.file, first.line, first.column, first.line, first.column + 1)
        return Span(first.file, first.line, first.column, last.line, last.column + 1)

    def slice(self, start: int, end: int | None = None) -> MappedLine:
        end = len(self.text) if end is None else end
        if len(self.starts) == 1 and start < end:
            o = self.origins[0]
            return MappedLine(self.text[start:end], [0],
                              [Origin(o.file, o.line, o.column + start) if start else o])
        if start >= end:
            return MappedLine("", [0], [self.origin_at(start)])
        i = max(bisect_right(self.starts, start) - 1, 0)
        starts = [0]
        origins = [self.origin_at(start)]
        for j in range(i + 1, len(self.starts)):
            if self.starts[j] >= end:
                break
            starts.append(self.starts[j] - start)
            origins.append(self.origins[j])
        return MappedLine(self.text[start:end], starts, origins)

    def __add__(self, other: MappedLine) -> MappedLine:
        if not other.text:
            return self
        if not self.text:
            return other
        shift = len(self.text)
        return MappedLine(self.text + other.text, self.starts + [s + shift for s in other.starts],
                          self.origins + other.origins)

    def replace(self, start: int, end: int, other: MappedLine) -> MappedLine:
        return self.slice(0, start) + other + self.slice(end)

    def strip(self) -> MappedLine:
        text = self.text
        lead = len(text) - len(text.lstrip(" \t\f\v\r\n"))
        trail = len(text.rstrip(" \t\f\v\r\n"))
        if lead == 0 and trail == len(text):
            return self
        return self.slice(lead, trail)
