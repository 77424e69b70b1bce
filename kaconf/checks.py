"""Runs the keyword-table checks of kaconf.node_checks over a tree, node by node as the
structure builder makes it (KeywordChecks), keeping a memo of what lines written in one piece
were found to hold (Repeat); it also reports block names defined twice (KA109) and values a
comment cuts short (KA007, CutValues)."""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Fix
from kaconf.keyword_codes import DUPLICATE_NAME, VALUE_CUT
from kaconf.keywords import Keyword, KeywordTable
from kaconf.node_checks import IPV4, REQUIRING, SECRETS, check_addresses, check_block, check_node
from kaconf.source import Span
from kaconf.tree import BLOCK, STATEMENT, UNKNOWN, VALUES, Node

CUT_VALUES = ("string", "script", "any")   # value rules of text a '#' or '!' may cut short
MEMO_LIMIT = 1 << 16   # entries a memo of what lines hold keeps at most (KeywordChecks, Memo)
NAMED_BLOCKS = ("vrrp_instance", "vrrp_sync_group", "track_group", "vrrp_script",
                "virtual_server_group", "bfd_instance", "track_file", "vrrp_track_file",
                "vrrp_track_process")
# value blocks whose lines start with an address keepalived parses like a VIP
ADDRESS_BLOCKS = ("virtual_ipaddress", "virtual_ipaddress_excluded", "static_ipaddress")


class KeywordChecks:
    """The keyword-table checks of one tree, fed its nodes in file order (as the structure
    builder makes them, or as Node.walk gives them). A block's own checks (duplicates,
    required keywords, addresses) need its children: `node` says where their findings go and
    `block` puts them there once the block is complete, so the findings come out in the order
    a walk over the finished tree gives them."""

    def __init__(self, table: KeywordTable,
                 known: dict[tuple[str, str, int], Repeat] | None = None,
                 sources: dict[str, str] | None = None) -> None:
        self.table = table
        self.out: list[Diagnostic] = []
        # values cut short by a comment (CutValues), when the source text is given
        self.cuts = CutValues(sources) if sources is not None else None
        self.cut: list[Diagnostic] = []
        self.names: dict[tuple[str, str], Node] = {}
        # what check_node found on lines written in one piece, by (path, line text, offset of
        # the keyword), when the structure builder gives its memo: in a tree it made, a node's
        # keyword and arguments follow from those, so a line that comes again in the same
        # block (in this file or another) gets the same findings at its own words' places
        # (Repeat) without being checked again
        self.known = known

    def node(self, node: Node, spec: Keyword, one_piece: bool = False,
             ipv4: bool = False) -> int:
        """Check a node keepalived accepts (`spec` is its row); `one_piece`: its line was
        written in one piece; `ipv4`: its first argument is known to be an IPv4 address
        (IPV4). Returns where the block's own findings go (for `block`), or -1 when it has
        none to give."""
        out = self.out
        known = self.known
        if known is None or not one_piece:
            out.extend(check_node(node, spec, self.table))
        elif not (ipv4 and clean_header(node, spec, True)):   # a server's: asked first
            key = (node.path, node.raw, node.raw_start)
            repeat = known.get(key)
            if repeat is None:
                if ipv4 or not clean_header(node, spec):
                    found = list(check_node(node, spec, self.table))
                    out.extend(found)
                    repeat = Repeat.of(node, found)
                    if repeat is not None and len(known) < MEMO_LIMIT:
                        known[key] = repeat
            elif repeat:
                out.extend(repeat.at(node))
        kind = node.kind
        if (kind == STATEMENT and self.cuts is not None and node.args
                and (spec.value in CUT_VALUES or node.keyword in SECRETS)):
            cut = self.cuts.of(node)
            if cut is not None:
                self.cut.append(cut)
        mark = (len(out) if kind == BLOCK and not node.skipped
                or kind == VALUES and node.keyword in ADDRESS_BLOCKS else -1)
        if not node.path and node.keyword in NAMED_BLOCKS and len(node.args) == 1:
            self.name(node)
        return mark

    def statement(self, node: Node, spec: Keyword) -> bool:
        """`node` for a statement written in one piece; True when a statement of the same line
        text, keyword offset and block path needs no check at all: the memo holds its line
        free of findings, and it is not one whose value a comment may cut (names defined
        twice are looked for on blocks only)."""
        self.node(node, spec, True)
        known = self.known
        repeat = None if known is None else known.get((node.path, node.raw, node.raw_start))
        return (repeat is not None and not repeat and spec.value not in CUT_VALUES
                and node.keyword not in SECRETS)

    def name(self, node: Node) -> None:
        key = (node.keyword.replace("vrrp_track_file", "track_file"), node.args[0].value)
        first = self.names.get(key)
        if first is None:
            self.names[key] = node
            return
        skipped = node.keyword in ("vrrp_instance", "vrrp_sync_group", "track_group",
                                   "bfd_instance")
        effect = "keepalived skips this whole block" if skipped else "only one of them is used"
        self.out.append(DUPLICATE_NAME.at(node.args[0].span, f"{node.keyword} '{key[1]}' is "
                                          f"already defined on line {first.span.line}; "
                                          f"{effect}"))

    def block(self, node: Node, mark: int, repeats: bool = True) -> None:
        """The checks of a complete block, placed right after the node's own findings;
        `repeats` False says no statement keyword comes twice in it."""
        if node.kind != BLOCK:
            found = list(check_addresses(node))
        elif repeats or node.keyword in REQUIRING:
            found = check_block(node, repeats)
        else:
            return
        if found:
            # what follows `mark` came from inside this block, so the move is short
            self.out[mark:mark] = found


