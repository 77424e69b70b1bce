"""Reading files the way keepalived does: comments, `@` conditional lines, `$NAME` parameters,
`~SEQ`/`~LST` sequences and `include`, line by line (see keepalived-language.md §0-§7).

The result is a list of logical lines whose characters each remember the file, line and
column they were written at, so every later span points into what the user wrote.

The order of the stages follows keepalived 2.2.7's `read_line()` (lib/parser.c): a physical
line is decommented; if a `$NAME=` definition is open it is a continuation line; otherwise
`@id` is checked, then `$NAME=`, then `~SEQ`/`~LST`, then parameters are substituted (and the
line decommented and rechecked), and finally `include` is recognised.
"""
from __future__ import annotations

import glob
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Flag, auto
from pathlib import Path

from kaconf.diagnostics import (
    BAD_SEQUENCE,
    INCLUDE_CYCLE,
    INCLUDE_NOT_FOUND,
    UNDEFINED_PARAMETER,
    UNREADABLE_FILE,
    Diagnostic,
    Related,
    Severity,
)
from kaconf.source import MappedLine, Origin, Span

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
MAX_EXPANDED = 20_000    # lines produced by ~SEQ/~LST and multi-line parameters, per load


class LoadError(Exception):
    """The top-level file cannot be read at all; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Loaded:
    """What the loader produced for one top-level file and one config id."""

    path: str
    config_id: str
    lines: list[MappedLine] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Definition:
    """A `$NAME=` value. `multiline` is keepalived's flag: set by a trailing backslash on the
    definition line, even when only one line follows; such a parameter is substituted only
    where its reference ends the line."""

    lines: list[MappedLine]
    multiline: bool
    span: Span


class Include(Flag):
    """keepalived's include_t: which problems make an include an error (lib/parser.c)."""

    PLAIN = 0
    R = auto()   # a match that is a directory, executable or unreadable
    M = auto()   # a named file that does not exist
    W = auto()   # a wildcard that matches nothing
    B = auto()   # a `{a,b}` alternative that matches nothing


INCLUDE_KINDS = {"include": Include.PLAIN, "includer": Include.R,
                 "includem": Include.R | Include.M, "includew": Include.R | Include.M | Include.W,
                 "includeb": Include.R | Include.B,
                 "includea": Include.R | Include.M | Include.W | Include.B}


@dataclass(frozen=True, slots=True)
class Nest:
    """How deep a line is in expansions, and the multi-line parameters it is part of (one that
    refers to itself would be expanded forever)."""

    depth: int = 0
    active: frozenset[str] = frozenset()

    def inside(self, names: frozenset[str]) -> Nest:
        return Nest(self.depth + 1, self.active | names)


TOP = Nest()


@dataclass(slots=True)
class Queued:
    """A line to read before the next line of the file: the rest of a multi-line parameter."""

    line: MappedLine
    nest: Nest


@dataclass(slots=True)
class Sequence:
    """A ~SEQ/~LST line still being repeated: each step sets the variables, then reads `text`."""

    steps: Iterator[list[tuple[str, MappedLine]]]
    text: MappedLine
    nest: Nest
    span: Span


@dataclass
class Feed:
    """Where the next line of one file comes from: queued expansion lines and sequence steps
    first (keepalived's next_ptr and seq_list), then the file itself."""

    physical: Iterator[MappedLine]
    queue: deque[Queued | Sequence] = field(default_factory=deque)


def default_config_id() -> str:
    """keepalived's default config id: the host name up to its first dot."""
    return os.uname().nodename.split(".")[0]


