"""The Lark parser for keepalived's lexical layer, built once and cached on disk by Lark.

`parse_lines_lark` runs Lark's LALR parser over the grammar; `lexer_terminals` hands the
grammar's compiled terminals to scripts/build_lexer.py for the fast line scanner
(kaconf/grammar/lexer.py), which kaconf uses and which the tests hold to the same output.
Lark exceptions never leave this module.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput

from kaconf.grammar.parser_types import ParseFailure, RawBrace, RawItem, RawLine, RawWord

GRAMMAR = Path(__file__).with_name("keepalived.lark")


class _ToItems(Transformer[Token, list[RawLine]]):
    """Turns the parse into plain lists while Lark parses (no Tree objects are built)."""

    def start(self, lines: list[RawLine]) -> list[RawLine]:
        return lines

    def line(self, items: list[list[Token] | Token]) -> RawLine:
        first = items[0]
        index = first[0].line if isinstance(first, list) else first.line
        assert index is not None
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


def lexer_terminals() -> tuple[list[tuple[str, str]], list[str]]:
    """The grammar's terminals as Lark's basic lexer orders them (priority, then the longest
    possible match), as (name, regular expression); and the patterns Lark ignores."""
    lark = _parser()
    terms = sorted(lark.terminals, key=lambda t: (-t.priority, -t.pattern.max_width,
                                                  -len(t.pattern.value), t.name))
    ignored = set(lark.lexer_conf.ignore)
    keep = [(t.name, t.pattern.to_regexp()) for t in terms if t.name not in ignored]
    skip = [t.pattern.to_regexp() for t in terms if t.name in ignored]
    return keep, skip


def parse_lines_lark(texts: list[str]) -> list[RawLine]:
    """Lex and parse logical lines (no newlines inside any of them) with Lark's parser."""
    if not texts:
        return []
    try:
        return _parser().parse("\n".join(texts))  # type: ignore[return-value]
    except UnexpectedInput as exc:
        raise ParseFailure(max(exc.line - 1, 0), max(exc.column - 1, 0), str(exc)) from None
    except LarkError as exc:  # pragma: no cover - grammar bugs only
        raise ParseFailure(0, 0, str(exc)) from None
