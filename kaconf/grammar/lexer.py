"""The line scanner kaconf runs: the terminals of keepalived.lark, compiled by Lark into
lexer_table.py, matched line by line with one regular expression.

It gives exactly what the Lark parser gives (tests/test_lexer.py holds them together) in a
fraction of the time and without importing Lark: a logical line never holds a newline, and
the grammar's only structure is "words and braces in any order", so a scanner is enough.
Most lines need less: `plain_layout` splits a line without quotes at C speed.
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


# a line's words and braces with their offsets (see plain_layout)
Run = tuple[str, int, int, tuple[tuple[str, int, int], ...]]
Placed = tuple[str, int] | Run


def plain_layout(text: str) -> list[Placed] | None:
    """The words and braces of a line in which no word is quoted (nearly every line), split by
    str.split() at C speed: each brace as (char, offset) and each run of words as (first word,
    start, end, ((word, start, end), ...)), offsets in the line, end exclusive. None when the
    line needs the full scanner (a double quote, a character outside ASCII, a separator
    str.split() knows and keepalived does not)."""
    if not text.isascii() or '"' in text or (not text.isprintable()
                                              and _ODD.search(text) is not None):
        return None
    if "{" in text or "}" in text:
        if text[-2:] == " {" and text.count("{") == 1 and "}" not in text:
            # a block's first line, `keyword args {` (most lines with a brace)
            words = text[:-2].split()
            if words and " ".join(words) == text[:-2]:
                return [_run(words), ("{", len(text) - 1)]
        tokens = text.replace("{", " { ").replace("}", " } ").split()
    else:
        tokens = text.split()
        if tokens and " ".join(tokens) == text:    # one blank between words (most lines)
            return [_run(tokens)]
    out: list[Placed] = []
    head: tuple[str, int, int] | None = None
    rest: list[tuple[str, int, int]] = []
    pos = 0
    find = text.index
    # one blank between tokens (most lines): each starts one after the end of the last
    gaps = " ".join(tokens) != text
    step = 0 if gaps else 1
    for token in tokens:
        start = find(token, pos) if gaps else pos
        end = start + len(token)
        pos = end + step
        if token == "{" or token == "}":
            if head is not None:
                out.append((*head, tuple(rest)))
                head = None
            out.append((token, start))
        elif head is None:
            head, rest = (token, start, end), []
        else:
            rest.append((token, start, end))
    if head is not None:
        out.append((*head, tuple(rest)))
    return out


def _run(words: list[str]) -> Run:
    """The run of `words` (at least one) written from offset 0 one blank apart."""
    head = words[0]
    pos = len(head) + 1
    rest = []
    for word in words[1:]:
        end = pos + len(word)
        rest.append((word, pos, end))
        pos = end + 1
    return (head, 0, len(head), tuple(rest))


def scan_line(index: int, text: str) -> list[RawItem]:
    layout = plain_layout(text)
    if layout is not None:
        return [RawBrace(*item) if len(item) == 2 else
                [RawWord(*item[:3], False), *(RawWord(*word, False) for word in item[3])]
                for item in layout]
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


def scan_lines(texts: Iterable[str]) -> list[RawLine]:
    """Words and braces of each logical line that has any, with the line's index."""
    out: list[RawLine] = []
    for index, text in enumerate(texts):
        items = scan_line(index, text)
        if items:
            out.append((index, items))
    return out
