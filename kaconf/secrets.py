"""Secrets (VRRP passwords, HMAC keys, SSL passwords, SNMP communities) and control characters
never leave kaconf in output: the one list of secret keywords, and the masking pass every
renderer, diff, dump and graph goes through where text leaves kaconf.

A secret is recognised by what it is, not by how well it is written: the words after a secret
keyword also when the keyword is misspelt (`auth_pas`), quoted (`"auth_pass"`), glued to its
value (`auth_pass=x`, a no-break space), separated by a vertical tab, or when the value is on
the next line or comes from a `$NAME` parameter. Such a value is then hidden wherever it
appears: in messages, notes, source excerpts and diffs. The mask has a fixed width, so neither
the text nor the carets under it tell how long the secret is.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field, replace
from functools import lru_cache
from itertools import compress, filterfalse, repeat
from operator import not_
from typing import TYPE_CHECKING, Any, Protocol

from kaconf.diagnostics import Diagnostic, Related
from kaconf.records import record
from kaconf.source import Span, line_chunks, lines_of
from kaconf.tree import Node, Word

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kaconf.tree import Node as _Node

SECRET_KEYWORDS = ("auth_pass", "password", "key", "snmp_community")
MASK = "********"
# keywords that look like secret ones but are not (keywords.tsv)
NOT_SECRET = frozenset({"passive", "keyword", "auth_type", "authentication", "auth_hmac",
                        "active_key", "pass"})
_LETTERS = {k: tuple((ch, k.count(ch)) for ch in sorted(set(k))) for k in SECRET_KEYWORDS}
_HINTS = ("pass", "secret", "community", "pwd")
# `$NAME=` parameters whose name says they hold a secret, used or not
_PARAMETER_HINTS = ("pass", "pw", "secret", "key", "token", "community", "auth")
_KEYWORD_LIKE = re.compile(r"[a-z][a-z0-9_]{1,39}")
_NOT_WORD = re.compile(r"[^a-z0-9_]")
_NOT_KEYWORD_CHAR = re.compile(r"[^a-z_]")
# what names_secret drops from a word; compiled on first use (its ranges above 0xff take
# about 1.3 ms to compile), an ASCII word needs only its ASCII part
_NOISE_CHARACTERS = ("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
                     "\ud800-\udfff#!'\"`]")
_ASCII_NOISE = re.compile("[\x00-\x1f\x7f#!'\"`]")


@lru_cache(maxsize=1)
def _noise() -> re.Pattern[str]:
    return re.compile(_NOISE_CHARACTERS)


def without_noise(word: str) -> str:
    """`word` without control, format and comment characters or quotes."""
    return (_ASCII_NOISE if word.isascii() else _noise()).sub("", word)


# a word as keepalived splits them, also on the blanks it does not split on (no-break space,
# vertical tab), so a glued value is still found; a quoted word runs to its closing quote
_WORD = re.compile(r'"[^"]*"?|[^\s{}"]+')
_GLUE = re.compile(r"[=:]")
_BRACE = re.compile(r"[{}]")
_PARAM = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_DEFINITION = re.compile(r"\s*\$([A-Za-z_][A-Za-z0-9_]*)=")
# what a terminal or a CI log would act on: C0 and C1 controls, DEL, undecodable bytes (kept
# as surrogates) and the bidirectional overrides that reorder what is shown; compiled on
# first use (its ranges above 0xff take about 1 ms to compile, and most runs show only
# printable ASCII, which has_controls tells without it)
_CONTROL_CHARACTERS = ("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


@lru_cache(maxsize=1)
def _control() -> re.Pattern[str]:
    return re.compile(_CONTROL_CHARACTERS)


_WORKFLOW = re.compile(r"##\[|^(\s*)::", re.MULTILINE)
_QUOTED_CHARACTER = re.compile(r"['\"]([^'\"]{1})['\"]")    # a one-character value, quoted
# a number or an address (hex digits for IPv6): no secret keyword, hint or typo of one is
# spelt with these alone (tests/hardening/test_secrets.py holds the shortcuts taken for them)
_NUMERAL = re.compile(r"[0-9A-Fa-f.:/-]+")


def _distance(a: str, b: str, most: int) -> int:
    """Edit distance counting a swap of two neighbours as one edit (a typo), or most + 1
    once it is certainly more than `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > most:
            return most + 1
        before, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=1 << 16)
def is_secret_keyword(word: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether `word` names a secret, also when quoted, in another case or misspelt."""
    if not extra and _NUMERAL.fullmatch(word):
        return False        # an address or a number (a value block's line starts with one)
    return names_secret(word, extra)


def names_secret(word: str, extra: tuple[str, ...]) -> bool:
    """is_secret_keyword without the shortcut for numerals: every test made."""
    # a comment sign or a control character inside the keyword (`auth#_pass`) still names it
    w = without_noise(word).lower().replace("-", "_")
    if not w or w in NOT_SECRET:
        return False
    if w in SECRET_KEYWORDS or w in (e.lower() for e in extra):
        return True
    if _KEYWORD_LIKE.fullmatch(w) and any(hint in w for hint in _HINTS):
        return True
    # a typo, or stray characters inside a long keyword (`au>vth_pass`, an emoji modifier)
    letters = _NOT_WORD.sub("", w)
    if len(letters) < 6 or letters in NOT_SECRET or len(_NOT_KEYWORD_CHAR.sub("", letters)) < 6:
        return False        # fewer than 6 letters: no typo of a long secret keyword
    return any(_within(letters, k, 2 if len(k) >= 8 else 1)
               for k in SECRET_KEYWORDS if len(k) >= 6)


