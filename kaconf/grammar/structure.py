"""Block structure, decided the way keepalived's process_stream() decides it.

Braces are grouped by keyword, not by counting: `{` after a keyword that takes no block is
ignored (so its `}` closes the enclosing block), a value block ends at its first `}`, and a
keyword block whose `{` is missing is read as a block by the process that owns it and as
top-level lines by the others (keepalived-language.md §2). kaconf follows the owning process
to build the tree and reports what the other processes would complain about, so a file's
diagnostics line up with what `keepalived -t` prints.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import field
from functools import lru_cache

from kaconf.diagnostics import Diagnostic
from kaconf.grammar.parser_types import RawBrace, RawLine
from kaconf.keyword_codes import MISPLACED_KEYWORD, REMOVED_KEYWORD, UNKNOWN_KEYWORD
from kaconf.keywords import Keyword, KeywordTable
from kaconf.loader.codes import SYNTAX_ERROR
from kaconf.records import record
from kaconf.source import MappedLine, Span
from kaconf.tree import BLOCK, SKIPPED, STATEMENT, UNKNOWN, VALUE, VALUES, Node, Word

MAX_SUGGESTIONS = 200        # distinct unknown words that get a did-you-mean
MAX_SUGGESTED_LENGTH = 64    # longer than every keyword


@record(slots=True)
class Entry:
    """One of keepalived's split lines: a run of words, or a lone brace."""

    brace: str                 # '', '{' or '}'
    span: Span
    words: list[Word] = field(default_factory=list)
    raw: str = ""
    raw_start: int = 0


def entries_of(raw_lines: Iterable[RawLine], mapped: list[MappedLine],
               diags: list[Diagnostic]) -> list[Entry]:
    out: list[Entry] = []
    for index, items in raw_lines:
        line = mapped[index]
        # a line written in one piece (nearly all) maps offsets to columns by adding a base;
        # others ask the line where each character came from
        simple = len(line.starts) == 1
        if simple:
            origin = line.origins[0]
            file, row, base = origin.file, origin.line, origin.column
        for item in items:
            if isinstance(item, RawBrace):
                start = item.start
                span = (Span(file, row, base + start, row, base + start + 1) if simple
                        else line.span(start, start + 1))
                out.append(Entry(item.char, span))
                continue
            words = []
            for raw in item:
                span = (Span(file, row, base + raw.start, row, base + raw.end) if simple
                        else line.span(raw.start, raw.end))
                if raw.open:
                    diags.append(SYNTAX_ERROR.at(span, "unterminated double quote: keepalived "
                                                 "drops this word and everything after it on "
                                                 "the line"))
                    break
                words.append(Word(raw.text, span, raw.quoted))
            if words:
                out.append(Entry("", words[0].span, words, line.text, item[0].start))
    return out


@record(slots=True)
class Frame:
    node: Node
    path: str
    need_open: bool
    entry: int                 # index of the entry that opened this frame