def read_text(path: str) -> tuple[str | None, str]:
    """The file's text, or None and the reason it cannot be read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None, "no such file"
    except OSError as exc:
        return None, exc.strerror or str(exc)
    if stat.S_ISDIR(st.st_mode):
        return None, "is a directory, not a file"
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return None, exc.strerror or str(exc)
    if b"\x00" in data:
        return None, "is not a text file (it contains NUL bytes)"
    return data.decode("utf-8", errors="surrogateescape"), ""


def physical_lines(display: str, text: str) -> Iterator[MappedLine]:
    """Lines as fgets() sees them, without the trailing `\\n` and any `\\r` before it."""
    for number, raw in enumerate(text.split("\n"), start=1):
        yield MappedLine(raw.rstrip("\r"), [0], [Origin(display, number, 1)])


# -- line helpers ---------------------------------------------------------------------------
def join(pieces: Iterable[MappedLine]) -> MappedLine:
    out: MappedLine | None = None
    for piece in pieces:
        out = piece if out is None else out + piece
    return out if out is not None else MappedLine("", [0], [Origin("", 1, 1)])


def rstrip(line: MappedLine, chars: str = BLANKS) -> MappedLine:
    return line.slice(0, len(line.text.rstrip(chars)))


def lstrip(line: MappedLine, chars: str = BLANKS) -> MappedLine:
    return line.slice(len(line.text) - len(line.text.lstrip(chars)))


def decomment(line: MappedLine) -> MappedLine:
    """keepalived's decomment(): strip leading blanks; cut at the first `#` or `!` outside
    double quotes; turn `\\#`/`\\!` outside quotes into `#`/`!`; strip trailing blanks.

    A backslash always takes the next character with it (`\\"` does not open a quote, `\\\\#`
    starts a comment: verified with 2.2.7, `router_id a\\"#b` is read as `router_id a\\"`).
    A backslash that ends the line is kept and glued to the text before it, even when it is
    inside the comment: `virtual_router_id 51 # note \\` is read as `virtual_router_id 51\\`
    (verified: `invalid number '51\\'`). That is what continues `$NAME=` definitions."""
    text = line.text
    if '"' not in text and "\\" not in text and "#" not in text and "!" not in text:
        # the common line: nothing but blanks to strip
        begin = len(text) - len(text.lstrip(BLANKS))
        end = len(text.rstrip(BLANKS))
        return line if begin == 0 and end == len(text) else line.slice(begin, max(begin, end))
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
        return MappedLine("", [0], [line.origin_at(start)])
    return MappedLine(text, starts, origins)


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


# -- sequences ------------------------------------------------------------------------------
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


class Loader:
    """Reads one top-level file for one config id."""

    def __init__(self, config_id: str) -> None:
        self.config_id = config_id
        self.defs: dict[str, Definition] = {}
        self.open_def: Definition | None = None
        self.out: list[MappedLine] = []
        self.diags: list[Diagnostic] = []
        self.reported: set[tuple[str, Span]] = set()
        self.looping: set[str] = set()      # parameters found to refer to themselves
        self.sources: dict[str, str] = {}
        self.stack: list[str] = []          # real paths of the files being read
        self.files: list[str] = []          # their display names
        self.expanded = 0

    def report(self, code: str, diag: Diagnostic) -> None:
        key = (code, diag.span)
        if key not in self.reported:
            self.reported.add(key)
            self.diags.append(diag)

    # -- files ---------------------------------------------------------------------------
    def load_file(self, display: str, via: Span | None, kind: Include = Include.PLAIN) -> None:
        real = os.path.realpath(display)
        if real in self.stack:
            assert via is not None
            chain = " -> ".join(os.path.basename(p) for p in self.stack[self.stack.index(real):])
            self.report("cycle", INCLUDE_CYCLE.at(via, (
                f"'{display}' is already being read (include cycle {chain} -> "
                f"{os.path.basename(real)}); keepalived would read it forever")))
            return
        text, why = read_text(display)
        if text is None:
            span = via or Span(display, 1, 1, 1, 1)
            lenient = via is not None and not kind & Include.R
            diag = UNREADABLE_FILE.at(span, f"cannot read '{display}': {why}",
                                      severity=Severity.WARNING if lenient else None)
            if via is None:
                raise LoadError(diag)
            self.report("unreadable", diag)
            return
        self.read_source(display, text, real)

    def read_source(self, display: str, text: str, real: str) -> None:
        self.sources[display] = text
        self.stack.append(real)
        self.files.append(display)
        try:
            self.read(Feed(physical_lines(display, text)))
        finally:
            self.stack.pop()
            self.files.pop()

    @property
    def current_dir(self) -> str:
        """The directory keepalived has chdir()ed to: that of the file being read."""
        return os.path.dirname(self.files[-1]) if self.files else ""

    # -- the line loop -------------------------------------------------------------------
    def read(self, feed: Feed) -> None:
        while (item := self.next_line(feed)) is not None:
            line, nest = item
            if self.open_def is not None:
                self.continue_definition(line)
            elif line.text:
                self.process(line, feed, nest)

    def next_line(self, feed: Feed) -> tuple[MappedLine, Nest] | None:
        while feed.queue:
            head = feed.queue.popleft()
            if not self.spend(head):
                feed.queue.clear()
                break
            if isinstance(head, Queued):
                return head.line, head.nest
            step = next(head.steps, None)
            if step is None:
                continue
            feed.queue.appendleft(head)
            for name, value in step:
                self.defs[name] = Definition([value], False, head.span)
                self.looping.discard(name)
            return head.text, head.nest
        raw = next(feed.physical, None)
        return None if raw is None else (decomment(raw), TOP)

    def spend(self, item: Queued | Sequence) -> bool:
        """Count an expanded line; past MAX_EXPANDED stop expanding (keepalived would run out
        of memory or time on such a file)."""
        self.expanded += 1
        if self.expanded <= MAX_EXPANDED:
            return True
        if self.expanded > MAX_EXPANDED + 1:
            return False
        span = item.span if isinstance(item, Sequence) else item.line.span(0, len(item.line.text))
        self.report("budget", BAD_SEQUENCE.at(span, (
            f"sequences and multi-line parameters expand to more than {MAX_EXPANDED} lines; "
            "kaconf stops expanding here")))
        return False

    def process(self, line: MappedLine, feed: Feed, nest: Nest) -> None:
        """One decommented line: read_line()'s recheck loop, then include or output."""
        if line.text[0] not in "@$~" and "$" not in line.text:
            self.emit(line)     # the common line: nothing to evaluate or substitute
            return
        for _ in range(MAX_RECHECKS):
            if line.text.startswith("@"):
                found = self.conditional(line)
                if found is None:
                    return
                line = found
            if DEFINITION.match(line.text):
                self.define(line)
                return
            if line.text.startswith(("~SEQ", "~LST")):
                self.sequence(line, feed, nest)
                return
            if line.text.startswith("~"):
                break           # any other ~word: keepalived substitutes nothing in it
            replaced = self.substitute(line, feed, nest)
            if replaced is None:
                break
            line = decomment(replaced)
            if not line.text:
                return
            if not (line.text.startswith("@") or "$" in line.text):
                break
        else:
            self.report("loop", UNDEFINED_PARAMETER.at(line.span(0, len(line.text)), (
                "parameter substitution does not end on this line (a parameter refers to "
                "itself)")))
        self.emit(line)

    def emit(self, line: MappedLine) -> None:
        kind = include_kind(line.text)
        if kind is not None:
            self.include(line, *kind)
            return
        if "\n" in line.text:    # from ${_PWD} or a config id; the grammar splits on newlines
            line = MappedLine(line.text.replace("\n", " "), line.starts, line.origins)
        if line.text.strip(C_SPACE):
            self.out.append(line)

    def conditional(self, line: MappedLine) -> MappedLine | None:
        """`@id rest` keeps rest on config id `id`; `@^id rest` everywhere else. The id ends at
        the first blank; a line with nothing after the id is dropped (§5)."""
        text = line.text
        negate = text.startswith("@^")
        begin = 2 if negate else 1
        end = begin
        while end < len(text) and text[end] not in BLANKS:
            end += 1
        if end == len(text):
            return None
        ident = text[begin:end]
        matches = bool(ident) and ident == self.config_id
        return lstrip(line.slice(end)) if matches != negate else None

    # -- parameters ----------------------------------------------------------------------
    def define(self, line: MappedLine) -> None:
        """`$NAME=value`; a value ending in a backslash opens a multi-line definition whose
        following lines are stored unexpanded (late binding, check_definition)."""
        m = DEFINITION.match(line.text)
        assert m is not None
        value = lstrip(line.slice(m.end()))
        span = line.span(0, m.end() - 1)
        self.looping.discard(m.group(1))
        if not value.text.endswith("\\"):
            self.defs[m.group(1)] = Definition([value], False, span)
            return
        first = rstrip(value.slice(0, len(value.text) - 1))
        definition = Definition([first] if first.text else [], True, span)
        self.defs[m.group(1)] = definition
        self.open_def = definition

    def continue_definition(self, line: MappedLine) -> None:
        """A line after `$NAME=...\\`: another line of the value if it ends in a backslash, the
        last line if not. A line that is empty after decommenting ends the definition without
        being part of it: that is how the child processes see it (they read the parent's
        copy, where a comment-only line is empty; verified with 2.2.7)."""
        definition = self.open_def
        assert definition is not None
        if line.text.endswith("\\"):
            body = rstrip(line.slice(0, len(line.text) - 1))
            if body.text:
                definition.lines.append(body)
            return
        self.open_def = None
        if line.text:
            definition.lines.append(line)
        if not definition.lines:
            definition.multiline = False

    def substitute(self, line: MappedLine, feed: Feed, nest: Nest) -> MappedLine | None:
        """One pass of replace_param(): replace every reference left to right, rescanning each
        replacement at once (so substitution is recursive). None when nothing was replaced;
        the later lines of a multi-line value are queued to be read next, innermost first."""
        pos, count, changed = 0, 0, False
        limit = MAX_REPLACEMENTS + line.text.count("$")
        used = Related(span=line.span(0, len(line.text)), note="used here")
        chain = nest.active
        rests: list[Queued] = []
        while (pos := line.text.find("$", pos)) != -1 and pos + 1 < len(line.text):
            m = REFERENCE.match(line.text, pos)
            found = self.resolve(line, m, chain) if m else None
            if found is None or m is None:
                pos += 1
                continue
            value, more, end = found
            new = line.replace(pos, end, value)
            if len(new.text) >= MAX_LINE and len(new.text) > len(line.text):
                self.report("long", UNDEFINED_PARAMETER.at(line.span(pos, m.end()), (
                    f"substituting '{m.group(0)}' makes the line longer than keepalived's "
                    f"{MAX_LINE} characters; keepalived stops substituting here")))
                break
            line, changed, count = new, True, count + 1
            if more is not None:    # a multi-line value: its rest is read inside it
                chain = chain | {m.group("bname") or m.group("name")}
                rests[:0] = [Queued(x, nest.inside(chain)) for x in more]
            if count >= limit:
                self.refers_to_itself(m.group("bname") or m.group("name"), used)
                break
            if value.text.lstrip(BLANKS).startswith("~"):
                break
        if rests:
            self.queue_lines(feed, rests)
        return line if changed else None

    def refers_to_itself(self, name: str, used: Related) -> None:
        self.looping.add(name)
        span = self.defs[name].span if name in self.defs else used.span
        self.report("loop", UNDEFINED_PARAMETER.at(span, (
            f"parameter '{name}' refers to itself; keepalived would substitute it forever"),
            related=(used,)))

    def queue_lines(self, feed: Feed, lines: list[Queued]) -> None:
        if lines[0].nest.depth > MAX_DEPTH:
            first = lines[0].line
            self.report("deep", UNDEFINED_PARAMETER.at(first.span(0, len(first.text)), (
                "multi-line parameters nest too deeply")))
            return
        feed.queue.extendleft(reversed(lines))

    def resolve(self, line: MappedLine, m: re.Match[str], chain: frozenset[str]
                ) -> tuple[MappedLine, list[MappedLine] | None, int] | None:
        """The replacement for the reference matched by `m`: first line, further lines (None
        for a single-line value), and the end of the replaced text; None when keepalived
        leaves the reference as written. `chain`: the multi-line parameters being expanded."""
        braced = m.group("bname") is not None
        name = m.group("bname") or m.group("name")
        params = (m.group("params") or "").strip(" ")
        at_end = m.end() == len(line.text) and not m.group("params")
        pos = m.start()
        # keepalived replaces len('${NAME}') characters even when blanks precede the '}', so
        # '${X }' leaves its '}' behind (verified with 2.2.7: the '}' then closes a block)
        end = m.end() if params or not braced else pos + len(name) + 3
        found = self.defs.get(name)
        if name in self.looping:
            return None
        if found is not None and not params:
            if found.multiline and not at_end:
                self.unresolved(line, m, f"multi-line parameter '{name}' is substituted only "
                                f"where its reference ends the line; here it stays "
                                f"'{m.group(0)}' literally")
                return None
            if found.multiline and name in chain:
                self.looping.add(name)
                self.unresolved(line, m, f"multi-line parameter '{name}' contains itself; "
                                "keepalived would expand it forever")
                return None
            first = found.lines[0] if found.lines else line.slice(pos, pos)
            return first, (list(found.lines[1:]) if found.multiline else None), end
        text = self.builtin(name, params, line.origin_at(pos)) if found is None else None
        if text is None:
            if braced:
                why = "takes no parameters" if found is not None or self.builtin(
                    name, "", line.origin_at(pos)) is not None else "is not defined"
                self.unresolved(line, m, f"parameter '{name}' {why}; keepalived keeps "
                                f"'{m.group(0)}' literally and its braces then open and "
                                "close blocks")
            return None
        return synthesized(text, line, pos, m.end()), None, end

    def unresolved(self, line: MappedLine, m: re.Match[str], message: str) -> None:
        self.report("undefined", UNDEFINED_PARAMETER.at(line.span(m.start(), m.end()), message))

    def builtin(self, name: str, params: str, origin: Origin) -> str | None:
        """keepalived's standard definitions (set_std_definitions); only _RANDOM takes
        parameters."""
        if params and name != "_RANDOM":
            return None
        if name == "_PWD":
            return os.path.abspath(self.current_dir or ".")
        if name == "_INSTANCE":
            return self.config_id
        if name == "_HASH":
            return "#"
        if name == "_BANG":
            return "!"
        if name == "_RANDOM":
            # keepalived picks a random number in [MIN, MAX]; a linter needs one answer
            return params.split()[0] if params else "0"
        return None

    # -- sequences -----------------------------------------------------------------------
    def sequence(self, line: MappedLine, feed: Feed, nest: Nest) -> None:
        """`~SEQ(VAR, ...) text` and `~LST(...) text`: queue `text` once per value, each
        read with the variables set (add_seq, add_lst)."""
        try:
            if line.text.startswith("~SEQ"):
                steps, rest = self.parse_seq(line)
            else:
                steps, rest = self.parse_lst(line)
        except BadSequence as exc:
            kind = line.text[:4]
            self.report("seq", BAD_SEQUENCE.at(line.span(0, len(line.text)),
                                               f"invalid {kind} '{line.text}': {exc}"))
            return
        if nest.depth + 1 > MAX_DEPTH:
            self.report("deep", BAD_SEQUENCE.at(line.span(0, len(line.text)),
                                                "sequences nest too deeply"))
            return
        head = line.span(0, max(len(line.text) - len(rest.text), 1))
        feed.queue.appendleft(Sequence(steps, rest, nest.inside(frozenset()), head))

    def parse_seq(self, line: MappedLine
                  ) -> tuple[Iterator[list[tuple[str, MappedLine]]], MappedLine]:
        text = line.text
        hexa = text[4:5] == "x"
        p = skip_blanks(text, 5 if hexa else 4)
        if text[p:p + 1] != "(":
            raise BadSequence("expected '(' after ~SEQ" + ("x" if hexa else ""))
        p = var = skip_blanks(text, p + 1)
        while p < len(text) and text[p] not in " \t,)":
            p += 1
        name = text[var:p]
        p = skip_blanks(text, p)
        if not name or text[p:p + 1] != ",":
            raise BadSequence("expected ~SEQ(VAR, [START, [STEP,]] END)")
        p = skip_blanks(text, p + 1)
        close = text.find(")", p)
        if close == -1:
            raise BadSequence("missing ')'")
        args = line.slice(p, close + 1)
        scratch = Feed(iter(()))
        replaced = self.substitute(args, scratch, TOP)
        if scratch.queue:
            raise BadSequence("a ~SEQ parameter is a multi-line definition")
        start, step, end = seq_numbers((replaced or args).text)
        if hexa and (start < 0 or end < 0):
            raise BadSequence("~SEQx is only valid for positive numbers")
        head = (0, close + 1)
        values = range(start, end + (1 if step > 0 else -1), step)
        fmt = (lambda v: format(v, "x")) if hexa else str
        steps = ([(name, synthesized(fmt(v), line, *head))] for v in values)
        return steps, lstrip(line.slice(close + 1))

    def parse_lst(self, line: MappedLine
                  ) -> tuple[Iterator[list[tuple[str, MappedLine]]], MappedLine]:
        text = line.text
        p = skip_blanks(text, 4)
        if text[p:p + 1] != "(":
            raise BadSequence("expected '(' after ~LST")
        p = skip_blanks(text, p + 1)
        names, p = lst_items(line, p, " \t,}")
        if text[p:p + 1] != ",":
            raise BadSequence("expected ',' after the variable names")
        p = skip_blanks(text, p + 1)
        rows: list[list[MappedLine]] = []
        while True:
            values, p = lst_items(line, p, " \t,})")
            if len(values) > len(names):
                raise BadSequence(f"{len(values)} values for {len(names)} variables")
            blank = line.slice(p, p)
            rows.append(values + [blank] * (len(names) - len(values)))
            if text[p:p + 1] == ")":
                break
            if text[p:p + 1] != ",":
                raise BadSequence(f"unexpected '{text[p:p + 1] or 'end of line'}' after a value")
            p = skip_blanks(text, p + 1)
        var_names = [n.text for n in names]
        steps = (list(zip(var_names, row)) for row in rows)
        return steps, lstrip(line.slice(p + 1))

    # -- includes ------------------------------------------------------------------------
    def include(self, line: MappedLine, word: str, offset: int) -> None:
        """Read every file the pattern matches, in glob order, relative to the directory of
        the file being read (keepalived chdir()s there). The pattern is the rest of the line:
        blanks and quotes are part of it (§4)."""
        kind = INCLUDE_KINDS[word]
        pattern_at = skip_blanks(line.text, offset)
        pattern = line.text[pattern_at:]
        span = line.span(pattern_at, len(line.text)) if pattern else line.span(0, len(word))
        matches, missing = self.glob(pattern)
        self.report_missing(span, word, pattern, kind, matches, missing)
        skipped = {path: why for path in matches if (why := skipped_because(path))}
        if skipped:
            self.report("skip", UNREADABLE_FILE.at(span, "; ".join(
                f"'{path}' {why}" for path, why in skipped.items()) + (
                    ": keepalived skips it" if len(skipped) == 1 else ": keepalived skips them"),
                severity=None if kind & Include.R else Severity.WARNING))
        for path in matches:
            if path not in skipped:
                self.load_file(path, span, kind)

    def glob(self, pattern: str) -> tuple[list[str], list[str]]:
        """Matches (brace alternatives in order, each sorted) and the alternatives that name a
        missing file or directory (glob(3) with GLOB_BRACE and GLOB_MARK, and keepalived's
        gl_lstat/gl_opendir counters of missing files and directories)."""
        here = self.current_dir
        matches: list[str] = []
        missing: list[str] = []
        alternatives = expand_braces(pattern) if pattern else []
        for alternative in alternatives:
            full = os.path.join(here, alternative)
            if has_magic(alternative):
                found = sorted(glob.glob(alternative, root_dir=here or None))
                if not found and not os.path.isdir(os.path.join(here, literal_dir(alternative))):
                    missing.append(alternative)
                matches.extend(os.path.normpath(os.path.join(here, f)) for f in found)
            elif os.path.lexists(full):
                matches.append(os.path.normpath(full))
            else:
                missing.append(alternative)
        return matches, missing

    def report_missing(self, span: Span, word: str, pattern: str, kind: Include,
                       matches: list[str], missing: list[str]) -> None:
        """keepalived's messages for includes that find nothing (open_and_check_glob): an
        error only for the variants that ask for one, a notice for plain `include`."""
        brace = "{" in pattern
        if matches and missing:
            self.report("missing", INCLUDE_NOT_FOUND.at(span, (
                f"{word} '{pattern}': no file for {', '.join(repr(m) for m in missing)}"),
                severity=Severity.ERROR if kind & Include.B else None))
        elif not matches and (missing or not pattern):
            strict = kind & (Include.B if brace else Include.M)
            consequence = "keepalived refuses to start" if strict else "keepalived skips it"
            self.report("missing", INCLUDE_NOT_FOUND.at(span, (
                f"{word} '{pattern}' matches no file ({consequence})"),
                severity=Severity.ERROR if strict else None))
        elif not matches and kind & Include.W:
            self.report("missing", INCLUDE_NOT_FOUND.at(span, (
                f"{word} '{pattern}' matches no file (keepalived refuses to start)"),
                severity=Severity.ERROR))


