"""Source positions: the Span every node and diagnostic carries, and lines that remember where
each of their characters was written."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
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


CHUNK = 1 << 16     # characters split at a time by lines_of


def lines_of(text: str) -> Iterator[str]:
    """text.split("\n"), one piece of about CHUNK characters at a time: a pass over a big
    file's lines without holding all of them at once (100,000 line strings are ~7 MB)."""
    for piece in line_chunks(text):
        yield from piece.split("\n")


def line_chunks(text: str) -> Iterator[str]:
    """`text` in pieces of whole lines, about CHUNK characters each, cut at newlines (the
    newline at each cut left out): what lines_of splits, a piece at a time."""
    pos, size = 0, len(text)
    while pos <= size:
        cut = text.find("\n", pos + CHUNK)
        cut = size if cut < 0 else cut
        yield text[pos:cut]
        pos = cut + 1


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


def _piece_start(piece: tuple[int, Origin]) -> int:
    return piece[0]


@record(slots=True)
class MappedLine:
    """Text after keepalived's line processing (comments cut, parameters expanded), with the
    origin of every character. The text begins at `file`, `line`, `column`; nearly every line
    is that one piece, whose character at offset i is at column + i. A line made of several
    pieces (an expanded parameter, a joined continuation) lists the others in `more`: the
    offset in `text` where each begins and where its first character was written, offsets
    increasing. Characters of a piece are consecutive in the source."""

    text: str
    file: str
    line: int
    column: int
    more: tuple[tuple[int, Origin], ...] = ()

    @classmethod
    def plain(cls, text: str, origin: Origin) -> MappedLine:
        return cls(text, origin.file, origin.line, origin.column)

    @classmethod
    def from_pieces(cls, text: str, starts: list[int], origins: list[Origin]) -> MappedLine:
        """A line whose piece i begins at offset starts[i] (starts[0] is 0) and was written
        at origins[i]."""
        first = origins[0]
        return cls(text, first.file, first.line, first.column, tuple(zip(starts[1:], origins[1:])))

    @property
    def starts(self) -> list[int]:
        """The offset in `text` where each piece begins."""
        return [0, *(start for start, _ in self.more)] if self.more else [0]

    @property
    def origins(self) -> list[Origin]:
        """Where each piece's first character was written."""
        return [Origin(self.file, self.line, self.column), *(o for _, o in self.more)]

    def anchor(self) -> MappedLine | None:
        """The line itself when it is one piece (nearly every line): then the character at
        offset i is at file, line, column + i. None for a line made of several pieces (an
        expanded parameter, a joined continuation)."""
        return None if self.more else self

    def origin_at(self, offset: int) -> Origin:
        more = self.more
        if not more or offset < more[0][0]:
            return Origin(self.file, self.line, self.column + offset)
        start, base = more[bisect_right(more, offset, key=_piece_start) - 1]
        return Origin(base.file, base.line, base.column + offset - start)

    def span(self, start: int, end: int) -> Span:
        """The source span of text[start:end] (end exclusive)."""
        if not self.more:   # written in one piece: the common case, no search
            return Span(self.file, self.line, self.column + start, self.line,
                        self.column + max(end, start))
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
        if not self.more:
            return MappedLine(self.text[start:end], self.file, self.line, self.column + start)
        first = self.origin_at(start)
        more = tuple((s - start, o) for s, o in self.more if start < s < end)
        return MappedLine(self.text[start:end], first.file, first.line, first.column, more)

    def __add__(self, other: MappedLine) -> MappedLine:
        if not other.text:
            return self
        if not self.text:
            return other
        shift = len(self.text)
        more = (*self.more, (shift, Origin(other.file, other.line, other.column)),
                *((s + shift, o) for s, o in other.more))
        return MappedLine(self.text + other.text, self.file, self.line, self.column, more)

    def replace(self, start: int, end: int, other: MappedLine) -> MappedLine:
        return self.slice(0, start) + other + self.slice(end)

    def strip(self) -> MappedLine:
        text = self.text
        lead = len(text) - len(text.lstrip(" \t\f\v\r\n"))
        trail = len(text.rstrip(" \t\f\v\r\n"))
        if lead == 0 and trail == len(text):
            return self
        return self.slice(lead, trail)
