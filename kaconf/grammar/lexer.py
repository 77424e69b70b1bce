"""The line scanner kaconf runs: the terminals of keepalived.lark, compiled by Lark into
lexer_table.py, matched line by line with one regular expression.

It gives exactly what the Lark parser gives (tests/test_lexer.py holds them together) in a
fraction of the time and without importing Lark: a logical line never holds a newline, and
the grammar's only structure is "words and braces in any order", so a scanner is enough.
Most lines need less: `plain_tokens` splits a line without quotes at C speed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from kaconf.grammar.lexer_table import IGNORE, TERMINALS
from kaconf.grammar.parser_types import ParseFailure, RawBrace, RawItem, RawLine, RawWord

_PATTERN = re.compile("|".join(
    [f"(?P<{name}>{pattern})" for name, pattern in TERMINALS if name != "_NL"]
    + [f"(?:{pattern})" for pattern in IGNORE]))
_WORDS = frozenset({"WORD", "STRING", "OPEN_STRING"})
# the ASCII separators str.split() would split on although keepalived keeps them in words
_ODD = re.compile(r"[\x1c-\x1f]")


def plain_tokens(text: str) -> tuple[list[str], list[int]] | None:
    """The words and braces of a line with their offsets, when no word is quoted (nearly every
    line): str.split() at C speed, each brace a token of its own. None when the line needs the
    full scanner (a double quote, a character outside ASCII, a separator str.split() knows and
    keepalived does not)."""
    if not text.isascii() or '"' in text or (not text.isprintable()
                                              and _ODD.search(text) is not None):
        return None
    if "{" in text or "}" in text:
        tokens = text.replace("{", " { ").replace("}", " } ").split()
    else:
        tokens = text.split()
    starts = []
    pos = 0
    find = text.index
    for token in tokens:
        pos = find(token, pos)
        starts.append(pos)
        pos += len(token)
    return tokens, starts


def scan_line(index: int, text: str) -> list[RawItem]:
    plain = plain_tokens(text)
    if plain is not None:
        return _plain_items(*plain)
    items: list[RawItem] = []
    words: list[RawWord] | None = None
    pos = 0
    for m in _PATTERN.finditer(text):
        start, end = m.span()
        if start != pos:
            raise ParseFailure(index, pos, f"unexpected character {text[pos]!r}")
        pos = end
        kind = m.lastgroup
        if kind is None:        # blanks
            continue
        if kind in _WORDS:
            if words is None:
                words = []
                items.append(words)
            value = m.group()
            if kind == "WORD":
                words.append(RawWord(value, start, end, False))
            elif kind == "STRING":
                words.append(RawWord(value[1:-1], start, end, True))
            else:
                words.append(RawWord(value[1:], start, end, True, True))
        else:
            words = None
            items.append(RawBrace(m.group(), start))
    if pos != len(text):
        raise ParseFailure(index, pos, f"unexpected character {text[pos]!r}")
    return items


def _plain_items(tokens: list[str], starts: list[int]) -> list[RawItem]:
    """plain_tokens' tokens as the scanner gives them."""
    items: list[RawItem] = []
    words: list[RawWord] | None = None
    for token, start in zip(tokens, starts):
        if token == "{" or token == "}":
            words = None
            items.append(RawBrace(token, start))
            continue
        if words is None:
            words = []
            items.append(words)
        words.append(RawWord(token, start, start + len(token), False))
    return items


def scan_lines(texts: Iterable[str]) -> list[RawLine]:
    """Words and braces of each logical line that has any, with the line's index."""
    out: list[RawLine] = []
    for index, text in enumerate(texts):
        items = scan_line(index, text)
        if items:
            out.append((index, items))
    return out