class Repeat(tuple[tuple[int, Diagnostic], ...]):
    """A node's findings, each with the word it points at (-1: the keyword, else the
    argument's index), to be given again for a node made of the same words elsewhere."""

    __slots__ = ()

    @classmethod
    def of(cls, node: Node, found: list[Diagnostic]) -> Repeat | None:
        """None when a finding points at no single word of the node, or at one that shares
        its place with another (a line pieced together from a parameter)."""
        spans = [node.span, *(a.span for a in node.args)]
        if len(set(spans)) != len(spans):
            return None
        where = {span: i - 1 for i, span in enumerate(spans)}
        out = []
        for d in found:
            at = where.get(d.span)
            if at is None or d.related or (d.fix is not None and d.fix.span != d.span):
                return None
            out.append((at, d))
        return cls(out)

    def at(self, node: Node) -> Iterator[Diagnostic]:
        for at, d in self:
            span = node.span if at < 0 else node.args[at].span
            yield Diagnostic(d.code, d.name, d.severity, span, d.message, (),
                             Fix(span, d.fix.replacement) if d.fix is not None else None)


def check_keywords(root: Node, table: KeywordTable) -> list[Diagnostic]:
    """The keyword checks of a finished tree (the structure builder runs them as it builds)."""
    checks = KeywordChecks(table)
    for node in root.walk():
        if node.spec is None or node.kind == UNKNOWN:
            continue
        mark = checks.node(node, node.spec)
        if mark >= 0:
            checks.block(node, mark)
    return checks.out


def clean_header(node: Node, spec: Keyword, ipv4: bool = False) -> bool:
    """True for a virtual_server or real_server naming an IPv4 address and a port, when
    check_node has nothing to say about it: answered quickly, as a big file has thousands, each
    different (False says nothing). `ipv4`: the first argument is known to match IPV4."""
    keyword = node.keyword
    if keyword == "real_server":
        if node.path != "virtual_server" or spec.status == "deprecated" or not (
                spec.min_args <= len(node.args) and (spec.max_args is None
                                                     or len(node.args) <= spec.max_args)):
            return False
    elif keyword != "virtual_server" or node.path or spec.status == "deprecated":
        return False
    args = node.args
    if not 1 <= len(args) <= 2 or not (ipv4 or IPV4.fullmatch(args[0].value) is not None):
        return False
    if len(args) == 1:
        return True
    port = args[1].value   # ASCII digits: what UINT accepts, and int() reads
    return port.isascii() and port.isdigit() and (len(port) < 5 or int(port) <= 65535)


class CutValues:
    """A `#` or `!` glued to the end of a value starts a comment there (keepalived-language
    §1.1): `auth_pass ab!cdef` sets the password `ab`. Reported for text values, where the
    rest was most likely meant to be part of the value; the source text tells, as the
    loader has already cut the comment."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.lines: dict[str, list[str]] = {}

    def of(self, node: Node) -> Diagnostic | None:
        if node.kind != STATEMENT or node.spec is None or not node.args:
            return None
        if node.spec.value not in CUT_VALUES and node.keyword not in SECRETS:
            return None
        last = node.args[-1]
        if last.quoted or last.span.line != last.span.end_line:
            return None
        text = self.lines.get(last.span.file)
        if text is None:
            text = self.lines[last.span.file] = self.sources.get(last.span.file, "").split("\n")
        if not 1 <= last.span.line <= len(text):
            return None
        line = text[last.span.line - 1]
        at = last.span.end_column - 1
        if at + 1 >= len(line) or line[at] not in "#!" or line[at + 1] in " \t#!\r":
            return None
        char = line[at]
        shown = "" if node.keyword in SECRETS else f" '{last.value}'"
        return VALUE_CUT.at(
            Span(last.span.file, last.span.line, last.span.column, last.span.line,
                 len(line.rstrip()) + 1),
            f"'{char}' right after the value starts a comment: keepalived reads "
            f"{node.keyword}{shown} and ignores the rest of the line; put the whole value in "
            "double quotes if it belongs to it")


def check_cut_values(root: Node, sources: dict[str, str]) -> list[Diagnostic]:
    """CutValues over a finished tree (the structure builder checks each node as it makes it)."""
    cuts = CutValues(sources)
    return [cut for node in root.walk() if (cut := cuts.of(node)) is not None]
