"""What the lab changes in a configuration before keepalived runs it: every command keepalived
would run (vrrp_script `script`, notify*, MISC_CHECK `misc_path`, real-server and quorum
notifications) becomes a stub that succeeds, or fails for a `--fail-script` name. The rest of
the text is kept byte for byte, and every change is recorded for the report."""
from __future__ import annotations

import pwd
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kaconf.document import Document
from kaconf.drill import DrillError
from kaconf.tree import Node

# keywords whose argument is a command keepalived runs (keepalived-language.md, scripts)
COMMANDS = frozenset({
    "script", "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
    "notify_deleted", "notify_master_rx_lower_pri", "misc_path", "notify_up", "notify_down",
    "quorum_up", "quorum_down", "notify_fifo_script", "vrrp_notify_fifo_script",
    "lvs_notify_fifo_script"})

STUB_OK = "#!/bin/sh\n# kaconf drill: stands in for a command of the configuration\nexit 0\n"
STUB_FAIL = "#!/bin/sh\n# kaconf drill: a --fail-script stand-in\nexit 1\n"


@dataclass(frozen=True, slots=True)
class Replacement:
    file: str
    line: int
    keyword: str
    where: str          # the enclosing block, e.g. vrrp_script chk_haproxy
    was: str
    now: str

    def describe(self) -> str:
        now = Path(self.now).name if self.now.startswith("/") else self.now
        return f"{self.file}:{self.line}: {self.where} {self.keyword} {self.was!r} -> {now}"


def _commands(node: Node, where: str) -> Iterator[tuple[Node, str]]:
    for child in node.children:
        if child.keyword in COMMANDS and child.args and not child.children:
            yield child, where
        if child.children:
            name = " ".join([child.keyword, *(a.value for a in child.args[:1])])
            yield from _commands(child, name)


def replace_commands(doc: Document, ok: Path, fail: Path,
                     failing: set[str]) -> tuple[str, list[Replacement]]:
    """The text of `doc`'s file with each command replaced by `ok` (or `fail` for the
    `script` of a vrrp_script named in `failing`). Raises DrillError for a command in an
    included file, which the lab cannot edit without rewriting the include."""
    text = doc.sources.get(doc.path)
    if text is None:
        raise DrillError(f"{doc.path}: cannot read it")
    lines = text.split("\n")
    done: list[Replacement] = []
    edits: list[tuple[int, int, int, str]] = []
    for node, where in _commands(doc.tree, "global"):
        first, last = node.args[0].span, node.args[-1].span
        if first.file != doc.path or first.line != last.line:
            raise DrillError(f"{first.file}:{first.line}: {node.keyword} is in an included "
                             f"file; drill needs the commands in {doc.path} itself (kaconf "
                             "dump --format conf --show-secrets writes one file)")
        chosen = fail if where.startswith("vrrp_script ") and where.split()[1] in failing else ok
        was = " ".join(a.value for a in node.args)
        edits.append((first.line, first.column, last.end_column, f'"{chosen}"'))
        done.append(Replacement(doc.path, first.line, node.keyword, where, was, str(chosen)))
    for line, start, end, new in sorted(edits, reverse=True):
        row = lines[line - 1]
        # quotes around the argument belong to it: keep the replacement one word
        if end <= len(row) and row[end - 1:end] != '"' and row[end:end + 1] == '"':
            end += 1
        if start > 1 and row[start - 2] == '"' and not row[start - 1:].startswith('"'):
            start -= 1
        lines[line - 1] = row[:start - 1] + new + row[end - 1:]
    text = "\n".join(lines)
    if done and _needs_script_user(doc):
        text, line = _add_script_user(text, doc)
        done.append(Replacement(doc.path, line, "script_user", "global_defs", "(none)",
                                "root: the lab's host has no keepalived_script user"))
    return text, done


def _needs_script_user(doc: Document) -> bool:
    """Without script_user, keepalived runs scripts as keepalived_script when that user
    exists, and otherwise drops every script ("Unable to set default user")."""
    g = doc.config.global_defs
    if g is not None and g.script_user:
        return False
    try:
        pwd.getpwnam("keepalived_script")
    except KeyError:
        return True
    return False


def _add_script_user(text: str, doc: Document) -> tuple[str, int]:
    """`script_user root` as the first line of global_defs (a new block when there is none).
    Returns the text and the line of the addition."""
    block = next((n for n in doc.tree.children if n.keyword == "global_defs"
                  and n.open_span is not None and n.open_span.file == doc.path), None)
    one_line = (block is not None and block.open_span is not None
                and block.close_span is not None
                and block.close_span.line == block.open_span.line)
    if block is None or block.open_span is None or one_line:
        return "global_defs {\n    script_user root\n}\n" + text, 2
    lines = text.split("\n")
    at = block.open_span.line
    lines.insert(at, "    script_user root")
    return "\n".join(lines), at + 1
