"""What the lexical layer produces: words and braces of each logical line."""
from __future__ import annotations

from typing import NamedTuple


class RawWord(NamedTuple):
    """A word as lexed: its text without quotes, offsets in the logical line (0-based, end
    exclusive), and whether it was quoted (`open` for a quote that never closes). Named
    tuples: a big file has hundreds of thousands, and tuples are the cheapest to make."""

    text: str
    start: int
    end: int
    quoted: bool
    open: bool = False


class RawBrace(NamedTuple):
    char: str
    start: int


RawItem = list[RawWord] | RawBrace
RawLine = tuple[int, list[RawItem]]   # (index of the logical line, its items in order)


class ParseFailure(Exception):
    """The text could not be lexed; carries the 0-based line index and column offset."""

    def __init__(self, index: int, offset: int, text: str) -> None:
        super().__init__(text)
        self.index = index
        self.offset = offset


__all__ = ["ParseFailure", "RawBrace", "RawItem", "RawLine", "RawWord"]
