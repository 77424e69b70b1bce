"""The printer: a typed model (kaconf.model) back to keepalived.conf text.

The layout is `kaconf fmt`'s: four spaces per level, one blank line between top-level blocks.
Fields print in the order the model declares them, then the keywords the model keeps as
generic directives; a value the model could not type is printed back word for word. Top-level
blocks keep the order they were read in (keepalived resolves a track_script only against
scripts defined above it); a model built in code prints in the declared order.

Secrets (auth_pass, password, key) print masked unless asked: the printed text is what
`kaconf dump --format conf` shows, and gen-pair writes them with `Secrets.SHOW`.
"""
from __future__ import annotations

from enum import Enum
from typing import Any

from kaconf.model import (
    Authentication,
    BfdInstance,
    Checker,
    Config,
    Directive,
    GlobalDefs,
    ModelNode,
    RealServer,
    SorryServer,
    TrackFile,
    Url,
    VirtualServer,
    VirtualServerGroup,
    VrrpInstance,
    VrrpScript,
    VrrpSyncGroup,
    VrrpTrackProcess,
)
from kaconf.model.base import keyword_fields
from kaconf.model.lvs import VsgEntry
from kaconf.model.vrrp import TrackEntry, UnicastPeer, VipAddress
from kaconf.secrets import MASK, SECRET_KEYWORDS

INDENT = "    "
NEEDS_QUOTES = frozenset(" \t\f\v\r\n#!{}\"")


class Secrets(Enum):
    MASK = "mask"
    SHOW = "show"


# block keyword of each model class (checkers use their own type)
KEYWORDS: dict[type, str] = {
    GlobalDefs: "global_defs", VrrpScript: "vrrp_script", TrackFile: "track_file",
    VrrpTrackProcess: "vrrp_track_process", BfdInstance: "bfd_instance",
    VrrpSyncGroup: "vrrp_sync_group", VrrpInstance: "vrrp_instance",
    VirtualServerGroup: "virtual_server_group", VirtualServer: "virtual_server",
    RealServer: "real_server", SorryServer: "sorry_server", Authentication: "authentication",
    Url: "url",
}
TOP = ("global_defs", "other", "vrrp_scripts", "track_files", "vrrp_track_processes",
       "bfd_instances", "vrrp_sync_groups", "vrrp_instances", "virtual_server_groups",
       "virtual_servers")


def word(value: str) -> str:
    """A value as keepalived reads it back: double-quoted when it holds a blank, a comment
    character or a brace (keepalived has no escape for a `"` inside quotes)."""
    if value == "" or (NEEDS_QUOTES & set(value) and '"' not in value):
        return f'"{value}"'
    return value


def number(value: float | int) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


