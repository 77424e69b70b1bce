"""The reader: keepalived's read_line() loop over files, parameters, sequences and includes."""
from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import field
from enum import Flag, auto

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.loader.bare import bare_reference_problem
from kaconf.loader.codes import (
    BAD_SEQUENCE,
    INCLUDE_CYCLE,
    INCLUDE_NOT_FOUND,
    INCLUDE_REFUSED,
    LIMIT_EXCEEDED,
    SYNTAX_ERROR,
    UNDEFINED_PARAMETER,
    UNREADABLE_FILE,
)
from kaconf.loader.files import DEFAULT_LIMITS, Limits, forbidden, inside, real_path
from kaconf.loader.globs import (
    TooManyAlternatives,
    bounded_glob,
    expand_braces,
    has_magic,
    literal_dir,
    skipped_because,
)
from kaconf.loader.lines import (
    BLANKS,
    C_SPACE,
    DEFINITION,
    MAX_DEPTH,
    MAX_LINE,
    MAX_RECHECKS,
    MAX_REPLACEMENTS,
    PLAIN_LINES,
    REFERENCE,
    decomment,
    has_line_of,
    include_kind,
    lstrip,
    plain_line,
    read_text,
    rstrip,
    synthesized,
)
from kaconf.loader.sequences import BadSequence, lst_items, seq_numbers, skip_blanks
from kaconf.records import record
from kaconf.source import MappedLine, Span

# a plain line's MappedLine as the line loop makes it, every field set there: a call of the
# record's __init__ costs more than the object
_make = object.__new__


