"""`kaconf fmt`: canonical indentation for keepalived files, checked to change nothing that
kaconf's reader (and so keepalived) sees.

Only whitespace at the start and end of lines, runs of blank lines and the final newline are
touched. Depth is counted lexically, the way keepalived's own brace counter (`block_depth` in
`read_line`) counts, so a file with unbalanced braces is still reindented. Before a result is
used it is parsed again and compared with the original's syntax tree (`verify`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import BinaryIO, TextIO

from kaconf.fileio import text_diff
from kaconf.loader import BLANKS, DEFAULT_LIMITS, DEFINITION, decomment
from kaconf.secrets import escape_controls, masker_for
from kaconf.source import MappedLine, Origin
from kaconf.tree import Node

INDENT = "    "
# fgets() into MAXBUF (1024) bytes: a longer line is split (2.2.7) or dropped (2.4+), so a line
# that does not fit, or would stop fitting once indented, is left exactly as written
# (keepalived-language.md §1.5).
MAX_LINE_BYTES = 1023
_NOWHERE = Origin("", 1, 1)


class FormatError(Exception):
    """The reformatted text would not read the same as the original; nothing is written."""


# -- lexing -----------------------------------------------------------------------------------

def logical(line: str) -> str:
    """What the loader reads from one physical line: comment cut, `\\#` unescaped, blanks and
    tabs stripped, a final backslash kept (kaconf.loader.decomment mirrors keepalived's)."""
    line = line.rstrip("\r")
    if "#" not in line and "!" not in line and "\\" not in line:
        return line.strip(BLANKS)     # what decomment() leaves of a line with nothing to cut
    return decomment(MappedLine.plain(line, _NOWHERE)).text


def trimmed(body: str) -> str:
    """`body` (a physical line without its line ending) without surrounding blanks and tabs, or
    with its trailing ones kept when dropping them would change what keepalived reads: after a
    `\\r`, which would become the line's end, or after a backslash that ends a comment, which
    would start continuing a `$NAME=` definition."""
    line = body.lstrip(BLANKS)
    short = line.rstrip(BLANKS + "\r")
    return short if logical(short) == logical(line) else line


def braces_of(code: str) -> str:
    """The braces of a logical line that open or close blocks, in order: those outside double
    quotes (no escapes; an unclosed quote runs to the end of the line, §2.1 and
    grammar/keepalived.lark)."""
    out = []
    quoted = False
    for ch in code:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "{}":
            out.append(ch)
    return "".join(out)


def leading_closes(code: str) -> int:
    """How many `}` the line starts with; they are dedented before the line is indented."""
    count = 0
    for ch in code:
        if ch == "}":
            count += 1
        elif ch not in BLANKS:
            break
    return count


def after_conditional(code: str) -> str:
    """What an `@id`/`@^id` line leaves when its id matches (kaconf.loader.Loader.conditional)."""
    for i, ch in enumerate(code):
        if ch in BLANKS:
            return code[i:].lstrip(BLANKS)
    return ""


def conditional_ids(text: str) -> list[str]:
    """Every config id that an `@id` or `@^id` line names."""
    ids = set()
    for raw in text.split("\n"):
        if raw.lstrip(BLANKS).startswith("@"):
            ident = re.split("[ \t]", logical(raw)[1:], maxsplit=1)[0]
            ids.add(ident.removeprefix("^"))
    return sorted(i for i in ids if i)


# -- indentation ------------------------------------------------------------------------------

@dataclass(slots=True)
class Indenter:
    """Line-by-line state: block depth, and the open multi-line `$NAME=` definition if any."""

    depth: int = 0
    in_definition: bool = False
    definition_depth: int = 0     # depth of the `$NAME=` line
    inner_depth: int = 0          # braces inside the definition, counted on their own

    def level(self, line: str) -> int:
        """The indentation level of a trimmed, non-blank line; advances the state."""
        code = logical(line)
        if self.in_definition:
            if code:
                return self._continuation(code)
            self.in_definition = False    # a comment-only line ends a definition (§6.3)
        if code.startswith("@"):
            code = after_conditional(code)
        if DEFINITION.match(code):
            self._open_definition(code)
            return self.depth
        level, self.depth = step(self.depth, code)
        return level

    def _open_definition(self, code: str) -> None:
        self.in_definition = code.endswith("\\")
        self.definition_depth = self.depth
        _, self.inner_depth = step(0, code)

    def _continuation(self, code: str) -> int:
        # a definition is text until a `$NAME` line uses it, so its braces do not nest the
        # file; they only shape the definition, which hangs one level below its `$NAME=` line
        level, self.inner_depth = step(self.inner_depth, code)
        self.in_definition = code.endswith("\\")
        return self.definition_depth + 1 + level

    def blank(self) -> None:
        self.in_definition = False        # an empty line ends a definition (§6.3)


def step(depth: int, code: str) -> tuple[int, int]:
    """(indentation level of a line, depth after it). Depth never goes below 0, like
    keepalived's block_depth, which ignores an extra `}`."""
    level = max(depth - leading_closes(code), 0)
    for brace in braces_of(code):
        depth = depth + 1 if brace == "{" else max(depth - 1, 0)
    return level, depth


def newline_of(text: str) -> str:
    """CRLF when most lines end with it, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and 2 * crlf >= text.count("\n") else "\n"


def physical_lines(text: str) -> list[str]:
    """Lines as keepalived counts them: split on LF only (str.splitlines would also split on
    \\v, \\f and Unicode separators, which keepalived keeps inside a line)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def fits(line: str, newline: str) -> bool:
    return len((line + newline).encode("utf-8", "surrogateescape")) <= MAX_LINE_BYTES


def format_lines(text: str) -> Iterator[str]:
    """The formatted lines, without line endings."""
    indenter = Indenter()
    newline = newline_of(text)
    blank_pending = False
    started = False
    for raw in physical_lines(text):
        body = raw.rstrip("\r")       # read_line() drops every \r before the newline
        line = trimmed(body)
        if not line:
            indenter.blank()
            blank_pending = started
            continue
        if blank_pending:
            yield ""
            blank_pending = False
        started = True
        level = indenter.level(line)
        # `@id` lines stay in column 0, as keepalived's own samples write them, so the ids
        # stand out; what follows the id is kept as written
        out = line if line.startswith("@") else INDENT * level + line
        kept = raw.removesuffix("\r") if newline == "\r\n" else raw
        yield out if fits(raw, "\n") and fits(out, newline) else kept


def format_text(text: str) -> str:
    """`text` with canonical indentation (4 spaces per block), trailing blanks removed, runs of
    blank lines collapsed to one and exactly one final newline; CRLF files stay CRLF."""
    newline = newline_of(text)
    lines = list(format_lines(text))
    return newline.join(lines) + newline if lines else ""


# -- verification -----------------------------------------------------------------------------

Shape = tuple[int, str, str, tuple[tuple[str, bool], ...], str, str]


def shape_of(nodes: list[Node], depth: int = 0) -> Iterator[Shape]:
    """Everything keepalived would act on, flattened in order, spans left out."""
    for node in nodes:
        args = tuple((w.value, w.quoted) for w in node.args)
        yield (depth, node.kind, node.keyword, args, node.skipped, node.raw[node.raw_start:])
        yield from shape_of(node.children, depth + 1)


def tree_shape(text: str, name: str, config_id: str, root: str | None = None) -> list[Shape]:
    from kaconf.loader import load_text
    from kaconf.parse import parse_loaded

    try:
        loaded = load_text(text, name, config_id, root)
        return list(shape_of(parse_loaded(loaded).tree.children))
    except Exception as exc:  # noqa: BLE001 - a reader bug must not let an unchecked text through
        raise FormatError(f"cannot check the result, kaconf fails to read the text "
                          f"({type(exc).__name__}: {exc})") from exc


def verify(original: str, formatted: str, name: str, root: str | None = None) -> None:
    """Raise FormatError unless both texts give the same syntax tree for every config id the
    file names in `@` lines (and for none); includes are read only inside `root`."""
    for config_id in ["", *conditional_ids(original)]:
        before = tree_shape(original, name, config_id, root)
        after = tree_shape(formatted, name, config_id, root)
        if before != after:
            raise FormatError(describe_difference(before, after, config_id))


def describe_difference(before: list[Shape], after: list[Shape], config_id: str) -> str:
    where = f" with config id '{config_id}'" if config_id else ""
    for i, (old, new) in enumerate(zip(before, after)):
        if old != new:
            return (f"formatting would change the syntax tree{where}: node {i + 1} "
                    f"'{_shown(old)}' would become '{_shown(new)}'")
    return (f"formatting would change the syntax tree{where}: {len(before)} nodes "
            f"would become {len(after)}")


def _shown(shape: Shape) -> str:
    return " ".join([shape[2], *(value for value, _ in shape[3])])


def format_checked(text: str, name: str, root: str | None = None) -> str:
    """format_text, verified; raises FormatError when the result would read differently."""
    formatted = format_text(text)
    if formatted != text:
        verify(text, formatted, name, root)
    return formatted


def unified_diff(before: str, after: str, name: str) -> str:
    return text_diff(before, after, f"{name}\t(original)", f"{name}\t(formatted)")


# -- files ------------------------------------------------------------------------------------

class Mode(Enum):
    WRITE = "write"    # rewrite changed files in place
    CHECK = "check"    # write nothing, name the files that would change
    DIFF = "diff"      # write nothing, print what would change


class Status(Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"      # reformatted, or would be in CHECK and DIFF modes
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    status: Status
    error: str = ""
    diff: str = ""
    output: str | None = None   # the formatted text, for `-` in WRITE mode


STDIN = "-"


def format_path(name: str, mode: Mode, stdin: BinaryIO, root: str | None = None,
                limit: int = DEFAULT_LIMITS.file_bytes,
                secret_keywords: Sequence[str] = ()) -> Outcome:
    """Format one file (or stdin, named `-`) and, in WRITE mode, rewrite it if it changed.
    Includes are read (to verify the result) and files written only inside `root` (default:
    the project root of the file, kaconf.loader.project_root); a file is read only up to
    `limit` bytes. Secrets in diffs and messages are masked."""
    from kaconf.fileio import write_atomic
    from kaconf.loader import project_root, read_text
    from kaconf.loader.files import decode_config

    if name == STDIN:
        text, why = decode_config(stdin.read(limit + 1))
        if text is not None and len(text) > limit:
            text, why = None, f"is larger than kaconf's limit of {limit} bytes"
    else:
        text, why = read_text(name, limit)
    if text is None:
        return Outcome(name, Status.FAILED, error=f"cannot read '{name}': {why}")
    root = root if root is not None else project_root(name if name != STDIN else ".")
    masker = masker_for({name: text}, extra=secret_keywords)
    try:
        formatted = format_checked(text, name if name != STDIN else "<stdin>", root)
    except FormatError as exc:
        return Outcome(name, Status.FAILED,
                       error=masker.text(f"refusing to reformat '{name}': {exc}"))
    status = Status.CHANGED if formatted != text else Status.UNCHANGED
    if mode is Mode.DIFF:
        return Outcome(name, status, diff=masker.diff(unified_diff(text, formatted, name)))
    if mode is Mode.CHECK:
        return Outcome(name, status)
    if name == STDIN:
        return Outcome(name, status, output=formatted)
    if status is Status.CHANGED:
        try:
            write_atomic(name, formatted, expected=text, root=root)
        except OSError as exc:
            return Outcome(name, Status.FAILED,
                           error=f"cannot write '{name}': {exc.strerror or exc}")
    return Outcome(name, status)


def render_outcome(outcome: Outcome, mode: Mode, out: BinaryIO, err: TextIO) -> None:
    """Formatted text and diffs on stdout (as bytes, so undecodable bytes survive), status on
    stderr."""
    from kaconf.fileio import encode

    if outcome.output is not None:
        out.write(encode(outcome.output))
    out.write(encode(outcome.diff))
    out.flush()
    if outcome.status is Status.FAILED:
        err.write(f"kaconf: {escape_controls(outcome.error)}\n")
    elif outcome.status is Status.CHANGED:
        verb = "reformatted" if mode is Mode.WRITE else "would reformat"
        err.write(f"{verb} {escape_controls(outcome.name)}\n")


@dataclass(slots=True)
class Tally:
    """Counts for the summary line and the exit code."""

    changed: int = 0
    unchanged: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome.status is Status.CHANGED:
            self.changed += 1
        elif outcome.status is Status.UNCHANGED:
            self.unchanged += 1
        else:
            self.failed += 1

    def summary(self, mode: Mode) -> str:
        verb = "reformatted" if mode is Mode.WRITE else "would be reformatted"
        line = f"{self.changed} file(s) {verb}, {self.unchanged} unchanged"
        return line + (f", {self.failed} failed" if self.failed else "")

    def exit_code(self, mode: Mode) -> int:
        """2 when a file could not be read, written or safely formatted; 1 when --check or
        --diff found a file to change; else 0."""
        if self.failed:
            return 2
        return 1 if self.changed and mode is not Mode.WRITE else 0
