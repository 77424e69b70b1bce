"""What flows between the stages: a Document (one file read for one config id) and a Report
(the result of a run). Below kaconf.api; every stage may import it."""
from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.records import record
from kaconf.tree import Node

if TYPE_CHECKING:
    from kaconf.model import Config


@record
class Document:
    """One file read for one config id: its tree, typed model and reading diagnostics."""

    path: str
    config_id: str
    target: str
    tree: Node
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)

    @cached_property
    def config(self) -> Config:
        """The typed model, built on first use (reading alone does not need it)."""
        from kaconf.grammar.to_ast import build_ast

        missing = [d.span for d in self.diagnostics if d.code in ("KA002", "KA004")]
        return build_ast(self.tree, self.path, missing)

    @cached_property
    def secret_values(self) -> frozenset[str]:
        """The secret values the file holds (passwords, keys), found once however many times
        the rules, the scrubbing and the renderers ask: kaconf.parse.parse_loaded sets what
        the structure builder collected as it made the tree; for a tree made otherwise, one
        walk of it finds them."""
        from kaconf.secrets import secret_values

        return frozenset(secret_values(self.tree))



STEP = 1024     # characters of text (at least) between two entries of a LineIndex


class LineIndex:
    """The lines of a text by number. The text is cut at a newline about every STEP
    characters; the index keeps where each piece starts and the number of its first line
    (newlines counted at C speed, no object per line), and a line is found by splitting only
    its piece. Pieces are indexed as far as the lines asked for reach (the findings shown of
    a big file are often all near its top), and the last piece split is kept for the next
    line asked for (findings come in line order)."""

    __slots__ = ("text", "firsts", "starts", "pos", "next", "piece", "lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self.firsts = array("q")     # the number of the first line of each piece indexed
        self.starts = array("q")     # where each piece indexed starts
        self.pos = 0                 # where the next piece starts; past the end: none left
        self.next = 1                # the number of its first line
        self.piece = -1              # the piece last split, and its lines
        self.lines: list[str] = []

    def line(self, number: int) -> str | None:
        """Line `number` (1-based), as text.split("\\n") gives it; None past the end."""
        if number < 1:
            return None
        text = self.text
        size = len(text)
        while number >= self.next and self.pos <= size:
            pos = self.pos           # cut as source.line_chunks cuts, STEP for CHUNK
            cut = text.find("\n", pos + STEP)
            cut = size if cut < 0 else cut
            self.firsts.append(self.next)
            self.starts.append(pos)
            self.next += text.count("\n", pos, cut) + 1
            self.pos = cut + 1
        if number >= self.next:
            return None
        i = bisect_right(self.firsts, number) - 1
        if i != self.piece:
            stop = (self.starts[i + 1] if i + 1 < len(self.starts) else self.pos) - 1
            self.piece, self.lines = i, text[self.starts[i]:stop].split("\n")
        return self.lines[number - self.firsts[i]]


@record
class Report:
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)   # files kaconf could not read at all
    clusters: list[Any] = field(default_factory=list)    # kaconf.cluster.Cluster
    secret_keywords: tuple[str, ...] = ()                # from the settings, to mask

    def source_line(self, file: str, number: int) -> str | None:
        """Line `number` (1-based) of a file read for this report, None past its end. The
        file's LineIndex is made once, however many findings it has."""
        text = self.sources.get(file)
        if text is None:
            return None
        indexes: dict[str, LineIndex] = self.__dict__.setdefault("_lines", {})
        index = indexes.get(file)
        if index is None:
            index = indexes[file] = LineIndex(text)
        return index.line(number)

    def secrets(self) -> set[str]:
        """Every secret value of the documents read (passwords, keys), to keep out of output."""
        if "_secrets" not in self.__dict__:
            out: set[str] = set()
            for doc in self.documents:
                out |= doc.secret_values
            self.__dict__["_secrets"] = out
        return self.__dict__["_secrets"]  # type: ignore[no-any-return]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            out[d.severity.value] += 1
        return out

    def exit_code(self, fail_on: Severity = Severity.WARNING) -> int:
        """0: nothing at or above fail_on; 1: findings; 2: a file could not be read."""
        if self.failures:
            return 2
        if any(d.severity.rank >= fail_on.rank for d in self.diagnostics):
            return 1
        return 0


__all__ = ["Document", "Report"]
