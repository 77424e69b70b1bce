"""What the KA5xx cluster rules read alike: which director an instance is compared against,
where to point when a value is implicit, and the values keepalived derives for an instance
(initial state, VRRP version, strict mode: kaconf.rules.ka2_vrrp, shared with the KA2xx
rules). Not a rule itself."""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from kaconf.cluster import Cluster, InstanceSet, Member
from kaconf.cluster import is_strict as is_strict  # re-exported for the KA5xx rules
from kaconf.model import Config, ModelNode, VrrpInstance
from kaconf.rules.ka2_vrrp import initial_state, priority
from kaconf.rules.ka2_vrrp import name_span as name_span  # re-exported for the KA5xx rules
from kaconf.rules.ka2_vrrp import version as vrrp_version
from kaconf.rules.ka3xx_lvs import ip_normal
from kaconf.source import Span


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


def starts_as_master(member: Member, inst: VrrpInstance) -> bool:
    return initial_state(member.config, inst) == "MASTER"


def version(config: Config, inst: VrrpInstance) -> tuple[int, Span]:
    """The VRRP version in use and where it comes from (the instance name for the default)."""
    number, span = vrrp_version(config, inst)
    return number, span or name_span(inst)


@lru_cache(maxsize=1 << 14)      # each real server's address is asked for on both directors
def address(text: str | None) -> str | None:
    """`text` as one normalised IP address (a /LEN suffix dropped), None when not an address."""
    return ip_normal(text.split("/")[0]) if text else None


def titled(inst: VrrpInstance, other: VrrpInstance, other_label: str) -> str:
    """`vrrp_instance NAME`, with the peer's name when the peer calls it otherwise (instances
    are also matched by virtual_router_id and a shared VIP)."""
    if other.name == inst.name:
        return f"vrrp_instance {inst.name}"
    return f"vrrp_instance {inst.name} ({other.name} on {other_label})"


def lead(cluster: Cluster) -> Member:
    """The director that starts the most instances as MASTER; on a tie the one with the
    highest priorities (the first one if still tied)."""
    def rank(m: Member) -> tuple[int, int]:
        mine = [i for s in cluster.instance_sets for mm, i in s.entries if mm is m]
        return (sum(starts_as_master(m, i) for i in mine), sum(priority(i) for i in mine))
    return max(cluster.members, key=rank)