def skipped_because(path: str) -> str:
    """Why keepalived skips a glob match (check_glob_file), or '' if it reads it."""
    try:
        st = os.stat(path)
    except OSError:
        return ""      # let load_file say why it cannot be read
    if stat.S_ISDIR(st.st_mode):
        return "is a directory"
    if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
        return "is not a regular non-executable file"
    return ""


def expand_braces(pattern: str) -> list[str]:
    """csh-style `{a,b}` alternatives, as glob(3) with GLOB_BRACE does."""
    depth = 0
    start = -1
    for i, ch in enumerate(pattern):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                inner = pattern[start + 1:i]
                parts, level, last = [], 0, 0
                for j, c in enumerate(inner):
                    level += c == "{"
                    level -= c == "}"
                    if c == "," and level == 0:
                        parts.append(inner[last:j])
                        last = j + 1
                parts.append(inner[last:])
                head, tail = pattern[:start], pattern[i + 1:]
                return [x for p in parts for x in expand_braces(head + p + tail)]
    return [pattern]


def has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def literal_dir(pattern: str) -> str:
    """The leading directories of a glob pattern that contain no wildcard."""
    parts = pattern.split("/")
    fixed = []
    for part in parts[:-1]:
        if has_magic(part):
            break
        fixed.append(part)
    return "/".join(fixed) or ("/" if pattern.startswith("/") else ".")


def load(path: str | Path, config_id: str | None = None) -> Loaded:
    """Read `path` and everything it includes, for `config_id` (default: keepalived's own).
    Raises LoadError when the file itself cannot be read."""
    cid = config_id if config_id is not None else default_config_id()
    loader = Loader(cid)
    display = str(path)
    loader.load_file(display, None)
    return Loaded(path=display, config_id=cid, lines=loader.out, diagnostics=loader.diags,
                  sources=loader.sources)


def load_text(text: str, name: str = "<text>", config_id: str = "") -> Loaded:
    """Read configuration text that is not in a file (tests, stdin); includes resolve from
    the directory part of `name` (the current directory for '<text>')."""
    loader = Loader(config_id)
    loader.read_source(name, text, os.path.realpath(name))
    return Loaded(path=name, config_id=config_id, lines=loader.out,
                  diagnostics=loader.diags, sources=loader.sources)
