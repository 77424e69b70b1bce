"""Parsing the heads of `~SEQ(...)` and `~LST(...)` lines (keepalived-language.md §7)."""
from __future__ import annotations

from kaconf.loader.lines import BLANKS, strtol
from kaconf.source import MappedLine


class BadSequence(Exception):
    """A ~SEQ/~LST specification keepalived refuses; the message says why."""


def skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in BLANKS:
        pos += 1
    return pos


def seq_numbers(args: str) -> tuple[int, int, int]:
    """START, STEP, END from the text after `~SEQ(VAR,` up to and including `)` (add_seq)."""
    one, p = strtol(args, 0)
    p = skip_blanks(args, p)
    if args[p:p + 1] == ")":
        return (-1 if one < 0 else 1), (-1 if one < 1 else 1), one
    if args[p:p + 1] != ",":
        raise BadSequence("expected a number, ',' or ')'")
    two, p = strtol(args, p + 1)
    p = skip_blanks(args, p)
    if args[p:p + 1] == ")":
        return one, (1 if one <= two else -1), two
    if args[p:p + 1] != ",":
        raise BadSequence("expected a number, ',' or ')'")
    three, p = strtol(args, p + 1)
    p = skip_blanks(args, p)
    if args[p:p + 1] != ")":
        raise BadSequence("expected ')' after the third number")
    if two == 0 or (one < three and two < 0) or (one > three and two > 0):
        raise BadSequence(f"a step of {two} never goes from {one} to {three}")
    return one, two, three


def lst_items(line: MappedLine, pos: int, stops: str) -> tuple[list[MappedLine], int]:
    """A list of words separated by `,`, either one word or `{a, b}`; returns the words and
    the offset after the list (add_lst)."""
    text = line.text
    braced = text[pos:pos + 1] == "{"
    if braced:
        pos = skip_blanks(text, pos + 1)
    end_char = "}" if braced else ","
    words: list[MappedLine] = []
    while True:
        start = pos
        while pos < len(text) and text[pos] not in stops:
            pos += 1
        words.append(line.slice(start, pos))
        pos = skip_blanks(text, pos)
        here = text[pos:pos + 1]
        if here == end_char or (here == ")" and not braced):
            break
        if here != ",":
            raise BadSequence(f"unexpected '{here or 'end of line'}' in a list")
        pos = skip_blanks(text, pos + 1)
    if braced:
        pos = skip_blanks(text, pos + 1)
    return words, pos


