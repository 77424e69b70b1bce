"""Inline suppression comments: `# kaconf: disable=KA203` (also after `!`).

At the end of a line it silences that line; on a line of its own, the next line that holds
configuration; `# kaconf: disable-file=KA306` silences the whole file. Codes may be given by
name and separated by commas; `all` silences every code.
"""
from __future__ import annotations

import re
from dataclasses import field

from kaconf.records import record
from kaconf.source import Span

DIRECTIVE = re.compile(r"kaconf:\s*(disable|disable-file)\s*=\s*([A-Za-z0-9_,\- ]+)")


@record
class Suppression:
    span: Span              # the comment text, for KA008
    codes: set[str]         # resolved codes; empty set with all=True
    everything: bool
    line: int | None        # None: the whole file
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> bool:
        if self.line is not None and self.line != line:
            return False
        return self.everything or code in self.codes


def comment_start(line: str) -> int:
    """Offset of the first `#`/`!` outside double quotes, or -1 (keepalived's decomment)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "#!" and not (i and line[i - 1] == "\\"):
            return i
    return -1


def find_suppressions(file: str, text: str) -> tuple[list[Suppression], list[tuple[Span, str]]]:
    """Suppressions in one file, and the unknown codes they name (span, word)."""
    from kaconf.registry import resolve

    out: list[Suppression] = []
    unknown: list[tuple[Span, str]] = []
    if "kaconf:" not in text:
        return out, unknown
    lines = text.split("\n")
    pending: list[Suppression] = []
    for number, line in enumerate(lines, start=1):
        at = comment_start(line)
        code_part = line[:at] if at >= 0 else line
        if pending and code_part.strip():
            for sup in pending:
                sup.line = number
            pending = []
        if at < 0:
            continue
        m = DIRECTIVE.search(line, at)
        if not m:
            continue
        span = Span(file, number, m.start() + 1, number, m.end() + 1)
        codes: set[str] = set()
        everything = False
        for word in (w.strip() for w in m.group(2).split(",")):
            if not word:
                continue
            if word == "all":
                everything = True
                continue
            found = resolve(word)
            if found:
                codes |= found
            else:
                unknown.append((span, word))
        if m.group(1) == "disable-file":
            out.append(Suppression(span, codes, everything, None))
        elif code_part.strip():
            out.append(Suppression(span, codes, everything, number))
        else:
            sup = Suppression(span, codes, everything, -1)
            pending.append(sup)
            out.append(sup)
    return out, unknown