class LoadError(Exception):
    """The top-level file cannot be read at all; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@record
class Loaded:
    """What the loader produced for one top-level file and one config id."""

    path: str
    config_id: str
    lines: list[MappedLine] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


@record(slots=True)
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


@record(frozen=True, slots=True)
class Nest:
    """How deep a line is in expansions, and the multi-line parameters it is part of (one that
    refers to itself would be expanded forever)."""

    depth: int = 0
    active: frozenset[str] = frozenset()

    def inside(self, names: frozenset[str]) -> Nest:
        return Nest(self.depth + 1, self.active | names)


TOP = Nest()


@record(slots=True)
class Queued:
    """A line to read before the next line of the file: the rest of a multi-line parameter."""

    line: MappedLine
    nest: Nest


@record(slots=True)
class Sequence:
    """A ~SEQ/~LST line still being repeated: each step sets the variables, then reads `text`."""

    steps: Iterator[list[tuple[str, MappedLine]]]
    text: MappedLine
    nest: Nest
    span: Span


@record
class Feed:
    """The lines of one file to read before its next physical line: queued expansion lines
    and sequence steps (keepalived's next_ptr and seq_list)."""

    queue: deque[Queued | Sequence] = field(default_factory=deque)


class Loader:
    """Reads one top-level file for one config id. Includes are read only inside `root` (a
    real path; None reads them anywhere but /proc, /sys and /dev), within `limits`."""

    def __init__(self, config_id: str, root: str | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.config_id = config_id
        self.root = root
        self.limits = limits
        self.included = 0                   # files read through include
        self.total_bytes = 0
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
        real = real_path(display)
        if via is None:
            self.check_named(display, real)
        elif not self.may_include(display, real, via):
            return
        if real in self.stack:
            assert via is not None
            chain = " -> ".join(os.path.basename(p) for p in self.stack[self.stack.index(real):])
            self.report("cycle", INCLUDE_CYCLE.at(via, (
                f"'{display}' is already being read (include cycle {chain} -> "
                f"{os.path.basename(real)}); keepalived would read it forever")))
            return
        limit = self.limits.file_bytes
        if via is not None:
            limit = min(limit, max(self.limits.total_bytes - self.total_bytes, 0))
        text, why = read_text(display, limit)
        if text is None and via is not None and self.total_bytes and "limit" in why:
            if self.total_bytes > self.limits.total_bytes:
                return              # said once, where the budget ran out
            self.total_bytes = self.limits.total_bytes + 1
            self.report("budget", LIMIT_EXCEEDED.at(via, (
                f"'{display}' is not read: the files included so far hold more than kaconf "
                f"reads for one top-level file (at most {self.limits.total_bytes} bytes)")))
            return
        if text is None:
            span = via or Span(display, 1, 1, 1, 1)
            lenient = via is not None and not kind & Include.R
            diag = UNREADABLE_FILE.at(span, f"cannot read '{display}': {why}",
                                      severity=Severity.WARNING if lenient else None)
            if via is None:
                raise LoadError(diag)
            self.report("unreadable", diag)
            return
        self.total_bytes += len(text)
        self.read_source(display, text, real)

    def check_named(self, display: str, real: str) -> None:
        """A file named on the command line is read wherever it is, unless it is a symlink
        from inside the root to a file outside it (a pull request can add such a link)."""
        if self.root is None or inside(real, self.root):
            return
        named = real_path(os.path.dirname(os.path.abspath(display)))
        if inside(named, self.root):
            raise LoadError(INCLUDE_REFUSED.at(Span(display, 1, 1, 1, 1), (
                f"'{display}' is a symlink to '{real}', outside the include root "
                f"'{self.root}'; kaconf does not read it (pass --include-root DIR or set "
                "include-root in .kaconf.toml to allow it)"), severity=Severity.ERROR))

    def may_include(self, display: str, real: str, via: Span) -> bool:
        """Whether an include may read this file: inside the root, not under /proc, /sys or
        /dev, and within the include budget."""
        if forbidden(real) or (self.root is not None and not inside(real, self.root)):
            shown = f"'{display}'" + (f" (really '{real}')" if real != os.path.abspath(display)
                                      else "")
            self.refuse(via, shown, real)
            return False
        if len(self.stack) > self.limits.include_depth:
            self.report("budget", LIMIT_EXCEEDED.at(via, (
                f"includes nest more than {self.limits.include_depth} deep here; kaconf stops "
                f"reading includes at this depth")))
            return False
        self.included += 1
        if self.included > self.limits.include_files:
            if self.included > self.limits.include_files + 1:
                return False        # said once, where the budget ran out
            self.report("budget", LIMIT_EXCEEDED.at(via, (
                f"more than {self.limits.include_files} files are included (repeats counted); "
                "kaconf stops reading includes here")))
            return False
        return True

    def refuse(self, via: Span, what: str, real: str) -> None:
        """Report an include kaconf does not read; nothing of the file is quoted."""
        if self.root is None or forbidden(real):
            why = "kaconf never reads /proc, /sys or /dev as configuration"
        else:
            why = (f"it is outside the include root '{self.root}'; to allow it, pass "
                   "--include-root DIR or set include-root = \"DIR\" in .kaconf.toml")
        self.report("refused", INCLUDE_REFUSED.at(via, f"{what} is not read: {why}"))

    def read_source(self, display: str, text: str, real: str) -> None:
        braces = text.count("{") + text.count("}")
        if braces > self.limits.braces:
            self.report("budget", LIMIT_EXCEEDED.at(Span(display, 1, 1, 1, 1), (
                f"'{display}' has {braces} braces, more than kaconf's limit of "
                f"{self.limits.braces} per file; kaconf does not read it")))
            return
        self.sources[display] = text
        if text.startswith("\ufeff"):
            self.report("bom", UNREADABLE_FILE.at(Span(display, 1, 1, 1, 2), (
                "the file starts with a UTF-8 byte order mark, which keepalived reads as part "
                "of the first word: save it as UTF-8 without a BOM"), severity=Severity.WARNING))
        raws = text.split("\n")
        if has_line_of(text, MAX_LINE - 1):
            self.check_line_lengths(display, raws)
        self.stack.append(real)
        self.files.append(display)
        try:
            # lines as fgets() sees them, without the `\n` and any `\r` before it
            self.read(display, [raw.rstrip("\r") for raw in raws] if "\r" in text else raws)
        finally:
            self.stack.pop()
            self.files.pop()

    def check_line_lengths(self, display: str, raws: list[str]) -> None:
        """keepalived reads a line into 1024 bytes: 2.2.7 reads what does not fit as a line
        of its own, 2.4 drops the line (keepalived-language §1.5). kaconf reads it whole."""
        for number, raw in enumerate(raws, start=1):
            if len(raw) >= MAX_LINE - 1 and len(raw.encode("utf-8", "surrogateescape")) >= MAX_LINE:
                self.report("long", SYNTAX_ERROR.at(
                    Span(display, number, MAX_LINE, number, len(raw) + 1),
                    f"line of {len(raw.encode('utf-8', 'surrogateescape'))} bytes: keepalived "
                    f"reads at most {MAX_LINE - 1}; 2.2.7 reads the rest as a line of its own "
                    "and 2.4 drops the whole line; split it", severity=Severity.WARNING))

    @property
    def current_dir(self) -> str:
        """The directory keepalived has chdir()ed to: that of the file being read."""
        return os.path.dirname(self.files[-1]) if self.files else ""

    # -- the line loop -------------------------------------------------------------------
    def read(self, display: str, physical: list[str]) -> None:
        """The physical lines of one file. Outside a definition, a line that needs nothing but its
        comment cut and its blanks stripped (plain_line(): nearly every line) is output at once,
        or skipped; any other is decommented and processed, then the lines it queued are read
        before the next physical line. Most lines of a real file repeat an earlier one exactly,
        so plain_line() is asked once per distinct line: its answers are kept for the first
        PLAIN_LINES distinct lines of the file, and looked up for every later line unless fewer
        than half of the lines read by then repeated one (then a file of distinct lines stops
        paying for them)."""
        out = self.out
        seen: dict[str, tuple[str, int] | tuple[()]] = {}
        look = True     # False when the first PLAIN_LINES distinct lines came with few repeats
        feed = Feed()
        for number, raw in enumerate(physical, start=1):
            if self.open_def is None:
                plain = seen.get(raw) if look else None
                if (plain is None and (plain := plain_line(raw)) is not None and look
                        and len(seen) < PLAIN_LINES):
                    seen[raw] = plain
                    look = len(seen) < PLAIN_LINES or number >= 2 * PLAIN_LINES
                if plain is not None:
                    if plain:
                        line = _make(MappedLine)   # MappedLine(text, display, number, column)
                        line.text, line.column = plain
                        line.file = display
                        line.line = number
                        line.more = ()
                        out.append(line)
                    continue
            self.take(decomment(MappedLine(raw, display, number, 1)), TOP, feed)
            while (item := self.next_queued(feed)) is not None:
                self.take(*item, feed)

    def take(self, line: MappedLine, nest: Nest, feed: Feed) -> None:
        """One decommented line: the next line of an open definition, or a line to process."""
        if self.open_def is not None:
            self.continue_definition(line)
        elif line.text:
            self.process(line, feed, nest)

    def next_queued(self, feed: Feed) -> tuple[MappedLine, Nest] | None:
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
        return None

    def spend(self, item: Queued | Sequence) -> bool:
        """Count an expanded line; past MAX_EXPANDED stop expanding (keepalived would run out
        of memory or time on such a file)."""
        self.expanded += 1
        most = self.limits.expanded_lines
        if self.expanded <= most:
            return True
        if self.expanded > most + 1:
            return False
        span = item.span if isinstance(item, Sequence) else item.line.span(0, len(item.line.text))
        self.report("budget", LIMIT_EXCEEDED.at(span, (
            f"sequences and multi-line parameters expand to more than {most} lines; "
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
            line = MappedLine(line.text.replace("\n", " "), line.file, line.line, line.column,
                              line.more)
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
        text = self.builtin(name, params) if found is None else None
        if text is None:
            if braced:
                why = "takes no parameters" if found is not None or self.builtin(
                    name, "") is not None else "is not defined"
                self.unresolved(line, m, f"parameter '{name}' {why}; keepalived keeps "
                                f"'{m.group(0)}' literally and its braces then open and "
                                "close blocks")
            elif (problem := bare_reference_problem(line.text, m, self.defs)) is not None:
                self.report("undefined", UNDEFINED_PARAMETER.at(
                    line.span(m.start(), m.end()), problem, severity=Severity.WARNING))
            return None
        return synthesized(text, line, pos, m.end()), None, end

    def unresolved(self, line: MappedLine, m: re.Match[str], message: str) -> None:
        self.report("undefined", UNDEFINED_PARAMETER.at(line.span(m.start(), m.end()), message))

    def builtin(self, name: str, params: str) -> str | None:
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
        scratch = Feed()
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
        try:
            matches, missing = self.glob(pattern, span)
        except TooManyAlternatives as exc:
            self.report("budget", LIMIT_EXCEEDED.at(span, str(exc)))
            return
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

    def glob(self, pattern: str, span: Span) -> tuple[list[str], list[str]]:
        """Matches (brace alternatives in order, each sorted) and the alternatives that name a
        missing file or directory (glob(3) with GLOB_BRACE and GLOB_MARK, and keepalived's
        gl_lstat/gl_opendir counters of missing files and directories). An alternative whose
        fixed folder lies outside the include root is refused before any folder is listed."""
        here = self.current_dir
        matches: list[str] = []
        missing: list[str] = []
        alternatives = expand_braces(pattern, self.limits.brace_alternatives) if pattern else []
        for alternative in alternatives:
            full = os.path.join(here, alternative)
            fixed = real_path(os.path.join(here, literal_dir(alternative))
                                     if has_magic(alternative) else full)
            if forbidden(fixed) or (self.root is not None and not inside(fixed, self.root)):
                self.refuse(span, f"'{alternative}'", fixed)
                continue
            if has_magic(alternative):
                found, cut = bounded_glob(alternative, here, self.limits.glob_matches)
                if cut:
                    self.report("budget", LIMIT_EXCEEDED.at(span, (
                        f"'{alternative}' matches more than {self.limits.glob_matches} files; "
                        "kaconf reads only the first ones")))
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