class StructureBuilder:
    def __init__(self, table: KeywordTable, target: tuple[int, ...], target_text: str) -> None:
        self.table = table
        self.target = target
        self.target_text = target_text
        self.diags: list[Diagnostic] = []
        self.missing_open: list[tuple[int, int, Node]] = []   # (start entry, end entry, node)
        self.names: set[tuple[str, str]] = set()
        self.closes: list[int] | None = None   # index of the '}' matching each '{', lazily
        self.suggested: dict[tuple[str, str], str | None] = {}

    # -- keyword lookup ------------------------------------------------------------------
    def spec_for(self, path: str, keyword: str) -> Keyword | None:
        spec = self.table.lookup(path, keyword)
        if spec is None or spec.status == "removed" or not spec.available_in(self.target):
            return None
        return spec

    def missing_close(self, stack: list[Frame], word: Word) -> str:
        """When a keyword foreign to the open block belongs to a block around it, the likely
        mistake is a missing '}' above it: say which block is still open."""
        if len(stack) < 2:
            return ""
        for outer in reversed(stack[:-1]):
            if self.spec_for(outer.path, word.value) is not None:
                inner = stack[-1].node
                return (f"; is a '}}' missing above it? '{inner.keyword}' (line "
                        f"{inner.span.line}) is still open here")
        return ""

    def unknown(self, path: str, word: Word, note: str = "") -> Diagnostic:
        kw = word.value
        where = f"in {path.rsplit('/', 1)[-1]}" if path else "at the top level"
        here = self.table.lookup(path, kw)
        if here is not None and here.status == "removed":
            return REMOVED_KEYWORD.at(word.span, _removed_message(here) + note,
                                      fix=self.replacement_in(path, here.replacement, word))
        if here is not None and not here.available_in(self.target):
            return UNKNOWN_KEYWORD.at(word.span, f"'{kw}' needs keepalived {here.since} or newer "
                                      f"(target is {self.target_text}); keepalived "
                                      f"{self.target_text} rejects it{note}")
        others = [k for k in self.table.elsewhere(kw) if k.block != path]
        removed = [k for k in others if k.status != "current" and k.replacement]
        if kw == "nb_get_retry" or (removed and all(k.status == "removed" for k in others)):
            row = removed[0] if removed else others[0]
            repl = "retry" if kw == "nb_get_retry" else row.replacement
            return REMOVED_KEYWORD.at(word.span, _removed_message(row, where) + note,
                                      fix=self.replacement_in(path, repl, word))
        current = [k for k in others if k.status != "removed" and k.available_in(self.target)]
        if current:
            homes = sorted({k.block.rsplit("/", 1)[-1] or "the top level" for k in current})
            shown = ", ".join(homes[:4]) + (", ..." if len(homes) > 4 else "")
            return MISPLACED_KEYWORD.at(word.span, f"'{kw}' is not accepted {where}; keepalived "
                                        f"accepts it in {shown}{note}")
        hint = self.suggestion(path, kw)
        tail = f"; did you mean '{hint}'?" if hint and hint != kw else ""
        return UNKNOWN_KEYWORD.at(word.span, f"unknown keyword '{kw}' {where}{tail}{note}")

    def suggestion(self, path: str, keyword: str) -> str | None:
        """did-you-mean, bounded: a lookup costs most of a millisecond, so a file of random
        words gets suggestions for its first MAX_SUGGESTIONS distinct words only, and a word
        longer than any keyword gets none."""
        key = (path, keyword)
        if key in self.suggested:
            return self.suggested[key]
        hint = None
        if len(self.suggested) < MAX_SUGGESTIONS and len(keyword) <= MAX_SUGGESTED_LENGTH:
            hint = self.table.suggest(path, keyword)
        self.suggested[key] = hint
        return hint

    def replacement_in(self, path: str, replacement: str, word: Word) -> str | None:
        """The replacement keyword when it is one word keepalived accepts in this block."""
        repl = replacement.strip()
        if word.quoted or not repl or " " in repl or self.spec_for(path, repl) is None:
            return None
        return repl

    # -- the main pass -------------------------------------------------------------------
    def build(self, entries: list[Entry], root: Node) -> Node:
        stack = [Frame(root, "", False, -1)]
        i = 0
        while i < len(entries):
            e = entries[i]
            frame = stack[-1]
            if frame.need_open:
                frame.need_open = False
                if e.brace == "{":
                    frame.node.open_span = e.span
                    i += 1
                    continue
                self.report_missing_open(frame, i)
            if e.brace == "{":
                self.report_stray_open(entries, i, stack)
                i += 1
                continue
            if e.brace == "}":
                if len(stack) > 1:
                    stack[-1].node.close_span = e.span
                    self.end_missing_open(stack[-1], i)
                    stack.pop()
                else:
                    self.diags.append(SYNTAX_ERROR.at(e.span, "extra '}' at the top level: no "
                                                      "block is open here"))
                i += 1
                continue
            i = self.statement(entries, i, stack)
        for frame in reversed(stack[1:]):
            node = frame.node
            self.end_missing_open(frame, len(entries))
            self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' block opened here is "
                                              "never closed: a '}' is missing"))
        return root

    def statement(self, entries: list[Entry], i: int, stack: list[Frame]) -> int:
        e = entries[i]
        frame = stack[-1]
        head, args = e.words[0], e.words[1:]
        spec = self.spec_for(frame.path, head.value)
        node = Node(head.value, head.span, args, STATEMENT, frame.path, spec, raw=e.raw,
                    raw_start=e.raw_start)
        frame.node.children.append(node)
        if spec is None:
            node.kind = UNKNOWN
            self.diags.append(self.unknown(frame.path, head, self.missing_close(stack, head)))
            return i + 1
        if spec.kind == "block":
            node.kind = BLOCK
            node.skipped = self.skip_reason(node)
            if node.skipped and i + 1 < len(entries) and entries[i + 1].brace == "{":
                return self.skip_block(entries, i + 1, node)
            stack.append(Frame(node, spec.path, True, i))
            return i + 1
        if spec.kind == "values":
            node.kind = VALUES
            return self.value_block(entries, i + 1, node)
        return i + 1

    def skip_reason(self, node: Node) -> str:
        """Why keepalived drops this whole block unread (duplicate name, bad address)."""
        kw = node.keyword
        if kw in ("vrrp_instance", "vrrp_sync_group", "track_group") and len(node.args) != 1:
            return "it needs exactly one name"
        if kw in ("vrrp_instance", "vrrp_sync_group", "track_group", "bfd_instance") and node.args:
            key = (kw, node.args[0].value)
            if key in self.names:
                return "the name is already defined"
            self.names.add(key)
        if kw in ("virtual_server", "real_server") and node.args and node.args[0].value not in (
                "fwmark", "group") and not _is_ip(node.args[0].value):
            return "its address is not an IP address"
        return ""

    def skip_block(self, entries: list[Entry], i: int, node: Node) -> int:
        """keepalived skips a block it refused by counting braces (skip_sublevel)."""
        node.open_span = entries[i].span
        depth = 0
        while i < len(entries):
            e = entries[i]
            if e.brace == "{":
                depth += 1
            elif e.brace == "}":
                depth -= 1
                if depth == 0:
                    node.close_span = e.span
                    return i + 1
            else:
                head = e.words[0]
                node.children.append(Node(head.value, head.span, e.words[1:], SKIPPED,
                                          node.own_path, raw=e.raw, raw_start=e.raw_start))
            i += 1
        self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' block opened here is "
                                          "never closed: a '}' is missing"))
        return i

    def value_block(self, entries: list[Entry], i: int, node: Node) -> int:
        """alloc_value_block(): optional '{' first, then lines up to the first '}'."""
        if i < len(entries) and entries[i].brace == "{":
            node.open_span = entries[i].span
            i += 1
        else:
            self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' needs '{{' after it; "
                                              "keepalived takes every following line up to the "
                                              "next '}' as its values"))
        while i < len(entries):
            e = entries[i]
            if e.brace == "}":
                node.close_span = e.span
                return i + 1
            if e.brace == "{":
                self.diags.append(SYNTAX_ERROR.at(e.span, f"'{{' inside the value block "
                                                  f"'{node.keyword}': value blocks do not nest, "
                                                  "so the next '}' ends it"))
            else:
                head = e.words[0]
                node.children.append(Node(head.value, head.span, e.words[1:], VALUE,
                                          node.own_path, None, raw=e.raw, raw_start=e.raw_start))
            i += 1
        self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' block opened here is "
                                          "never closed: a '}' is missing"))
        return i

    # -- brace trouble -------------------------------------------------------------------
    def report_stray_open(self, entries: list[Entry], i: int, stack: list[Frame]) -> None:
        owner = stack[-1].node
        prev = owner.children[-1] if owner.children else None
        closes = self.matching_close(entries, i)
        enclosing = (f"'{owner.keyword}' (line {owner.span.line})" if owner.keyword
                     else "nothing (it is an extra '}' at the top level)")
        if prev is not None and prev.span.line == entries[i].span.line or (
                prev is not None and prev.span.line == entries[i].span.line - 1):
            why = (f"'{prev.keyword}' takes no block" if prev.kind != UNKNOWN
                   else f"'{prev.keyword}' is not a keyword here")
        else:
            why = "no keyword opens a block here"
        where = f"; the '}}' on line {closes.line} then closes {enclosing}" if closes else ""
        self.diags.append(SYNTAX_ERROR.at(entries[i].span, f"keepalived ignores this '{{' "
                                          f"because {why}{where}"))

    def matching_close(self, entries: list[Entry], i: int) -> Span | None:
        j = self.matching_close_index(entries, i)
        return entries[j].span if j is not None else None

    def report_missing_open(self, frame: Frame, i: int) -> None:
        node = frame.node
        self.diags.append(SYNTAX_ERROR.at(node.span, f"'{{' missing after '{node.keyword}': "
                                          "keepalived reads the following lines as its body in "
                                          "one process and as top-level lines in the others"))
        if not node.path:
            frame.entry = -(i + 1)   # remember where the body starts (negative: no '{')

    def end_missing_open(self, frame: Frame, end: int) -> None:
        if frame.entry < 0:
            self.missing_open.append((-frame.entry - 1, end, frame.node))

    # -- what keepalived's other processes see ---------------------------------------------
    def shadow(self, entries: list[Entry]) -> None:
        """Re-read the body of each top-level block that lacks its '{' from the top level, as
        the processes that do not own the block do, and report what they reject."""
        for start, end, node in self.missing_open:
            note = (f" (the '{{' after '{node.keyword}' on line {node.span.line} is missing, so "
                    "keepalived also reads this line at the top level)")
            i, stop = start, min(end, len(entries) - 1)
            while i <= stop:
                e = entries[i]
                i += 1
                if e.brace == "}":
                    self.diags.append(SYNTAX_ERROR.at(e.span, "extra '}' for the keepalived "
                                                      f"processes that read '{node.keyword}' "
                                                      "without its '{'"))
                    continue
                if e.brace:
                    continue
                spec = self.spec_for("", e.words[0].value)
                if spec is None:
                    self.diags.append(self.unknown("", e.words[0], note))
                elif spec.kind != "statement" and i < len(entries) and entries[i].brace == "{":
                    close = self.matching_close_index(entries, i)
                    i = close + 1 if close is not None else len(entries)

    def matching_close_index(self, entries: list[Entry], i: int) -> int | None:
        """The '}' that balances the '{' at `i` by counting, or None. All pairs are found in
        one pass the first time they are needed: a file of 100 KB of '{' would otherwise take
        minutes, one scan to the end per brace."""
        if self.closes is None:
            self.closes = match_braces(entries)
        close = self.closes[i]
        return close if close >= 0 else None


