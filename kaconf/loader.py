"""Reading files the way keepalived does: comments, `@` conditional lines, `$NAME` parameters,
`~SEQ`/`~LST` sequences and `include`, line by line (see keepalived-language.md §0-§7).

The result is a list of logical lines whose characters each remember the file, line and
column they were written at, so every later span points into what the user wrote.
"""
from __future__ import annotations

import glob
import os
import re
import socket
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kaconf.diagnostics import (
    BAD_SEQUENCE, INCLUDE_CYCLE, INCLUDE_NOT_FOUND, UNDEFINED_PARAMETER, UNREADABLE_FILE,
    Diagnostic, Severity,
)
from kaconf.source import MappedLine, Origin, Span

BLANKS = " \t\f\v\r\n"
INCLUDE_WORDS = ("include", "includer", "includem", "includew", "includeb", "includea")
STRICT_INCLUDES = ("includem", "includew", "includea")
DEFINITION = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)=")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_EXPANSIONS = 64


class LoadError(Exception):
    """The top-level file cannot be read at all; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(slots=True)
class Definition:
    lines: list[MappedLine]
    span: Span

    @property
    def multiline(self) -> bool:
        return len(self.lines) > 1


@dataclass
class Loaded:
    """What the loader produced for one top-level file and one config id."""

    path: str
    config_id: str
    lines: list[MappedLine] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def default_config_id() -> str:
    """keepalived's default config id: the host name up to its first dot."""
    return socket.gethostname().split(".")[0]


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


def decomment(line: MappedLine) -> MappedLine:
    """Cut `#`/`!` comments outside double quotes, turn `\\#`/`\\!` into `#`/`!`, strip blanks
    (keepalived's decomment())."""
    text = line.text
    if "#" not in text and "!" not in text and "\\" not in text:
        return line.strip()
    quoted = False
    i = 0
    while i < len(line.text):
        ch = line.text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "\\" and i + 1 < len(line.text) and line.text[i + 1] in "#!":
            line = line.replace(i, i + 1, MappedLine("", [0], [line.origin_at(i)]))
        elif not quoted and ch in "#!":
            line = line.slice(0, i)
            break
        i += 1
    return line.strip()


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


