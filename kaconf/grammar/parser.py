"""The Lark parser for keepalived's lexical layer, built once and cached on disk by Lark.

Lark exceptions never leave this module: a failure becomes a KA001 diagnostic.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput

GRAMMAR = Path(__file__).with_name("keepalived.lark")


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word as lexed: its text without quotes, offsets in the logical line (0-based, end
    exclusive), and whether it was quoted (`open` for a quote that never closes)."""

    text: str
    start: int
    end: int
    quoted: bool
    open: bool = False


@dataclass(frozen=True, slots=True)
class RawBrace:
    char: str
    start: int


RawItem = list[RawWord] | RawBrace
RawLine = tuple[int, list[RawItem]]   # (index of the logical line, its items in order)


class _ToItems(Transformer[Token, list[RawLine]]):
    """Turns the parse into plain lists while Lark parses (no Tree objects are built)."""

    def start(self, lines: list[RawLine]) -> list[RawLine]:
        return lines

    def line(self, items: list[RawItem]) -> RawLine:
        first = items[0]
        index = first[0].line if isinstance(first, list) else first.line  # type: ignore[attr-defined]
        return (index - 1, [_strip_tokens(i) for i in items])

    def words(self, tokens: list[Token]) -> list[Token]:
        return tokens

    def brace(self, tokens: list[Token]) -> Token:
        return tokens[0]


def _strip_tokens(item: list[Token] | Token) -> RawItem:
    if isinstance(item, Token):
        return RawBrace(str(item), item.column - 1)  # type: ignore[operator]
    out = []
    for tok in item:
        start = tok.column - 1  # type: ignore[operator]
        end = start + len(tok)
        if tok.type == "STRING":
            out.append(RawWord(tok[1:-1], start, end, True))
        elif tok.type == "OPEN_STRING":
            out.append(RawWord(tok[1:], start, end, True, True))
        else:
            out.append(RawWord(str(tok), start, end, False))
    return out


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="basic",
                transformer=_ToItems(), cache=True, propagate_positions=False,
                maybe_placeholders=False)


class ParseFailure(Exception):
    """The text could not be lexed; carries the 0-based line index and column offset."""

    def __init__(self, index: int, offset: int, text: str) -> None:
        super().__init__(text)
        self.index = index
        self.offset = offset


def parse_lines(texts: list[str]) -> list[RawLine]:
    """Lex and parse logical lines (no newlines inside any of them)."""
    if not texts:
        return []
    try:
        return _parser().parse("\n".join(texts))  # type: ignore[return-value]
    except UnexpectedInput as exc:
        raise ParseFailure(max(exc.line - 1, 0), max(exc.column - 1, 0), str(exc)) from None
    except LarkError as exc:  # pragma: no cover - grammar bugs only
        raise ParseFailure(0, 0, str(exc)) from None
