"""The generic syntax tree: every line of a config as a Node, exactly as keepalived groups them.

Nothing a file says is dropped here; the typed model (model.py) is a view over these nodes.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field

from kaconf.keywords import Keyword
from kaconf.records import record
from kaconf.source import Span

# Node kinds
STATEMENT = "statement"   # keyword with arguments
BLOCK = "block"           # keyword block: children are keyword nodes
VALUES = "values"         # value block: children are VALUE lines
VALUE = "value"           # one line inside a value block
UNKNOWN = "unknown"       # keyword keepalived does not accept here (kept, and reported)
SKIPPED = "skipped"       # a line inside a block keepalived skips whole (see Node.skipped)


@record(slots=True)
class Word:
    value: str
    span: Span
    quoted: bool = False


@record(slots=True)
class Node:
    keyword: str
    span: Span                      # the keyword itself
    args: list[Word]
    kind: str
    path: str                       # block path of the enclosing block ('' = top level)
    spec: Keyword | None = None
    children: list[Node] = field(default_factory=list)
    raw: str = ""                   # the logical line, for the script tokenizer
    raw_start: int = 0              # offset of the keyword in `raw`
    open_span: Span | None = None   # the '{'
    close_span: Span | None = None  # the '}'
    skipped: str = ""               # why keepalived skips this whole block, if it does
    # keyword -> (position, last child), for index(); the structure builder fills it for the
    # blocks it makes as it adds their children
    _index: dict[str, tuple[int, Node]] | None = None

    @property
    def own_path(self) -> str:
        return f"{self.path}/{self.keyword}" if self.path else self.keyword

    @property
    def is_block(self) -> bool:
        return self.kind in (BLOCK, VALUES)

    @property
    def full_span(self) -> Span:
        """From the keyword to the closing brace (or the last argument)."""
        end = self.close_span or (self.args[-1].span if self.args else self.span)
        if end.file != self.span.file:
            last = self.args[-1].span if self.args else self.span
            end = last if last.file == self.span.file else self.span
        return Span(self.span.file, self.span.line, self.span.column, end.end_line, end.end_column)

    @property
    def args_span(self) -> Span:
        if not self.args:
            return self.span
        first, last = self.args[0].span, self.args[-1].span
        if last.file != first.file or last.line != first.line:
            return first
        return Span(first.file, first.line, first.column, last.end_line, last.end_column)

    def arg(self, i: int) -> str | None:
        return self.args[i].value if i < len(self.args) else None

    def index(self) -> dict[str, tuple[int, Node]]:
        """keyword -> (position, last child with it), built once: models and checks look
        keywords up hundreds of thousands of times on a big file."""
        if self._index is None:
            self._index = {c.keyword: (i, c) for i, c in enumerate(self.children)
                           if c.kind not in (UNKNOWN, SKIPPED)}
        return self._index

    def find(self, keyword: str, *synonyms: str) -> Node | None:
        """The last child with this keyword or a synonym (keepalived: the last one wins)."""
        index = self.index()
        if not synonyms:
            hit = index.get(keyword)
            return hit[1] if hit is not None else None
        hits = [h for k in (keyword, *synonyms) if (h := index.get(k)) is not None]
        return max(hits, key=lambda h: h[0])[1] if hits else None

    def find_all(self, keyword: str) -> list[Node]:
        return [c for c in self.children
                if c.keyword == keyword and c.kind not in (UNKNOWN, SKIPPED)]

    def walk(self) -> Iterator[Node]:
        """Every node below this one, in file order (iterative: trees are wide and deep)."""
        stack = [iter(self.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            yield child
            if child.children:
                stack.append(iter(child.children))
