"""The scripts a configuration makes keepalived run, for the KA4xx rules (not a rule itself).

Which keywords hold a script comes from the keyword table (value rule `script`: notify*,
quorum_up/down, notify_up/down, startup/shutdown and fifo scripts) plus the two whose value
rule is free text: `script` in vrrp_script and `misc_path` in MISC_CHECK.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from kaconf.keywords import table
from kaconf.model import Config, ModelNode
from kaconf.model.base import CANONICAL
from kaconf.records import record
from kaconf.source import Span
from kaconf.tree import Node

FREE_TEXT_SCRIPTS = {("vrrp_script", "script"),
                     ("virtual_server/real_server/MISC_CHECK", "misc_path")}


@record(frozen=True)
class ScriptCommand:
    """One script keyword in effect (the last of its block, as keepalived keeps the last)."""

    owner: str    # the block that runs it, as written: "vrrp_instance VI_1"
    node: Node    # the statement: keyword and arguments

    @property
    def keyword(self) -> str:
        return self.node.keyword

    @property
    def where(self) -> str:
        """`notify_master of vrrp_instance VI_1`."""
        return f"{self.keyword} of {self.owner}"

    def program(self) -> tuple[str, Span]:
        """The program the command starts and its span. keepalived splits a quoted command
        into words itself, so in `script "killall -0 haproxy"` the program is `killall`."""
        word = self.node.args[0]
        if not word.quoted:
            name = word.value.lstrip("'")   # `'cmd arg'` is not a quote to keepalived's reader
            skip = len(word.value) - len(name)
        else:
            inner = word.value
            name = inner.split()[0] if inner.split() else ""
            skip = 1 + len(inner) - len(inner.lstrip())
        span = word.span
        if span.line != span.end_line or not name:
            return name, span
        start = span.column + skip
        return name, Span(span.file, span.line, start, span.line, start + len(name))


@lru_cache(maxsize=None)
def script_keywords(block: str) -> tuple[str, ...]:
    rows = table().by_block.get(block, {})
    return tuple(kw for kw, spec in rows.items()
                 if spec.value == "script" or (block, kw) in FREE_TEXT_SCRIPTS)


@lru_cache(maxsize=1)
def any_script_keyword() -> frozenset[str]:
    """Every keyword that holds a script in some block, spelt as a model's `written` spells
    it: a block that wrote none of them runs no script."""
    return frozenset(CANONICAL.get(kw, kw) for block in table().by_block
                     for kw in script_keywords(block))


@lru_cache(maxsize=1)
def real_server_scripts() -> frozenset[str]:
    """What a real server's block writes when it or one of its checkers holds a script: a
    keyword that holds one, or a MISC_CHECK, the only checker that runs one (misc_path)."""
    checkers = {block.rsplit("/", 1)[1] for block in table().by_block
                if block.startswith("virtual_server/real_server/") and script_keywords(block)}
    return any_script_keyword() | checkers


def owners(config: Config) -> Iterator[tuple[ModelNode, ModelNode | None]]:
    """Every block that wrote a keyword that holds a script (with the real server of a
    checker), except the checkers that cannot hold one; blocks keepalived skips are not in the
    model, so their scripts never run and are not listed."""
    scripts = any_script_keyword()
    in_real_server = real_server_scripts()
    tops: list[ModelNode] = [*config.vrrp_scripts, *config.vrrp_sync_groups,
                             *config.vrrp_instances]
    if config.global_defs is not None:
        tops.insert(0, config.global_defs)
    for node in tops:
        if not scripts.isdisjoint(node.written):
            yield node, None
    for vs in config.virtual_servers:
        if not scripts.isdisjoint(vs.written):
            yield vs, None
        for rs in vs.real_servers:
            if in_real_server.isdisjoint(rs.written) and rs.node is not None:
                continue    # its checkers are written in its block, and none runs a script
            if not scripts.isdisjoint(rs.written):
                yield rs, None
            for chk in rs.checkers:
                if not scripts.isdisjoint(chk.written):
                    yield chk, rs


def owner_label(model: ModelNode, real_server: ModelNode | None) -> str:
    if real_server is not None and hasattr(model, "type"):
        return f"{model.type} of {label(real_server)}"
    return "global_defs" if model.node is not None and model.node.keyword == "global_defs" \
        else label(model)


def label(model: ModelNode) -> str:
    if model.node is None:
        return type(model).__name__
    return " ".join([model.node.keyword] + [a.value for a in model.node.args])


# the last configuration asked and its scripts: KA401, KA403 and KA404 ask in turn for the
# same (frozen) model, and the walk over every block is found once for the three
_LAST: list[tuple[Config, tuple[ScriptCommand, ...]]] = []


def script_commands(config: Config) -> tuple[ScriptCommand, ...]:
    """Every script the configuration runs, in file order."""
    if _LAST and _LAST[0][0] is config:
        return _LAST[0][1]
    found = find_script_commands(config)
    _LAST[:] = [(config, found)]
    return found


def find_script_commands(config: Config) -> tuple[ScriptCommand, ...]:
    """script_commands() worked out afresh."""
    out = []
    for model, real_server in owners(config):
        if model.node is None:
            continue
        for kw in script_keywords(model.node.own_path):
            found = model.keyword_node(kw)
            if found is not None and found.args and found.args[0].value.strip():
                out.append(ScriptCommand(owner_label(model, real_server), found))
    return tuple(sorted(out, key=lambda c: c.node.span.key()))
