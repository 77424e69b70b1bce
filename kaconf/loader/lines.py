"""Lines as keepalived reads them: a file's text, and the line operations the reader applies
(decomment, strip, join), every one keeping where each character was written."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from kaconf.loader.files import DEFAULT_LIMITS, Refused, decode_config, read_bytes
from kaconf.source import MappedLine, Origin

BLANKS = " \t"                   # what decomment() strips (isblank)
C_SPACE = " \t\n\v\f\r"          # isspace() / WHITE_SPACE_STR
DEFINITION = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)=")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# `${NAME}`, `${NAME PARAMS}` (digits and spaces, only for _RANDOM) or `$NAME` followed by
# a blank, `,`, `)` or the end of the line (find_definition)
REFERENCE = re.compile(r"\$(?:\{(?P<bname>[A-Za-z_][A-Za-z0-9_]*)(?P<params>[ 0-9]*)\}"
                       r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?=[ \t,)]|$))")
STRTOL = re.compile(r"[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0[0-7]*)")
LONG_MAX = 2**63 - 1

MAX_LINE = 1024          # keepalived's MAXBUF: a substitution may not make a line longer
MAX_REPLACEMENTS = 256   # per pass, beyond one per '$': more means a parameter refers to itself
MAX_RECHECKS = 64        # substitution passes on one line
MAX_DEPTH = 64           # nesting of multi-line expansions and sequences
MAX_EXPANDED = DEFAULT_LIMITS.expanded_lines   # lines made by ~SEQ/~LST and parameters
PLAIN_LINES = 4096       # distinct lines of a file whose plain_line() the reader keeps


def default_config_id() -> str:
    """keepalived's default config id: the host name up to its first dot."""
    return os.uname().nodename.split(".")[0]


def read_text(path: str, limit: int = DEFAULT_LIMITS.file_bytes) -> tuple[str | None, str]:
    """The file's text, or None and the reason it cannot be read: only regular files of at
    most `limit` bytes outside /proc, /sys and /dev, in an encoding keepalived reads."""
    try:
        data = read_bytes(path, limit)
    except Refused as exc:
        return None, str(exc)
    return decode_config(data)


def join(pieces: Iterable[MappedLine]) -> MappedLine:
    out: MappedLine | None = None
    for piece in pieces:
        out = piece if out is None else out + piece
    return out if out is not None else MappedLine("", "", 1, 1)


def rstrip(line: MappedLine, chars: str = BLANKS) -> MappedLine:
    return line.slice(0, len(line.text.rstrip(chars)))


def lstrip(line: MappedLine, chars: str = BLANKS) -> MappedLine:
    return line.slice(len(line.text) - len(line.text.lstrip(chars)))


def has_line_of(text: str, width: int) -> bool:
    """Whether a line of `text` (split at newlines) has `width` characters or more, as
    max(map(len, text.split("\\n"))) >= width says, without measuring every line: the last
    newline within `width` characters of a line's start begins the next line to look at."""
    pos, size = 0, len(text)
    while size - pos >= width:
        cut = text.rfind("\n", pos, pos + width)
        if cut < 0:
            return True
        pos = cut + 1
    return False


def comment_sign(text: str) -> int:
    """The offset of the first `#` or `!` of `text`, or -1."""
    cut = text.find("#")
    bang = text.find("!")
    return bang if bang >= 0 and (cut < 0 or bang < cut) else cut


def plain_line(raw: str) -> tuple[str, int] | tuple[()] | None:
    """What the reader makes of a physical line read outside a definition, when that needs
    nothing but its comment cut and its blanks stripped: (text, column) of a plain line (no
    `$`, no leading `@` or `~`, no trailing backslash, not an include, and no quote or
    backslash if it has a comment: nearly every line), () for a line with nothing left to
    read (blank, or a comment not ending in a backslash). None for any other line, which
    decomment() and the reader's process() read. Quotes and backslashes matter to
    decomment() only next to a comment character."""
    lead = raw.lstrip(BLANKS)
    text = lead.rstrip(BLANKS)
    if not text:
        return ()
    first = text[0]
    if first in "#!" and text[-1] != "\\":
        return ()
    if "#" in text or "!" in text:
        if '"' in text or "\\" in text:
            return None
        text = text[:comment_sign(text)].rstrip(BLANKS)
    if (first not in "@$~\v\f\r" and text[-1] != "\\" and "$" not in text
            and (first != "i" or not text.startswith("include"))):
        return text, len(raw) - len(lead) + 1
    return None