class Loader:
    """Reads one top-level file for one config id."""

    def __init__(self, config_id: str) -> None:
        self.config_id = config_id
        self.defs: dict[str, Definition] = {}
        self.out: list[MappedLine] = []
        self.diags: list[Diagnostic] = []
        self.sources: dict[str, str] = {}
        self.stack: list[str] = []

    # -- files ---------------------------------------------------------------------------
    def load_file(self, display: str, via: Span | None) -> None:
        real = os.path.realpath(display)
        if real in self.stack:
            assert via is not None
            self.diags.append(INCLUDE_CYCLE.at(via, f"'{display}' is already being read "
                                               f"(include cycle through {' -> '.join(self._chain(real))}); "
                                               "keepalived would read it forever"))
            return
        text, why = read_text(display)
        if text is None:
            span = via or Span(display, 1, 1, 1, 1)
            diag = UNREADABLE_FILE.at(span, f"cannot read '{display}': {why}")
            if via is None:
                raise LoadError(diag)
            self.diags.append(diag)
            return
        self.sources[display] = text
        self.stack.append(real)
        try:
            self.process(self.physical_lines(display, text))
        finally:
            self.stack.pop()

    def _chain(self, real: str) -> list[str]:
        names = [os.path.basename(p) for p in self.stack[self.stack.index(real):]]
        return names + [os.path.basename(real)]

    @staticmethod
    def physical_lines(display: str, text: str) -> Iterator[MappedLine]:
        for number, raw in enumerate(text.split("\n"), start=1):
            if raw.endswith("\r"):
                raw = raw[:-1]
            yield MappedLine(raw, [0], [Origin(display, number, 1)])

    # -- lines ---------------------------------------------------------------------------
    def process(self, lines: Iterator[MappedLine]) -> None:
        pending: list[MappedLine] = []
        source = iter(lines)
        while True:
            if pending:
                raw = pending.pop(0)
            else:
                raw = next(source, None)
                if raw is None:
                    return
            line = decomment(raw)
            if not line.text:
                continue
            if line.text.startswith("$") and DEFINITION.match(line.text):
                self.define(raw, line, source)
                continue
            self.handle(line, pending, 0)

    def handle(self, line: MappedLine, pending: list[MappedLine], depth: int) -> None:
        """Conditionals, sequences, substitution and includes for one decommented line."""
        if depth > MAX_EXPANSIONS:
            self.diags.append(UNDEFINED_PARAMETER.at(line.span(0, len(line.text)),
                                                     "parameter expansion does not end "
                                                     "(a parameter refers to itself)"))
            return
        if line.text.startswith("@"):
            line = self.conditional(line)
            if line is None:
                return
        if line.text.startswith("$") and DEFINITION.match(line.text):
            self.define(line, line, iter(()))
            return
        if line.text.startswith("~SEQ") or line.text.startswith("~LST"):
            self.sequence(line, pending, depth)
            return
        expanded, extra = self.substitute(line)
        if expanded is not line:
            pending[:0] = extra
            expanded = decomment(expanded)
            if expanded.text:
                self.handle(expanded, pending, depth + 1)
            return
        word = line.text.split(None, 1)[0]
        if word in INCLUDE_WORDS and len(line.text) > len(word) and line.text[len(word)] in " \t":
            self.include(line, word)
            return
        self.out.append(line)

    def conditional(self, line: MappedLine) -> MappedLine | None:
        """`@id rest` keeps rest on config id `id`; `@^id rest` everywhere else."""
        text = line.text
        negate = text.startswith("@^")
        begin = 2 if negate else 1
        end = begin
        while end < len(text) and text[end] not in " \t":
            end += 1
        ident = text[begin:end]
        rest = line.slice(end).strip()
        if not rest.text:
            return None
        matches = bool(ident) and ident == self.config_id
        return rest if matches != negate else None

    # -- parameters ----------------------------------------------------------------------
    def define(self, raw: MappedLine, line: MappedLine, source: Iterator[MappedLine]) -> None:
        m = DEFINITION.match(line.text)
        assert m is not None
        name = m.group(1)
        value = line.slice(m.end()).strip()
        span = line.span(0, m.end() - 1)
        continued = raw.text.rstrip(BLANKS).endswith("\\")
        if value.text.endswith("\\"):
            value = value.slice(0, len(value.text) - 1).strip()
        lines = [value]
        while continued:
            nxt = next(source, None)
            if nxt is None:
                break
            body = decomment(nxt)
            if not body.text:
                break
            continued = nxt.text.rstrip(BLANKS).endswith("\\")
            if body.text.endswith("\\"):
                body = body.slice(0, len(body.text) - 1).strip()
            lines.append(body)
        if len(lines) > 1 and not lines[0].text:
            lines = lines[1:]
        self.defs[name] = Definition(lines, span)

    def builtin(self, name: str, line: MappedLine, at: int) -> MappedLine | None:
        origin = line.origin_at(at)
        if name == "_PWD":
            text = os.path.dirname(os.path.abspath(origin.file))
        elif name == "_INSTANCE":
            text = self.config_id
        elif name == "_HASH":
            text = "#"
        elif name == "_BANG":
            text = "!"
        elif name.startswith("_RANDOM"):
            bounds = name.split()[1:]
            # keepalived picks a random number; a linter needs one answer, so take the minimum
            text = bounds[0] if bounds else "0"
        else:
            return None
        return MappedLine(text, [0], [origin])

    def substitute(self, line: MappedLine) -> tuple[MappedLine, list[MappedLine]]:
        """Replace the first parameter reference that has a definition; returns the line
        itself when nothing was replaced, plus any further lines of a multi-line value."""
        text = line.text
        pos = text.find("$")
        while pos != -1:
            braced = text.startswith("${", pos)
            if braced:
                close = text.find("}", pos + 2)
                if close == -1:
                    pos = text.find("$", pos + 1)
                    continue
                name, end = text[pos + 2:close].strip(), close + 1
            else:
                m = NAME.match(text, pos + 1)
                if not m:
                    pos = text.find("$", pos + 1)
                    continue
                name, end = m.group(0), m.end()
                if end < len(text) and text[end] not in " \t,)":
                    pos = text.find("$", pos + 1)
                    continue
            found = self.defs.get(name)
            if found is not None:
                if found.multiline and text[end:].strip(BLANKS):
                    pos = text.find("$", pos + 1)
                    continue
                return line.replace(pos, end, found.lines[0]), list(found.lines[1:])
            value = self.builtin(name, line, pos)
            if value is not None:
                return line.replace(pos, end, value), []
            if braced:
                self.diags.append(UNDEFINED_PARAMETER.at(
                    line.span(pos, end),
                    f"parameter '{name}' is not defined; keepalived keeps '${{{name}}}' literally "
                    "and its braces then open and close blocks"))
            pos = text.find("$", pos + 1)
        return line, []

    # -- sequences -----------------------------------------------------------------------
    def sequence(self, line: MappedLine, pending: list[MappedLine], depth: int) -> None:
        text = line.text
        close = text.find(")")
        open_ = text.find("(")
        if open_ == -1 or close == -1 or close < open_:
            self._bad_sequence(line, "missing '(' or ')'")
            return
        head = text[:open_]
        inner = text[open_ + 1:close]
        rest = line.slice(close + 1).strip()
        if head in ("~SEQ", "~SEQx"):
            assignments = self._seq_values(head, inner, line)
        elif head == "~LST":
            assignments = self._lst_values(inner, line)
        else:
            self._bad_sequence(line, f"unknown sequence '{head}'")
            return
        if assignments is None or not rest.text:
            return
        origin = line.span(0, close + 1)
        for values in assignments:
            for var, val in values:
                self.defs[var] = Definition([MappedLine(val, [0], [line.origin_at(0)])], origin)
            self.handle(rest, pending, depth + 1)

    def _bad_sequence(self, line: MappedLine, why: str) -> None:
        self.diags.append(BAD_SEQUENCE.at(line.span(0, len(line.text)),
                                          f"invalid sequence '{line.text}': {why}"))

    def _seq_values(self, head: str, inner: str, line: MappedLine) -> list[list[tuple[str, str]]] | None:
        parts = [p.strip() for p in inner.split(",")]
        if len(parts) < 2 or len(parts) > 4 or not NAME.fullmatch(parts[0]):
            self._bad_sequence(line, "expected ~SEQ(VAR, [START, [STEP,]] END)")
            return None
        try:
            nums = [int(p, 0) if not re.fullmatch(r"[-+]?0\d+", p) else int(p, 8) for p in parts[1:]]
        except ValueError:
            self._bad_sequence(line, "the bounds must be integers")
            return None
        if len(nums) == 1:
            start, end = (1 if nums[0] >= 0 else -1), nums[0]
            step = 1 if end >= start else -1
        elif len(nums) == 2:
            start, end = nums
            step = 1 if end >= start else -1
        else:
            start, step, end = nums
        if step == 0 or (end - start) * step < 0:
            self._bad_sequence(line, "the step never reaches the end")
            return None
        if head == "~SEQx" and (start < 0 or end < 0):
            self._bad_sequence(line, "~SEQx is only valid for positive numbers")
            return None
        values = range(start, end + (1 if step > 0 else -1), step)
        fmt = (lambda v: format(v, "x")) if head == "~SEQx" else str
        return [[(parts[0], fmt(v))] for v in values]

    def _lst_values(self, inner: str, line: MappedLine) -> list[list[tuple[str, str]]] | None:
        inner = inner.strip()
        if inner.startswith("{"):
            groups = re.findall(r"\{([^}]*)\}", inner)
            if len(groups) < 2:
                self._bad_sequence(line, "expected ~LST({A,B}, {a1,b1}, ...)")
                return None
            names = [g.strip() for g in groups[0].split(",")]
            rows = [[v.strip() for v in g.split(",")] for g in groups[1:]]
            if any(len(r) != len(names) for r in rows):
                self._bad_sequence(line, "each value group needs one value per variable")
                return None
            return [list(zip(names, r)) for r in rows]
        parts = [p.strip() for p in inner.split(",")]
        if len(parts) < 2 or not NAME.fullmatch(parts[0]):
            self._bad_sequence(line, "expected ~LST(VAR, value, ...)")
            return None
        return [[(parts[0], v)] for v in parts[1:]]

    # -- includes ------------------------------------------------------------------------
    def include(self, line: MappedLine, word: str) -> None:
        pattern = line.text[len(word):].strip(BLANKS)
        span = line.span(0, len(line.text))
        here = os.path.dirname(line.origin_at(0).file)
        matches: list[str] = []
        missing: list[str] = []
        for alternative in expand_braces(pattern):
            full = alternative if os.path.isabs(alternative) else os.path.join(here, alternative)
            found = sorted(glob.glob(full)) if has_magic(alternative) else (
                [full] if os.path.lexists(full) else [])
            if not found and (not has_magic(alternative) or word == "includew"):
                missing.append(alternative)
            matches.extend(found)
        if missing or not matches and not has_magic(pattern):
            strict = word in STRICT_INCLUDES
            consequence = ("keepalived refuses to start" if strict
                           else "keepalived skips it silently")
            self.diags.append(INCLUDE_NOT_FOUND.at(
                span, f"{word} '{pattern}' matches no file ({consequence})",
                severity=Severity.ERROR if strict else None))
        for path in matches:
            path = os.path.normpath(path)
            if os.path.isdir(path):
                continue
            if os.access(path, os.X_OK) and not os.path.isdir(path):
                # keepalived skips executable files: "is not a regular non-executable file"
                continue
            self.load_file(path, span)


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
    the current directory."""
    loader = Loader(config_id)
    loader.sources[name] = text
    loader.process(Loader.physical_lines(name, text))
    return Loaded(path=name, config_id=config_id, lines=loader.out,
                  diagnostics=loader.diags, sources=loader.sources)
