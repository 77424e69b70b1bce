"""What keepalived derives for a vrrp_instance when the file leaves it implicit: priority,
initial state, strict mode and VRRP version (keepalived/vrrp/vrrp.c, vrrp_complete_instance),
shared by the KA2xx rules. Not a rule itself."""
from __future__ import annotations

from kaconf.model import Config, ModelNode, VrrpInstance, effective
from kaconf.source import Span

OWNER = 255


def name_span(block: ModelNode) -> Span:
    """The span of a block's first argument (its name), else of its keyword."""
    if block.node is not None and block.node.args:
        return block.node.args[0].span
    return block.span


def keyword_span(block: ModelNode, keyword: str) -> Span:
    """The span of a flag keyword itself (arg_span would point at a stray argument)."""
    node = block.keyword_node(keyword)
    return node.span if node is not None else block.span


def priority(inst: VrrpInstance) -> int:
    """The base priority: as written when keepalived accepts it (1..255); 100 when written but
    invalid (`Priority not valid! ... Using default 100`); without the keyword, 255 for
    `state MASTER` and 100 otherwise."""
    return effective.priority_value(inst)


def strict_span(config: Config, inst: VrrpInstance) -> Span | None:
    """Where strict mode comes from (the instance's strict_mode, which wins, or the global
    vrrp_strict, which 2.2.7 turns on whatever its argument), or None when it is off."""
    found = effective.strict(config, inst)
    return (found.span or inst.span) if found.value else None


def initial_state(config: Config, inst: VrrpInstance) -> str:
    """MASTER or BACKUP as keepalived starts the instance: without `state`, MASTER iff the
    priority is 255; in strict mode the state is forced to match being the owner."""
    return effective.initial_state_value(config, inst)


def version(config: Config, inst: VrrpInstance) -> tuple[int, Span | None]:
    """The VRRP version in use and the span that decides it (None for the default 2): the
    instance's `version`, else 3 for IPv6, else the global vrrp_version. Strict mode turns an
    IPv6 `version 2` into 3."""
    found = effective.version(config, inst)
    return found.value, found.span


def positions(config: Config) -> dict[Span, int]:
    """Top-level blocks, by the span of their keyword, to their place in the configuration as
    keepalived reads it (included files spliced in), for 'defined earlier' questions."""
    if config.node is None:
        return {}
    return {child.span: i for i, child in enumerate(config.node.children)}