def decomment(line: MappedLine) -> MappedLine:
    """keepalived's decomment(): strip leading blanks; cut at the first `#` or `!` outside
    double quotes; turn `\\#`/`\\!` outside quotes into `#`/`!`; strip trailing blanks.

    A backslash always takes the next character with it (`\\"` does not open a quote, `\\\\#`
    starts a comment: verified with 2.2.7, `router_id a\\"#b` is read as `router_id a\\"`).
    A backslash that ends the line is kept and glued to the text before it, even when it is
    inside the comment: `virtual_router_id 51 # note \\` is read as `virtual_router_id 51\\`
    (verified: `invalid number '51\\'`). That is what continues `$NAME=` definitions."""
    text = line.text
    if '"' in text or "\\" in text:
        return scan_comment(line)
    # no quote or backslash: the comment, if any, starts at the first `#` or `!`, and
    # nothing else but blanks is stripped
    cut = comment_sign(text)
    begin = len(text) - len(text.lstrip(BLANKS))
    end = len(text.rstrip(BLANKS)) if cut < 0 else len(text[:cut].rstrip(BLANKS))
    return line if begin == 0 and end == len(text) else line.slice(begin, max(begin, end))


def scan_comment(line: MappedLine) -> MappedLine:
    """decomment() by reading every character: what it does for a line with a quote or a
    backslash (any line gives the same answer as decomment())."""
    text = line.text
    begin = len(text) - len(text.lstrip(BLANKS))
    quote = False
    cut: int | None = None
    backslash: int | None = None
    dropped: list[int] = []
    i = begin
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quote = quote if cut is not None else not quote
        elif ch == "\\":
            if i + 1 == len(text):
                backslash = i
                break
            if not quote and text[i + 1] in "#!":
                dropped.append(i)
            i += 1
        elif ch in "#!" and not quote and cut is None:
            cut = i
        i += 1
    end = backslash if backslash is not None else len(text)
    if cut is not None:
        end = min(end, cut)
    kept, start = [], begin
    for index in dropped:
        if index >= end:
            break
        kept.append(line.slice(start, index))
        start = index + 1
    kept.append(line.slice(start, end))
    body = rstrip(join(kept))
    if backslash is not None:
        body = body + line.slice(backslash, backslash + 1) if body.text else line.slice(backslash)
    return body if body.text else line.slice(begin, begin)


def synthesized(text: str, line: MappedLine, start: int, end: int) -> MappedLine:
    """Text keepalived makes up (a ~SEQ value, ${_PWD}), mapped onto line.text[start:end] so
    its span is the construct that produced it and never runs past the written line."""
    width = max(end - start, 1)
    starts: list[int] = []
    origins: list[Origin] = []
    for i in range(len(text)):
        origin = line.origin_at(start + min(i, width - 1))
        if origins and (origin.file, origin.line, origin.column) == (
                origins[-1].file, origins[-1].line, origins[-1].column + i - starts[-1]):
            continue            # the next character of the same piece
        starts.append(i)
        origins.append(origin)
    if not starts:
        return MappedLine.plain("", line.origin_at(start))
    return MappedLine.from_pieces(text, starts, origins)


def strtol(text: str, pos: int) -> tuple[int, int]:
    """C strtol(text + pos, &end, 0): the value and the end offset; no digits gives (0, pos)."""
    m = STRTOL.match(text, pos)
    if not m:
        return 0, pos
    sign, digits = m.groups()
    if digits.lower().startswith("0x"):
        value = int(digits, 16)
    elif digits.startswith("0"):
        value = int(digits, 8) if len(digits) > 1 else 0
    else:
        value = int(digits)
    value = -value if sign == "-" else value
    return max(-LONG_MAX - 1, min(LONG_MAX, value)), m.end()


def include_kind(text: str) -> tuple[str, int] | None:
    """`include` and its variants at the start of a line (is_include): the word and the
    offset where the pattern starts."""
    if not text.startswith("include"):
        return None
    if len(text) > 7 and text[7] in C_SPACE:
        return "include", 8
    if len(text) > 8 and text[7] in "rmwba" and text[8] in C_SPACE:
        return text[:8], 9
    return None