class Printer:
    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets
        self.lines: list[str] = []

    def line(self, depth: int, *words: str) -> None:
        self.lines.append(INDENT * depth + " ".join(w for w in words if w != ""))

    def secret(self, keyword: str, value: str) -> str:
        if keyword in SECRET_KEYWORDS and self.secrets is Secrets.MASK:
            return MASK
        return word(value)

    # -- blocks ---------------------------------------------------------------------------
    def config(self, config: Config, header: list[str]) -> str:
        for text in header:
            self.line(0, f"# {text}" if text else "#")
        for attr, index in self.top_order(config):
            if self.lines:
                self.lines.append("")
            if attr == "global_defs" and config.global_defs is not None:
                self.block(config.global_defs, 0)
            elif attr == "other":
                self.directive(config.other[index], 0)
            else:
                self.block(getattr(config, attr)[index], 0)
        return "\n".join(self.lines) + "\n"

    def top_order(self, config: Config) -> list[tuple[str, int]]:
        sizes = {attr: len(getattr(config, attr)) for attr in TOP if attr != "global_defs"}
        sizes["global_defs"] = 1 if config.global_defs is not None else 0
        canonical = [(attr, i) for attr in TOP for i in range(sizes[attr])]
        if sorted(config.order) == sorted(canonical):
            return list(config.order)
        return canonical

    def block(self, node: ModelNode, depth: int) -> None:
        keyword = node.type if isinstance(node, Checker) else KEYWORDS[type(node)]
        heads = self.head(node)
        if isinstance(node, SorryServer):
            self.line(depth, keyword, *heads)
            return
        self.line(depth, keyword, *heads, "{")
        self.body(node, depth + 1)
        self.line(depth, "}")

    def head(self, node: ModelNode) -> list[str]:
        if isinstance(node, VirtualServer):
            if node.fwmark is not None:
                return ["fwmark", number(node.fwmark)]
            if node.group is not None:
                return ["group", word(node.group)]
            return [word(node.address or ""), *([number(node.port)] if node.port is not None
                                                else [])]
        if isinstance(node, (RealServer, SorryServer)):
            return [word(node.address), *([number(node.port)] if node.port is not None else [])]
        name = getattr(node, "name", None) if not isinstance(node, Checker) else None
        return [word(name)] if isinstance(name, str) else []

    def body(self, node: ModelNode, depth: int) -> None:
        for f in keyword_fields(type(node)):
            if f.name == "real_servers" and getattr(node, f.name) and self.lines[-1][-1:] != "{":
                self.lines.append("")
            self.field(node, f.name, getattr(node, f.name), depth)
        for d in node.other:
            self.directive(d, depth)

    # -- fields ---------------------------------------------------------------------------
    def field(self, node: ModelNode, keyword: str, value: Any, depth: int) -> None:
        if isinstance(value, dict):   # notify, notify_master, ...: one field, many keywords
            self.notify(node, value, depth)
            return
        if keyword in node.raw_text:
            self.line(depth, keyword, node.raw_text[keyword])
            return
        if keyword in node.verbatim:
            self.line(depth, keyword, *(self.secret(keyword, w) for w in node.verbatim[keyword]))
            return
        if value is None or value is False or value == [] or value == {}:
            return
        if value is True:
            self.line(depth, keyword)
        elif isinstance(value, (int, float)):
            reverse = keyword == "weight" and getattr(node, "weight_reverse", False)
            self.line(depth, keyword, number(value), "reverse" if reverse else "")
        elif isinstance(value, str):
            self.line(depth, keyword, self.secret(keyword, value))
        elif isinstance(value, ModelNode):
            self.block(value, depth)
        elif isinstance(value, list):
            self.many(node, keyword, value, depth)

    def many(self, node: ModelNode, keyword: str, values: list[Any], depth: int) -> None:
        first = values[0]
        if isinstance(first, ModelNode):
            for v in values:
                self.block(v, depth)
        elif isinstance(first, (TrackEntry, VipAddress, UnicastPeer)):
            self.line(depth, keyword, "{")
            for v in values:
                self.line(depth + 1, *value_line(v, keyword))
            self.line(depth, "}")
        elif isinstance(first, VsgEntry):
            for v in values:
                self.line(depth, *value_line(v, keyword))
        elif keyword == "notification_email":
            self.line(depth, keyword, "{")
            for v in values:
                self.line(depth + 1, word(v))
            self.line(depth, "}")
        else:   # words of one line: status_code 200 204, lvs_sync_daemon eth0 VI_1
            self.line(depth, keyword, *(word(v) for v in values))

    def notify(self, node: ModelNode, scripts: dict[str, str], depth: int) -> None:
        for keyword, script in scripts.items():
            if keyword in node.raw_text:
                self.line(depth, keyword, node.raw_text[keyword])
            elif keyword in node.verbatim:
                self.line(depth, keyword, *(word(w) for w in node.verbatim[keyword]))
            else:
                self.line(depth, keyword, word(script))

    def directive(self, d: Directive, depth: int) -> None:
        words = [self.secret(d.keyword, a) for a in d.args]
        if d.raw is not None:
            self.line(depth, d.keyword, d.raw)
            return
        if d.block is None:
            self.line(depth, d.keyword, *words)
            return
        self.line(depth, d.keyword, *words, "{")
        for child in d.block:
            self.directive(child, depth + 1)
        self.line(depth, "}")


def value_line(v: TrackEntry | VipAddress | UnicastPeer | VsgEntry, keyword: str) -> list[str]:
    """The words of one line of a value block."""
    if isinstance(v, TrackEntry):
        if keyword == "group":
            return [word(v.name)]
        return [word(v.name), *(["weight", number(v.weight)] if v.weight is not None else []),
                "reverse" if v.reverse else "", "noreverse" if v.noreverse else ""]
    if isinstance(v, VipAddress):
        return [word(v.text), *(word(o) for o in v.options)]
    if isinstance(v, UnicastPeer):
        options = v.options or [w for k, t in (("min_ttl", v.min_ttl), ("max_ttl", v.max_ttl))
                                if t is not None for w in (k, number(t))]
        return [word(v.address), *(word(o) for o in options)]
    if v.fwmark is not None or v.address is None:
        return ["fwmark", *((word(o) for o in v.options) if v.options
                            else [number(v.fwmark)] if v.fwmark is not None else [])]
    if v.options:
        return [word(v.address), *(word(o) for o in v.options)]
    return [word(v.address), *([number(v.port)] if v.port is not None else [])]


def print_config(config: Config, secrets: Secrets = Secrets.MASK,
                 header: list[str] | None = None) -> str:
    """keepalived.conf text for a model; `header` lines become leading comments."""
    return Printer(secrets).config(config, header or [])

