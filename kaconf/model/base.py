"""What every model node shares: its span, its syntax node, and the keywords not modelled.

The model is plain frozen slotted dataclasses, buildable in code with no source file. A value
is typed where the text was valid; a keyword written with a value the model could not type is
kept word for word in `verbatim`, so "is it set" and "what was written" answer from the model
itself. The syntax node is kept only to point at positions.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import field
from typing import Any

from kaconf.records import record
from kaconf.source import Span
from kaconf.tree import Node

# where a model built in code (no file) points: diagnostics about it carry no real position
GENERATED = Span("<generated>", 1, 1, 1, 1)

# keywords that are one setting under two names: canonical -> every spelling
SYNONYMS = {"lvs_sched": ("lvs_sched", "lb_algo"), "lvs_method": ("lvs_method", "lb_kind"),
            "retry": ("retry", "nb_get_retry"), "track_file": ("track_file", "vrrp_track_file"),
            "neighbor_ip": ("neighbor_ip", "neighbour_ip")}
CANONICAL = {alias: name for name, spellings in SYNONYMS.items() for alias in spellings}

# field metadata: how a field is written in keepalived.conf
HEAD = "head"      # a word of the block's header line (`real_server ADDRESS PORT`)
SKIP = "skip"      # not a keyword (computed or bookkeeping)


def head(default: Any = None) -> Any:
    """A field that is a word of the block's own line."""
    return field(default=default, metadata={"kind": HEAD})


def computed(default: Any = None) -> Any:
    """A field that is derived from other words, never printed on its own."""
    return field(default=default, metadata={"kind": SKIP}, compare=False)


def items() -> Any:
    """A list field (default empty)."""
    return field(default_factory=list)


@record(frozen=True, slots=True, kw_only=True)
class Directive:
    """A keyword the typed model does not interpret, kept with its arguments and block."""

    keyword: str
    args: list[str] = field(default_factory=list)
    span: Span = field(default=GENERATED, compare=False)
    block: list[Directive] | None = None
    raw: str | None = None   # the line after the keyword, for a command with quotes or escapes


@record(frozen=True, slots=True, kw_only=True)
class ModelNode:
    span: Span = field(default=GENERATED, compare=False)
    node: Node | None = field(default=None, compare=False, repr=False, metadata={"kind": SKIP})
    other: list[Directive] = field(default_factory=list, metadata={"kind": SKIP})
    # keywords written in the block (canonical spelling); empty for a model built in code
    written: frozenset[str] = field(default=frozenset(), compare=False, repr=False,
                                    metadata={"kind": SKIP})
    # keyword -> the words written, where the typed field does not hold them exactly (a value
    # the model could not type, or words after it): kept so the printer writes them back
    verbatim: dict[str, list[str]] = field(default_factory=dict, metadata={"kind": SKIP})
    # keyword -> the rest of its line as written, for the commands keepalived tokenizes a
    # second time with its own quotes and escapes (script, notify*, misc_path, url/regex)
    raw_text: dict[str, str] = field(default_factory=dict, metadata={"kind": SKIP})

    def keyword_node(self, keyword: str) -> Node | None:
        """The syntax node that set `keyword` (the last one, as keepalived keeps the last);
        None for a model built in code. For positions only."""
        if self.node is None:
            return None
        spellings = SYNONYMS.get(keyword)
        if spellings is not None:
            return self.node.find(*spellings)
        hit = self.node.index().get(keyword)
        return hit[1] if hit is not None else None

    def arg_span(self, keyword: str, index: int = 0) -> Span:
        """The span of argument `index` of `keyword` in this block; the keyword itself when it
        has no such argument; this node's span when the keyword is absent."""
        found = self.keyword_node(keyword)
        if found is None:
            return self.span
        if index < len(found.args):
            return found.args[index].span
        return found.span

    def head_span(self, index: int | None = None) -> Span:
        """Where the words of the block's own line are: word `index`, or all of them; this
        node's span when they are not there (a model built in code)."""
        if self.node is None or not self.node.args:
            return self.span
        if index is None:
            return self.node.args_span
        return self.node.args[index].span if index < len(self.node.args) else self.span

    def head_words(self) -> int:
        """How many words were written on the block's line (0 for a model built in code)."""
        return len(self.node.args) if self.node is not None else 0

    def has(self, keyword: str) -> bool:
        """Whether `keyword` is set: written in the file, or given a value in code."""
        keyword = CANONICAL.get(keyword, keyword)
        if keyword in self.written or keyword in self.verbatim:
            return True
        if keyword not in field_names(type(self)):
            return False
        value = getattr(self, keyword)
        return value is not None and value is not False and value != [] and value != {}


_NAMES: dict[type, frozenset[str]] = {}


def field_names(cls: type) -> frozenset[str]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return found


def keyword_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The fields of a model class that are keywords (neither header words nor bookkeeping)."""
    return tuple(f for f in dataclasses.fields(cls)
                 if f.metadata.get("kind") not in (HEAD, SKIP) and f.name != "span")


def head_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.metadata.get("kind") == HEAD)


def walk(node: ModelNode) -> Iterator[ModelNode]:
    """Every model node below `node` (itself first), in field order."""
    stack: list[ModelNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        children: list[ModelNode] = []
        for f in dataclasses.fields(current):
            value = getattr(current, f.name)
            if isinstance(value, ModelNode):
                children.append(value)
            elif isinstance(value, list):
                children += [v for v in value if isinstance(v, ModelNode)]
        stack.extend(reversed(children))