def _within(word: str, keyword: str, most: int) -> bool:
    """Whether `word` is at most `most` edits from `keyword`. An edit takes at most one
    character away from what the two have in common, so a word sharing fewer than
    len(keyword) - most characters with it (an address, a number) is rejected without
    computing the distance."""
    common = sum(min(word.count(ch), wanted) for ch, wanted in _LETTERS[keyword])
    return common >= len(keyword) - most and _distance(word, keyword, most) <= most


def shown_safely(text: str) -> str:
    """Text from a config shown without masking (`--show-secrets`): control characters
    escaped, never a workflow command."""
    return defuse_workflow_commands(escape_controls(text, keep="\n\t"))


def escape_controls(text: str, keep: str = "") -> str:
    """Control characters shown as `\\xNN` (`\\uNNNN` above 0xff): an undecodable byte as the
    byte it was. Characters in `keep` (a newline in a whole document) stay."""
    if not has_controls(text):
        return text

    def one(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch in keep:
            return ch
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:       # a byte that was not UTF-8 (surrogateescape)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return _control().sub(one, text)


def has_controls(text: str) -> bool:
    """Whether escape_controls has something to escape (most text is printable ASCII, told
    without the pattern)."""
    return not (text.isascii() and text.isprintable()) and _control().search(text) is not None


def defuse_workflow_commands(text: str) -> str:
    """Make sure no line of `text` is read as a GitHub Actions workflow command: `::` at the
    start of a line and `##[` anywhere get their first character escaped."""
    if "::" not in text and "##[" not in text:
        return text
    return _WORKFLOW.sub(lambda m: "\\x23#[" if m.group(0) == "##[" else m.group(1) + "\\x3a:",
                         text)


@record
class Masker:
    """What to hide in one run's output: secret values, and where in each file they are
    written. Build it with `masker_for`; every text leaving kaconf goes through it."""

    values: set[str] = field(default_factory=set)
    places: dict[str, dict[int, list[tuple[int, int]]]] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    _pattern: re.Pattern[str] | None = None
    # each line shown once however many findings it has: (text, shown, columns)
    _lines: dict[tuple[str, int], tuple[str, str, list[int]]] = field(default_factory=dict)

    def add_source(self, file: str, text: str) -> None:
        self.places[file] = scan_text(text, self.values, self.extra)
        self._pattern = None

    def add_tree(self, tree: Node) -> None:
        blocks = [tree.children]
        for children in blocks:     # every node, a block at a time (the order does not matter)
            for node in children:
                if node.children:
                    blocks.append(node.children)
                if node.args and is_secret_keyword(node.keyword, self.extra):
                    take_secret_values(self.values, node.args)
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """Secret values wherever they appear: a long one also inside other text (a
        parameter substituted into a word), a short one only as a word of its own."""
        if self._pattern is None and self.values:
            long = sorted((v for v in self.values if len(v) >= 6), key=len, reverse=True)
            short = sorted((v for v in self.values if 2 <= len(v) < 6), key=len, reverse=True)
            parts = [re.escape(w) for w in long]
            if short:
                parts.append(r"(?<![A-Za-z0-9_])(?:" + "|".join(re.escape(w) for w in short)
                             + r")(?![A-Za-z0-9_])")
            if parts:
                self._pattern = re.compile("|".join(parts))
        return self._pattern

    def value_places(self, text: str) -> list[tuple[int, int]]:
        pattern = self.pattern
        found = [m.span() for m in pattern.finditer(text)] if pattern else []
        if "'" in text or '"' in text:
            found += [(m.start(), m.end()) for m in _QUOTED_CHARACTER.finditer(text)
                      if m.group(1) in self.values]
        return found

    def text(self, text: str) -> str:
        """A message, note or file name: secrets masked, control characters escaped, never
        a workflow command."""
        return defuse_workflow_commands(escape_controls(_apply(text, self.value_places(text))))

    def document(self, text: str) -> str:
        """A whole output document (a graph, a dump): secrets masked, control characters
        escaped except newlines and tabs, no line a workflow command."""
        shown = escape_controls(_apply(text, self.value_places(text)), keep="\n\t")
        return defuse_workflow_commands(shown)

    def line(self, file: str, number: int, text: str) -> tuple[str, list[int]]:
        """A source line as shown: secrets masked, control characters escaped, and for each
        column of `text` (0-based, and one past its end) the column it is shown at."""
        key = (file, number)
        found = self._lines.get(key)
        if found is None or found[0] != text:
            ranges = merge(self.places.get(file, {}).get(number, []) + self.value_places(text))
            found = (text, *shown_with_columns(text, ranges))
            self._lines[key] = found
        return found[1], found[2]

    def diff(self, diff: str) -> str:
        """A unified diff with secret values masked on every line."""
        out = []
        for line in diff.split("\n"):
            body = line[1:] if line[:1] in " +-" and not line.startswith(("+++", "---")) else ""
            if not body:
                out.append(defuse_workflow_commands(escape_controls(line, keep="\t")))
                continue
            places = merge(scan_line(body, set(), self.extra)[0] + self.value_places(body))
            shown = line[0] + escape_controls(_apply(body, places), keep="\t")
            out.append(defuse_workflow_commands(shown))
        return "\n".join(out)


def masker_for(sources: dict[str, str], trees: Iterable[Node] = (),
               extra: Iterable[str] = ()) -> Masker:
    """The masker for the files of one run and their syntax trees."""
    masker = Masker(extra=tuple(extra))
    for file, text in sources.items():
        masker.add_source(file, text)
    for tree in trees:
        masker.add_tree(tree)
    return masker


def take_secret_values(values: set[str], args: list[Word]) -> None:
    """Add the values of a secret keyword's arguments (and the first 8 characters of a
    longer one) to `values`."""
    values.update(w.value for w in args if w.value)
    values.update(w.value[:8] for w in args if len(w.value) > 8)


def scan_line(text: str, values: set[str], extra: tuple[str, ...]
              ) -> tuple[list[tuple[int, int]], bool, set[str]]:
    """Where secret values are on one line; whether the line ends with a secret keyword
    whose value must be on the next line; parameter names used as secret values. The values
    found are added to `values`."""
    places, pending, params, found = _scan(text, extra)
    values.update(found)
    return list(places), pending, set(params)


@lru_cache(maxsize=1 << 14)
def _scan(text: str, extra: tuple[str, ...]) -> tuple[tuple[tuple[int, int], ...], bool,
                                                       frozenset[str], frozenset[str]]:
    """scan_line's work, once per distinct line (configs repeat lines a lot)."""
    words = text.replace("{", " ").replace("}", " ").split()
    if '"' not in text and all(map(_innocent, words, repeat(extra))):
        return _NOTHING     # the words _WORD would find, none of them near a secret keyword
    return scan_words(text, extra)


def scan_words(text: str, extra: tuple[str, ...]) -> tuple[tuple[tuple[int, int], ...], bool,
                                                           frozenset[str], frozenset[str]]:
    """_scan without the shortcut for lines of innocent words: every word looked at."""
    places: list[tuple[int, int]] = []
    params: set[str] = set()
    values: set[str] = set()
    words = list(_WORD.finditer(text))
    pending = False
    i = 0
    while i < len(words):
        word = words[i].group(0)
        glued = _GLUE.search(word)
        if glued and glued.start() and is_secret_keyword(word[:glued.start()], extra):
            start = words[i].start() + glued.end()
            if start < words[i].end():
                places.append((start, words[i].end()))
                _note(text[start:words[i].end()], values, params)
            else:
                pending = i + 1 == len(words)
            i += 1
            continue
        prefix = glued_prefix(word, extra)
        if prefix:          # `auth_pass` with something stuck to it: all of it is hidden
            places.append(words[i].span())
            _note(word[prefix:], values, params)
        elif not is_secret_keyword(word, extra) or len(word) > 40:
            i += 1
            continue
        j = i + 1          # every word up to a brace or the end of the line
        while j < len(words) and not _BRACE.search(text, words[j - 1].end(), words[j].start()):
            places.append(words[j].span())
            _note(words[j].group(0), values, params)
            j += 1
        pending = j == i + 1 == len(words) and "{" not in text[words[i].end():]
        i = j
    return tuple(places), pending, frozenset(params), frozenset(values)


_NOTHING: tuple[tuple[tuple[int, int], ...], bool, frozenset[str], frozenset[str]] = (
    (), False, frozenset(), frozenset())


@lru_cache(maxsize=1 << 16)
def _innocent(word: str, extra: tuple[str, ...]) -> bool:
    """Whether _scan would pass over this word: no secret keyword, glued or not."""
    if not extra and _NUMERAL.fullmatch(word):
        return True     # most words of a big file: no keyword, glued or not, is spelt so
    glued = _GLUE.search(word)
    if glued and glued.start() and is_secret_keyword(word[:glued.start()], extra):
        return False
    return not glued_prefix(word, extra) and not is_secret_keyword(word, extra)


def glued_prefix(word: str, extra: tuple[str, ...]) -> int:
    """The length of a long secret keyword that `word` starts with, followed by more
    characters that are not a separator (`auth_pass±x`), or 0."""
    lowered = word.lower()
    for keyword in (*SECRET_KEYWORDS, *extra):
        if len(keyword) >= 6 and len(lowered) > len(keyword) and lowered.startswith(
                keyword.lower()) and not _GLUE.match(lowered, len(keyword)):
            return len(keyword)
    return 0


def _note(value: str, values: set[str], params: set[str]) -> None:
    bare = value.strip('"')
    if bare and not bare.startswith("$"):
        values.add(bare)
        # `#` and `!` start a comment: keepalived's value is what comes before
        values.add(re.split("[#!]", bare, maxsplit=1)[0])
    values.discard("")
    params.update(_PARAM.findall(value))


def scan_text(text: str, values: set[str], extra: tuple[str, ...]
              ) -> dict[int, list[tuple[int, int]]]:
    """Where the secret values of a file are written, by line number (1-based); collects the
    values into `values`. A value on the line after its keyword and the definition of a
    parameter used as a secret value count too. Only the lines suspect_lines gives are
    looked at one by one: every other line holds nothing."""
    return scan_lines(suspect_lines(text, extra), text, values, extra)


def scan_lines(numbered: Iterable[tuple[int, str]], text: str, values: set[str],
               extra: tuple[str, ...]) -> dict[int, list[tuple[int, int]]]:
    """scan_text over the (number, line) pairs given, in order: every line of `text` (each
    looked at), or only its suspect lines (a line left out holds nothing and leaves nothing
    pending for the next)."""
    out: dict[int, list[tuple[int, int]]] = {}
    params: set[str] = set()
    pending = False
    last = 0
    for number, line in numbered:
        if number != last + 1:
            pending = False
        last = number
        if pending and line.strip():
            first = _WORD.search(line)
            if first is not None and first.group(0) not in ("{", "}"):
                out.setdefault(number, []).append(first.span())
                _note(first.group(0), values, params)
            pending = False
            continue
        places, pending, found = scan_line(line, values, extra)
        params |= found
        if places:
            out.setdefault(number, []).extend(places)
    if params or "$" in text:
        _mask_definitions(lines_of(text), params, out, values)
    return out


def suspect_lines(text: str, extra: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(number, line) of every line of `text` that _scan may not pass over (one with a quote,
    or with a word that is not innocent), and of the line after each (it may hold the value
    of a keyword that ends the line), in order. The words are judged once per piece of the
    text: a piece whose words are all innocent is passed over whole."""
    number = 1
    after = False       # the last line of the piece before was suspect
    for piece in line_chunks(text):
        words = set(piece.replace("{", " ").replace("}", " ").split())
        if not extra:       # numbers and addresses, most words of a big file, are innocent
            words = set(filterfalse(_NUMERAL.fullmatch, words))
        marks = list(compress(words, map(not_, map(_innocent, words, repeat(extra)))))
        if '"' in piece:
            marks.append('"')
        lines = piece.count("\n") + 1
        if marks or after:
            hit = _lines_holding(piece, marks)
            wanted = hit | {i + 1 for i in hit}
            if after:
                wanted.add(0)
            split = piece.split("\n")
            yield from ((number + i, split[i]) for i in sorted(wanted) if i < lines)
            after = lines - 1 in hit
        number += lines


def _lines_holding(piece: str, marks: list[str]) -> set[int]:
    """The lines (0-based) of `piece` in which one of `marks` is written."""
    found = []
    for mark in marks:      # occurrences that do not overlap: one in each line holding it
        at = piece.find(mark)
        while at >= 0:
            found.append(at)
            at = piece.find(mark, at + len(mark))
    lines: set[int] = set()
    line, last = 0, 0
    for at in sorted(found):
        line += piece.count("\n", last, at)
        last = at
        lines.add(line)
    return lines


def secret_parameter(name: str) -> bool:
    """Whether a `$NAME` parameter's name says it holds a secret (`$VRRP_PW`, `$AUTH`)."""
    lowered = name.lower()
    return any(hint in lowered for hint in _PARAMETER_HINTS)


def _mask_definitions(lines: Iterable[str], params: set[str],
                      out: dict[int, list[tuple[int, int]]], values: set[str]) -> None:
    """`$NAME=value` (and its continuation lines) for parameters used as secret values."""
    continuing = False
    for number, line in enumerate(lines, start=1):
        if continuing:
            out.setdefault(number, []).append((0, len(line)))
            values.update(w for w in line.split() if w != "\\")
            continuing = line.rstrip().endswith("\\")
            continue
        m = _DEFINITION.match(line)
        if m and (m.group(1) in params or secret_parameter(m.group(1))):
            out.setdefault(number, []).append((m.end(), len(line)))
            values.update(w.strip('"') for w in line[m.end():].split() if w != "\\")
            continuing = line.rstrip().endswith("\\")


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _apply(text: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return text
    parts, last = [], 0
    for start, end in merge(ranges):
        parts += [text[last:start], MASK]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def shown_with_columns(text: str, ranges: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """`text` with `ranges` masked and control characters escaped, and where each column of
    `text` lands (a column inside a masked range lands on the mask's start or end)."""
    out: list[str] = []
    columns: list[int] = []
    width = 0
    pos = 0
    for start, end in [*ranges, (len(text), len(text))]:
        piece = text[pos:start]
        if not has_controls(piece):         # as written: a column per character
            columns += range(width, width + len(piece))
            out.append(piece)
            width += len(piece)
        else:
            for ch in piece:
                columns.append(width)
                shown = escape_controls(ch) if _control().match(ch) else ch
                out.append(shown)
                width += len(shown)
        if start >= len(text):
            break
        columns += [width] * (end - start)
        out.append(MASK)
        width += len(MASK)
        pos = end
    columns.append(width)
    return "".join(out), columns


def mask_line(line: str) -> str:
    """A source line with every secret value on it masked (no context from other lines)."""
    return _apply(line, scan_line(line, set(), ())[0])


def secret_values(tree: Node) -> set[str]:
    """The secret values a configuration holds (to scrub them from messages)."""
    masker = Masker()
    masker.add_tree(tree)
    return masker.values


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace secret values in a message (quoted anywhere, bare as whole words)."""
    masker = Masker(values=set(secrets))
    return _apply(text, masker.value_places(text))


def scrubber(secrets: Iterable[str], texts: Iterable[str] | None = None
             ) -> Callable[[str], str] | None:
    """scrub with these secrets, their pattern built once for any number of texts; None when
    it would change none of `texts` (when given), told by one search of them all joined by
    newlines: a newline is no word character, so a value found in one text is found in the
    whole. A value of one character is only found quoted, which a newline between two texts
    could pair up: with one of them, the texts are not searched."""
    masker = Masker(values=set(secrets))
    if texts is not None and not any(len(v) == 1 for v in masker.values):
        pattern = masker.pattern
        if pattern is None or pattern.search("\n".join(texts)) is None:
            return None
    return lambda text: _apply(text, masker.value_places(text))


class _HasTree(Protocol):
    @property
    def tree(self) -> _Node: ...

    @property
    def secret_values(self) -> frozenset[str]: ...


class ReadFiles(Protocol):
    """What a masker needs of a run (kaconf.document.Report, without importing it: the report
    asks this module for its secrets)."""

    @property
    def sources(self) -> dict[str, str]: ...

    @property
    def documents(self) -> Sequence[_HasTree]: ...

    @property
    def secret_keywords(self) -> tuple[str, ...]: ...

    __dict__: dict[str, Any]


def report_masker(report: ReadFiles) -> Masker:
    """The masker of a lint report (built once): its files, their trees and the secret
    keywords the settings add."""
    cached = report.__dict__.get("_masker")
    if isinstance(cached, Masker):
        return cached
    if report.secret_keywords:      # the settings add keywords: walk the trees with them
        masker = masker_for(report.sources, (doc.tree for doc in report.documents),
                            report.secret_keywords)
    else:                           # what each document found already
        masker = masker_for(report.sources)
        for doc in report.documents:
            masker.values |= doc.secret_values
    report.__dict__["_masker"] = masker
    return masker


def masked_diagnostic(d: Diagnostic, masker: Masker) -> Diagnostic:
    """A diagnostic as it may leave kaconf: message, notes, file names and fix text with
    secrets masked and control characters escaped."""
    def place(span: Span) -> Span:
        return span._replace(file=masker.text(span.file))

    fix = d.fix and replace(d.fix, span=place(d.fix.span),
                            replacement=masker.text(d.fix.replacement))
    return replace(d, span=place(d.span), message=masker.text(d.message), fix=fix,
                   related=tuple(Related(place(r.span), masker.text(r.note)) for r in d.related))
