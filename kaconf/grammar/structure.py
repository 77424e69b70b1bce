"""Block structure, decided the way keepalived's process_stream() decides it.

Braces are grouped by keyword, not by counting: `{` after a keyword that takes no block is
ignored (so its `}` closes the enclosing block), a value block ends at its first `}`, and a
keyword block whose `{` is missing is read as a block by the process that owns it and as
top-level lines by the others (keepalived-language.md §2). kaconf follows the owning process
to build the tree and reports what the other processes would complain about, so a file's
diagnostics line up with what `keepalived -t` prints.

It is one pass over the logical lines (StructureBuilder.build): each line's words and braces
become Words, Nodes and Spans directly, what needs a look ahead is kept as state (a block
waiting for its '{', a stray '{' waiting for the '}' that balances it, the lines of a
top-level block without its '{'), and kaconf.checks.KeywordChecks checks each node as it is
made (a statement line already known to need no check is not checked again), so the findings
come out as a walk of the finished tree would give them; the values under secret keywords are
collected the same way (kaconf.secrets.secret_values of the tree).
"""
from __future__ import annotations

from functools import lru_cache

from kaconf.checks import MEMO_LIMIT, KeywordChecks, Repeat
from kaconf.diagnostics import Diagnostic
from kaconf.grammar.lexer import Placed, Run, plain_layout, scan_line
from kaconf.grammar.parser_types import RawBrace
from kaconf.keyword_codes import MISPLACED_KEYWORD, REMOVED_KEYWORD, UNKNOWN_KEYWORD
from kaconf.keywords import Keyword, KeywordTable
from kaconf.loader.codes import SYNTAX_ERROR
from kaconf.node_checks import IPV4
from kaconf.records import record
from kaconf.secrets import is_secret_keyword, take_secret_values
from kaconf.source import MappedLine, Span
from kaconf.tree import BLOCK, SKIPPED, STATEMENT, UNKNOWN, VALUE, VALUES, Node, Word

MAX_SUGGESTIONS = 200        # distinct unknown words that get a did-you-mean
MAX_SUGGESTED_LENGTH = 64    # longer than every keyword

_new = tuple.__new__         # Span(...) without the Python-level __new__ of a named tuple
# Word(...), Node(...) and Frame(...) as the build loop makes them, every field set there: a
# call of the record's __init__ costs more than the object
_make = object.__new__
# blocks keepalived may skip whole (StructureBuilder.skip_reason)
SKIPPABLE = frozenset({"vrrp_instance", "vrrp_sync_group", "track_group", "bfd_instance",
                       "virtual_server", "real_server"})

# what a top-level block without its '{' holds, kept to be read again at the top level:
# the first word of each line, and the braces
Shadowed = Word | tuple[str, Span]
# a keyword's row in a block, the path of its own block, the rows found there so far, its
# quiet lines (Quiet) and whether the keyword names a secret (kaconf.secrets.is_secret_keyword)
Row = tuple[Keyword, str, "dict[str, Row | None]", "dict[str, Quiet]", bool]
# a statement line of a block that needs no keyword check (KeywordChecks.statement), alone on
# its line and naming no secret, by its text: its run of words (plain_layout) and its row
Quiet = tuple[str, int, int, tuple[tuple[str, int, int], ...], Keyword]

_UNSEEN: list[Placed] = []


