"""The line scanner kaconf runs: the terminals of keepalived.lark, compiled by Lark into
lexer_table.py, matched line by line with one regular expression.

It gives exactly what the Lark parser gives (tests/test_lexer.py holds them together) in a
fraction of the time and without importing Lark: a logical line never holds a newline, and
the grammar's only structure is "words and braces in any order", so a scanner is enough.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kaconf.grammar.lexer_table import IGNORE, TERMINALS
from kaconf.grammar.parser_types import ParseFailure, RawBrace, RawItem, RawLine, RawWord

_PATTERN = re.compile("|".join(
    [f"(?P<{name}>{pattern})" for name, pattern in TERMINALS if name != "_NL"]
    + [f"(?:{pattern})" for pattern in IGNORE]))
_WORDS = frozenset({"WORD", "STRING", "OPEN_STRING"})
# characters that need the full scanner: quotes, braces, and the ASCII separators str.split()
# would split on although keepalived keeps them inside words
_PLAIN = re.compile(r'["{}\x1c-\x1f]')


def scan_line(index: int, text: str) -> list[RawItem]:
    if text.isascii() and _PLAIN.search(text) is None:
        return _plain_words(text)
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


def _plain_words(text: str) -> list[RawItem]:
    """A line of bare words only (most lines): what the scanner gives, at C speed."""
    words: list[RawWord] = []
    pos = 0
    for word in text.split():
        start = text.index(word, pos)
        pos = start + len(word)
        words.append(RawWord(word, start, pos, False))
    return [words] if words else []


def iter_lines(texts: Iterable[str]) -> Iterator[RawLine]:
    """Words and braces of each logical line that has any, with the line's index, one line
    at a time (a 100,000-line file never holds all its tokens at once)."""
    for index, text in enumerate(texts):
        items = scan_line(index, text)
        if items:
            yield (index, items)


def scan_lines(texts: list[str]) -> list[RawLine]:
    return list(iter_lines(texts))
