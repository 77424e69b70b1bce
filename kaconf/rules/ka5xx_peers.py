"""What the KA5xx cluster rules read alike: which director an instance is compared against,
where to point when a value is implicit, and the values keepalived derives for an instance
(initial state, VRRP version, strict mode; keepalived/vrrp/vrrp.c, vrrp_complete_instance).
Not a rule itself."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kaconf.cluster import Cluster, InstanceSet, Member
from kaconf.model import Config, ModelNode, VrrpInstance
from kaconf.source import Span

OWNER = 255


def name_span(block: ModelNode) -> Span:
    """The span of a block's first argument (its name), else of its keyword."""
    if block.node is not None and block.node.args:
        return block.node.args[0].span
    return block.span


def value_span(block: ModelNode, keyword: str) -> Span:
    """The value of `keyword` when the block sets it, else the block's name."""
    return block.arg_span(keyword) if block.has(keyword) else name_span(block)


Compared = tuple[Member, VrrpInstance, Member, VrrpInstance]


def against_reference(s: InstanceSet) -> Iterator[Compared]:
    """(member, instance, reference member, reference instance) for every director of the set
    but the reference: the only MASTER, else the first director that has the instance."""
    masters = s.masters()
    ref_member, ref = masters[0] if len(masters) == 1 else s.entries[0]
    for member, inst in s.entries:
        if inst is not ref:
            yield member, inst, ref_member, ref


def initial_state(inst: VrrpInstance) -> str:
    """MASTER or BACKUP as keepalived starts the instance: without `state`, MASTER iff the
    priority is 255; anything but `MASTER` (case matters: `master` is an unknown state) is
    BACKUP (keepalived/vrrp/vrrp_parser.c, vrrp_state_handler)."""
    if inst.state is None:
        return "MASTER" if inst.effective_priority == OWNER else "BACKUP"
    return "MASTER" if inst.state == "MASTER" else "BACKUP"


def is_strict(config: Config, inst: VrrpInstance) -> bool:
    """The instance's strict_mode wins; otherwise the global vrrp_strict (2.2.7 turns it on
    whatever its argument, semantics V27)."""
    if inst.has("strict_mode"):
        return inst.strict_mode
    return config.global_defs is not None and config.global_defs.has("vrrp_strict")


def version(config: Config, inst: VrrpInstance) -> tuple[int, Span]:
    """The VRRP version in use and where it comes from: the instance's `version`, else 3 for an
    IPv6 instance, else global_defs vrrp_version, else 2 (pointing at the instance name).
    Strict mode turns an IPv6 `version 2` into 3 (semantics V18)."""
    ipv6 = inst.family == "inet6" and bool(inst.virtual_ipaddress)
    if inst.version in (2, 3):
        if inst.version == 2 and ipv6 and is_strict(config, inst):
            return 3, inst.virtual_ipaddress[0].span
        return inst.version, inst.arg_span("version")
    if ipv6:
        return 3, inst.virtual_ipaddress[0].span
    g = config.global_defs
    if g is not None and g.vrrp_version in (2, 3):
        return g.vrrp_version, g.arg_span("vrrp_version")
    return 2, name_span(inst)


def address(text: str | None) -> str | None:
    """`text` as one normalised IP address (a /LEN suffix dropped), None when not an address."""
    if not text:
        return None
    try:
        return str(ipaddress.ip_address(text.split("/")[0]))
    except ValueError:
        return None


def titled(inst: VrrpInstance, other: VrrpInstance, other_label: str) -> str:
    """`vrrp_instance NAME`, with the peer's name when the peer calls it otherwise (instances
    are also matched by virtual_router_id and a shared VIP)."""
    if other.name == inst.name:
        return f"vrrp_instance {inst.name}"
    return f"vrrp_instance {inst.name} ({other.name} on {other_label})"


def lead(cluster: Cluster) -> Member:
    """The director that starts the most instances as MASTER (the first one on a tie)."""
    def masters(m: Member) -> int:
        return sum(1 for s in cluster.instance_sets for mm, i in s.entries
                   if mm is m and initial_state(i) == "MASTER")
    return max(cluster.members, key=masters)