class Memo:
    """What holds for every file read with one keyword table and target, kept for the process
    so that each file need not learn it again (a fleet of similar files is mostly checked from
    here): each keyword's row in each block, and what the keyword checks found on each line
    written in one piece (KeywordChecks.known) and which statement lines of each block need no
    check at all (Quiet). Each part stops growing at MEMO_LIMIT entries.
    Line layouts are kept for one file only: a big file has thousands, worth their memory only
    while it is read."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Row | None]] = {}
        self.known: dict[tuple[str, str, int], Repeat] = {}
        self.quiet: dict[str, dict[str, Quiet]] = {}


_MEMOS: dict[tuple[KeywordTable, tuple[int, ...]], Memo] = {}


def memo_for(table: KeywordTable, target: tuple[int, ...]) -> Memo:
    memo = _MEMOS.get((table, target))
    if memo is None:
        memo = _MEMOS[(table, target)] = Memo()
    return memo


@record(slots=True)
class Frame:
    """An open block and how its lines are read."""

    node: Node
    path: str                  # block path of the lines it holds
    mode: str                  # BLOCK: keyword lines; VALUES: value lines up to the first '}';
    #                            SKIPPED: lines keepalived skips, counting braces to the end
    rows: dict[str, Row | None]   # keyword -> its row in this block (None: not accepted)
    index: dict[str, tuple[int, Node]]   # the node's Node.index(), kept as lines come
    quiet: dict[str, Quiet]    # the quiet lines of its block path (empty unless mode BLOCK)
    need_open: bool = False    # its '{' is still to come
    depth: int = 0             # braces open in a skipped block
    mark: int = -1             # where the block's own keyword findings go (KeywordChecks)
    shadow: list[Shadowed] | None = None   # a top-level block without its '{': its lines
    repeats: bool = False      # a statement keyword comes twice


class StructureBuilder:
    """One pass over the logical lines: words and braces, the tree, what keepalived says about
    its structure, and the keyword checks of each node as it is made."""

    def __init__(self, table: KeywordTable, target: tuple[int, ...], target_text: str,
                 sources: dict[str, str] | None = None, memo: Memo | None = None) -> None:
        self.table = table
        self.target = target
        self.target_text = target_text
        self.memo = memo if memo is not None else memo_for(table, target)
        self.diags: list[Diagnostic] = []
        self.quote_diags: list[Diagnostic] = []
        self.checks = KeywordChecks(table, self.memo.known, sources)
        self.names: set[tuple[str, str]] = set()
        self.suggested: dict[tuple[str, str], str | None] = {}
        self.rows = self.memo.rows
        self.stack: list[Frame] = []
        self.braces = 0            # '{' not yet balanced by a '}', counting every brace
        # stray '{' whose message names the '}' that balances it, once that is read:
        # (braces open with it, index of its diagnostic, span, why, enclosing)
        self.strays: list[tuple[int, int, Span, str, str]] = []
        self.recording: list[Shadowed] | None = None
        self.one_piece = True       # the line being placed was written in one piece
        self.shadowed: list[tuple[list[Shadowed], Node]] = []
        # the secret values of the nodes made, as kaconf.secrets.secret_values finds them
        self.secrets: set[str] = set()

    # -- keyword lookup ------------------------------------------------------------------
    def rows_in(self, path: str) -> dict[str, Row | None]:
        rows = self.rows.get(path)
        if rows is None:
            rows = self.rows[path] = {}
        return rows

    def quiet_in(self, path: str) -> dict[str, Quiet]:
        quiet = self.memo.quiet.get(path)
        if quiet is None:
            quiet = self.memo.quiet[path] = {}
        return quiet

    def row(self, path: str, keyword: str) -> Row | None:
        """The keyword's row in this block if keepalived (the target version) accepts it
        there, looked up once per block path and keyword (Memo)."""
        rows = self.rows_in(path)
        if keyword in rows:
            return rows[keyword]
        spec = self.table.lookup(path, keyword)
        row: Row | None = None
        if spec is not None and spec.status != "removed" and spec.available_in(self.target):
            row = (spec, spec.path, self.rows_in(spec.path), self.quiet_in(spec.path),
                   is_secret_keyword(keyword))
        if row is not None or len(rows) < MEMO_LIMIT:
            rows[keyword] = row
        return row

    def spec_for(self, path: str, keyword: str) -> Keyword | None:
        row = self.row(path, keyword)
        return row[0] if row is not None else None

    def missing_close(self, word: Word) -> str:
        """When a keyword foreign to the open block belongs to a block around it, the likely
        mistake is a missing '}' above it: say which block is still open."""
        stack = self.stack
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
    def build(self, lines: list[MappedLine], root: Node) -> Node:
        """Place every line. A line without quotes written in one piece (nearly every line)
        goes straight from its tokens to words, nodes and braces, the character at offset i
        being at column base + i; others go through scanned_line. A statement line its block
        knows to need no check (Quiet: most lines) is placed first and not checked again."""
        if root._index is None:
            root._index = {}
        self.stack = [Frame(root, "", BLOCK, self.rows_in(""), index_of(root),
                            self.quiet_in(""))]
        layouts: dict[str, list[Placed] | None] = {}   # most lines repeat one before them
        words = self.words
        brace = self.brace
        stack = self.stack
        for index, line in enumerate(lines):
            text = line.text
            frame = stack[-1]
            quiet = frame.quiet.get(text)
            if (quiet is not None and not line.more and not frame.need_open
                    and self.recording is None):
                # a statement known to need no check, in an open block: `words` made short
                head, start, end, rest, spec = quiet
                file, row, base = line.file, line.line, line.column
                args = []
                for value, s, e in rest:
                    word = _make(Word)   # Word(value, span, False)
                    word.value = value
                    word.span = _new(Span, (file, row, base + s, row, base + e))
                    word.quoted = False
                    args.append(word)
                # Node(head, span, args, STATEMENT, frame.path, spec, [], text, start)
                node = _make(Node)
                node.keyword = head
                node.span = _new(Span, (file, row, base + start, row, base + end))
                node.args = args
                node.kind = STATEMENT
                node.path = frame.path
                node.spec = spec
                node.children = []
                node.raw = text
                node.raw_start = start
                node.open_span = node.close_span = None
                node.skipped = ""
                node._index = None
                index_ = frame.index
                children = frame.node.children
                if head in index_:
                    frame.repeats = True
                index_[head] = (len(children), node)
                children.append(node)
                continue
            layout = layouts.get(text, _UNSEEN)
            if layout is _UNSEEN:
                layout = layouts[text] = plain_layout(text)
            if not layout:
                if layout is None:
                    self.scanned_line(index, line)
                continue
            if line.more:      # pieces from several places (MappedLine.anchor() is None)
                self.scanned_line(index, line)
                continue
            file, row, base = line.file, line.line, line.column
            for item in layout:
                if len(item) == 2:
                    at = base + item[1]
                    span = _new(Span, (file, row, at, row, at + 1))
                    frame = stack[-1]
                    if self.recording is None and frame.mode != SKIPPED:
                        if item[0] == "{":
                            if frame.need_open:
                                # the '{' of the block just made (most of them): brace() short
                                self.braces += 1
                                frame.need_open = False
                                node = frame.node
                                node.open_span = span
                                if node.skipped:
                                    frame.mode = SKIPPED
                                    frame.depth = 1
                                    frame.quiet = {}
                                continue
                        elif (not frame.need_open and self.braces and not self.strays
                                and frame.shadow is None and len(stack) > 1):
                            # the '}' of an open block (most of them): brace() and close()
                            # made short
                            self.braces -= 1
                            node = frame.node
                            node.close_span = span
                            stack.pop()
                            if frame.mark >= 0:
                                self.checks.block(node, frame.mark, frame.repeats)
                            continue
                    brace(item[0], span)
                    continue
                head, start, end, rest = item
                args = []
                for value, s, e in rest:
                    word = _make(Word)   # Word(value, span, False)
                    word.value = value
                    word.span = _new(Span, (file, row, base + s, row, base + e))
                    word.quoted = False
                    args.append(word)
                span = _new(Span, (file, row, base + start, row, base + end))
                frame = stack[-1]
                found = frame.rows.get(head)
                if (found is not None and frame.mode == BLOCK and not frame.need_open
                        and self.recording is None):
                    # a keyword of an open block (most lines): `words` made short
                    kind = found[0].kind
                    if kind == "statement":
                        self.statement(frame, found, item, span, args, text, len(layout) == 1)
                        continue
                    if kind == "block":
                        if found[4] and args:
                            take_secret_values(self.secrets, args)
                        self.open_block(frame, found, head, span, args, text, start)
                        continue
                words(head, span, args, text, start, False)
        self.finish()
        self.shadow()
        return root

    def statement(self, frame: Frame, found: Row, run: Run, span: Span, args: list[Word],
                  text: str, alone: bool) -> None:
        """A statement line written in one piece, in an open block, not yet known quiet: its
        node, checked; it becomes quiet in its block when the check says no line of the same
        text there needs one (KeywordChecks.statement: never for a keyword naming a secret,
        whose values the builder collects) and it is alone on its line."""
        spec, _, _, _, secret = found
        head, start, end, rest = run
        node = Node(head, span, args, STATEMENT, frame.path, spec, [], text, start)
        index = frame.index
        children = frame.node.children
        if head in index:
            frame.repeats = True
        index[head] = (len(children), node)
        children.append(node)
        if secret and args:
            take_secret_values(self.secrets, args)
        if self.checks.statement(node, spec) and alone and len(frame.quiet) < MEMO_LIMIT:
            frame.quiet[text] = (head, start, end, rest, spec)

    def scanned_line(self, index: int, line: MappedLine) -> None:
        """Any other line: quotes, characters outside ASCII, pieces from several places."""
        text = line.text
        self.one_piece = line.anchor() is not None
        for item in scan_line(index, text):
            if isinstance(item, RawBrace):
                self.brace(item.char, line.span(item.start, item.start + 1))
                continue
            words = []
            for raw in item:
                span = line.span(raw.start, raw.end)
                if raw.open:
                    self.quote_diags.append(SYNTAX_ERROR.at(
                        span, "unterminated double quote: keepalived drops this word and "
                        "everything after it on the line"))
                    break
                words.append(Word(raw.text, span, raw.quoted))
            if words:
                head = words[0]
                self.words(head.value, head.span, words[1:], text, item[0].start, head.quoted)
        self.one_piece = True   # what the lines build() places itself are

    def words(self, keyword: str, span: Span, args: list[Word], raw: str, raw_start: int,
              quoted: bool) -> None:
        """A run of words: a keyword line, a value line or a skipped line, by what is open."""
        if self.recording is not None:
            self.recording.append(Word(keyword, span, quoted))
        frame = self.stack[-1]
        if frame.need_open:
            frame.need_open = False
            if frame.mode == VALUES:
                self.needs_open(frame.node)
            else:
                self.report_missing_open(frame, Word(keyword, span, quoted))
        path = frame.path
        if frame.mode != BLOCK:
            if args and is_secret_keyword(keyword):
                take_secret_values(self.secrets, args)
            frame.node.children.append(Node(keyword, span, args, VALUE if frame.mode == VALUES
                                            else SKIPPED, path, None, [], raw, raw_start))
            return
        try:
            row = frame.rows[keyword]
        except KeyError:
            row = self.row(path, keyword)
        if row is None:
            if args and is_secret_keyword(keyword):
                take_secret_values(self.secrets, args)
            frame.node.children.append(Node(keyword, span, args, UNKNOWN, path, None, [], raw,
                                            raw_start))
            head = Word(keyword, span, quoted)
            self.diags.append(self.unknown(path, head, self.missing_close(head)))
            return
        spec, own, _, _, secret = row
        if secret and args:
            take_secret_values(self.secrets, args)
        kind = spec.kind
        if kind == "block":
            self.open_block(frame, row, keyword, span, args, raw, raw_start)
            return
        children = frame.node.children
        index = frame.index
        if kind == "values":
            node = Node(keyword, span, args, VALUES, path, spec, [], raw, raw_start)
            index[keyword] = (len(children), node)
            children.append(node)
            mark = self.checks.node(node, spec, self.one_piece)
            self.stack.append(Frame(node, own, VALUES, {}, {}, {}, True, 0, mark))
        else:
            node = Node(keyword, span, args, STATEMENT, path, spec, [], raw, raw_start)
            if keyword in index:   # a keyword has one kind in a block: a statement comes again
                frame.repeats = True
            index[keyword] = (len(children), node)
            children.append(node)
            self.checks.node(node, spec, self.one_piece)

    def open_block(self, frame: Frame, row: Row, keyword: str, span: Span, args: list[Word],
                   raw: str, raw_start: int) -> None:
        """A keyword block in the open block of `frame` (`row`: the keyword's row there): its
        node, checked, and its frame, waiting for its '{'."""
        spec = row[0]
        children = frame.node.children
        # Node(keyword, span, args, BLOCK, path, spec, [], raw, raw_start, None, None,
        #      skip reason, {}) and Frame(node, own, BLOCK, rows, its index, its quiet lines,
        #      True, 0, mark)
        node = _make(Node)
        node.keyword = keyword
        node.span = span
        node.args = args
        node.kind = BLOCK
        node.path = frame.path
        node.spec = spec
        node.children = []
        node.raw = raw
        node.raw_start = raw_start
        node.open_span = node.close_span = None
        ipv4 = False
        if keyword in SKIPPABLE:
            if (keyword == "real_server" or keyword == "virtual_server") and args:
                # a server's address (most often IPv4: once tested here for both)
                ipv4 = IPV4.fullmatch(args[0].value) is not None
                node.skipped = "" if ipv4 else _server_skip_reason(args[0].value)
            else:
                node.skipped = self.skip_reason(keyword, args)
        else:
            node.skipped = ""
        own_index: dict[str, tuple[int, Node]] = {}
        node._index = own_index
        frame.index[keyword] = (len(children), node)
        children.append(node)
        opened = _make(Frame)
        opened.node = node
        opened.path = row[1]
        opened.mode = BLOCK
        opened.rows = row[2]
        opened.index = own_index
        opened.quiet = row[3]
        opened.need_open = True
        opened.depth = 0
        opened.mark = self.checks.node(node, spec, self.one_piece, ipv4)
        opened.shadow = None
        opened.repeats = False
        self.stack.append(opened)

    def brace(self, char: str, span: Span) -> None:
        if self.recording is not None:
            self.recording.append((char, span))
        if char == "{":
            self.braces += 1
        elif self.braces:
            if self.strays and self.strays[-1][0] == self.braces:
                self.balance_stray(span)
            self.braces -= 1
        frame = self.stack[-1]
        mode = frame.mode
        if mode == SKIPPED:     # keepalived skips a block it refused by counting braces
            frame.depth += 1 if char == "{" else -1
            if frame.depth == 0:
                frame.node.close_span = span
                self.stack.pop()
            return
        if frame.need_open:
            frame.need_open = False
            if char == "{":
                frame.node.open_span = span
                if frame.node.skipped:
                    frame.mode = SKIPPED
                    frame.depth = 1
                    frame.quiet = {}
                return
            if mode == VALUES:
                self.needs_open(frame.node)
            else:
                self.report_missing_open(frame, (char, span))
        if char == "}":
            if len(self.stack) > 1:
                self.close(frame, span)
            else:
                self.diags.append(SYNTAX_ERROR.at(span, "extra '}' at the top level: no block is "
                                                  "open here"))
        elif mode == VALUES:
            self.diags.append(SYNTAX_ERROR.at(span, f"'{{' inside the value block "
                                              f"'{frame.node.keyword}': value blocks do not "
                                              "nest, so the next '}' ends it"))
        else:
            self.report_stray_open(span)

    def close(self, frame: Frame, span: Span | None) -> None:
        """The end of a block: at its '}', or (span None) at the end of the file."""
        node = frame.node
        if span is not None:
            node.close_span = span
        self.stack.pop()
        if frame.shadow is not None:
            self.shadowed.append((frame.shadow, node))
            self.recording = None
        if frame.mark >= 0:
            self.checks.block(node, frame.mark, frame.repeats)

    def finish(self) -> None:
        for frame in reversed(self.stack[1:]):
            node = frame.node
            if frame.need_open and frame.mode == VALUES:
                self.needs_open(node)
            self.close(frame, None)
            self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' block opened here is "
                                              "never closed: a '}' is missing"))

    def skip_reason(self, keyword: str, args: list[Word]) -> str:
        """Why keepalived drops this whole block unread (duplicate name, bad address)."""
        if keyword in ("vrrp_instance", "vrrp_sync_group", "track_group") and len(args) != 1:
            return "it needs exactly one name"
        if keyword in ("vrrp_instance", "vrrp_sync_group", "track_group", "bfd_instance") and args:
            key = (keyword, args[0].value)
            if key in self.names:
                return "the name is already defined"
            self.names.add(key)
        if keyword in ("virtual_server", "real_server") and args:
            return _server_skip_reason(args[0].value)
        return ""

    # -- brace trouble -------------------------------------------------------------------
    def needs_open(self, node: Node) -> None:
        """alloc_value_block() takes a '{' first, and without it every line up to a '}'."""
        self.diags.append(SYNTAX_ERROR.at(node.span, f"'{node.keyword}' needs '{{' after it; "
                                          "keepalived takes every following line up to the "
                                          "next '}' as its values"))

    def report_stray_open(self, span: Span) -> None:
        """A '{' no keyword opens; the message names the '}' that balances it once that is
        read (self.strays)."""
        owner = self.stack[-1].node
        prev = owner.children[-1] if owner.children else None
        enclosing = (f"'{owner.keyword}' (line {owner.span.line})" if owner.keyword
                     else "nothing (it is an extra '}' at the top level)")
        if prev is not None and prev.span.line == span.line or (
                prev is not None and prev.span.line == span.line - 1):
            why = (f"'{prev.keyword}' takes no block" if prev.kind != UNKNOWN
                   else f"'{prev.keyword}' is not a keyword here")
        else:
            why = "no keyword opens a block here"
        self.strays.append((self.braces, len(self.diags), span, why, enclosing))
        self.diags.append(_stray(span, why, ""))

    def balance_stray(self, close: Span) -> None:
        _, at, span, why, enclosing = self.strays.pop()
        self.diags[at] = _stray(span, why, f"; the '}}' on line {close.line} then closes "
                                f"{enclosing}")

    def report_missing_open(self, frame: Frame, first: Shadowed) -> None:
        """A block keyword without its '{'; a top-level block's lines, from `first` on, are
        kept to be read again as the other processes read them."""
        node = frame.node
        self.diags.append(SYNTAX_ERROR.at(node.span, f"'{{' missing after '{node.keyword}': "
                                          "keepalived reads the following lines as its body in "
                                          "one process and as top-level lines in the others"))
        if not node.path:
            frame.shadow = self.recording = [first]

    # -- what keepalived's other processes see ---------------------------------------------
    def shadow(self) -> None:
        """Re-read the body of each top-level block that lacks its '{' from the top level, as
        the processes that do not own the block do, and report what they reject."""
        for items, node in self.shadowed:
            note = (f" (the '{{' after '{node.keyword}' on line {node.span.line} is missing, so "
                    "keepalived also reads this line at the top level)")
            closes = match_braces(items)
            i = 0
            while i < len(items):
                item = items[i]
                i += 1
                if not isinstance(item, Word):
                    if item[0] == "}":
                        self.diags.append(SYNTAX_ERROR.at(item[1], "extra '}' for the keepalived "
                                                          f"processes that read '{node.keyword}' "
                                                          "without its '{'"))
                    continue
                spec = self.spec_for("", item.value)
                if spec is None:
                    self.diags.append(self.unknown("", item, note))
                elif spec.kind != "statement" and i < len(items) and _is_open(items[i]):
                    close = closes[i]
                    i = close + 1 if close >= 0 else len(items)


def index_of(node: Node) -> dict[str, tuple[int, Node]]:
    """The keyword index of a block node made with one (Node.index()), to be kept current."""
    assert node._index is not None
    return node._index


def match_braces(items: list[Shadowed]) -> list[int]:
    """For every '{' the index of the '}' that balances it by counting (-1 when none); -1
    elsewhere. Braces before the first item cannot balance one after it."""
    closes = [-1] * len(items)
    open_at: list[int] = []
    for j, item in enumerate(items):
        if _is_open(item):
            open_at.append(j)
        elif open_at and not isinstance(item, Word):
            closes[open_at.pop()] = j
    return closes


def _is_open(item: Shadowed) -> bool:
    return not isinstance(item, Word) and item[0] == "{"


def _stray(span: Span, why: str, where: str) -> Diagnostic:
    return SYNTAX_ERROR.at(span, f"keepalived ignores this '{{' because {why}{where}")


def _server_skip_reason(address: str) -> str:
    """Why keepalived skips a virtual_server or real_server whose first word is `address`."""
    if address in ("fwmark", "group") or _is_ip(address):
        return ""
    return "its address is not an IP address"


def _is_ip(text: str) -> bool:
    """An IP address, optionally with a prefix or range, as keepalived reads a server's."""
    return IPV4.fullmatch(text) is not None or _is_other_ip(text)


@lru_cache(maxsize=4096)
def _is_other_ip(text: str) -> bool:
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


def build_tree(lines: list[MappedLine], table: KeywordTable, target: tuple[int, ...],
               target_text: str, file: str,
               sources: dict[str, str],
               secrets: set[str] | None = None) -> tuple[Node, list[Diagnostic]]:
    """The tree of a file's logical lines, and what its structure, the keyword table and the
    source text (values cut by a comment) say about it, each in file order, in that order.
    The secret values of the tree (kaconf.secrets.secret_values of it) are added to
    `secrets` when it is given."""
    builder = StructureBuilder(table, target, target_text, sources)
    if secrets is not None:
        builder.secrets = secrets
    root = Node("", Span(file, 1, 1, 1, 1), [], BLOCK, "")
    builder.build(lines, root)
    checks = builder.checks
    return root, builder.quote_diags + builder.diags + checks.out + checks.cut