def match_braces(entries: list[Entry]) -> list[int]:
    """For every '{' entry the index of its balancing '}' (-1 when none); -1 elsewhere."""
    closes = [-1] * len(entries)
    open_at: list[int] = []
    for j, e in enumerate(entries):
        if e.brace == "{":
            open_at.append(j)
        elif e.brace == "}" and open_at:
            closes[open_at.pop()] = j
    return closes


# the strings ipaddress.IPv4Address accepts, answered without it (as kaconf.checks.IPV4)
IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}"
                  r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])")


@lru_cache(maxsize=4096)
def _is_ip(text: str) -> bool:
    import ipaddress

    addr = text.split("-", 1)[0].split("/", 1)[0]
    if IPV4.fullmatch(addr):
        return True
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        return False
    return ":" in addr or addr.count(".") == 3


def _removed_message(row: Keyword, where: str = "") -> str:
    kw = row.keyword
    repl = row.replacement.strip()
    place = f" {where}" if where else ""
    if kw == "nb_get_retry":
        return f"'nb_get_retry' is not accepted{place} by keepalived 2.x; use 'retry'"
    if repl and repl != "(none)":
        return f"'{kw}' was removed from keepalived{place}; use '{repl}' instead"
    return f"'{kw}' was removed from keepalived{place} and has no replacement; delete it"


def build_tree(raw_lines: Iterable[RawLine], mapped: list[MappedLine], table: KeywordTable,
               target: tuple[int, ...], target_text: str,
               file: str) -> tuple[Node, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    entries = entries_of(raw_lines, mapped, diags)
    builder = StructureBuilder(table, target, target_text)
    root = Node("", Span(file, 1, 1, 1, 1), [], BLOCK, "")
    builder.build(entries, root)
    builder.shadow(entries)
    return root, diags + builder.diags
