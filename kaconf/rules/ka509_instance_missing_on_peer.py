"""A VRRP instance exists on one director of a cluster and on no other.

## Why it matters
Directors are matched by their instances: the same name, or the same virtual_router_id
with a shared VIP. An instance that matches nothing on the peers has no failover partner:
when this director dies its VIPs go with it. Usually the peer's copy was renamed, given
other VIPs and another id, or never written.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    @lb1 vrrp_instance VI_2 {
    @lb1     interface eth0
    @lb1     virtual_router_id 52
    @lb1     priority 150
    @lb1     virtual_ipaddress {
    @lb1         192.0.2.20/24
    @lb1     }
    @lb1 }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import name_span

RULE = Rule(code="KA509", name="instance-missing-on-peer", severity=Severity.WARNING,
            summary="a VRRP instance on one director of a cluster only",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        if len(s.entries) != 1:
            continue
        (member, inst), = s.entries
        peers = cluster.peers(member)
        by_id = ("" if inst.virtual_router_id is None else
                 f" or with virtual_router_id {inst.virtual_router_id} and a shared VIP")
        yield RULE.at(name_span(inst),
                      f"vrrp_instance {inst.name} is on {member.label} only: no peer "
                      f"({', '.join(p.label for p in peers)}) has an instance of that name"
                      f"{by_id}, so its VIPs have no failover; add it to the peers or remove it",
                      related=[_nearest(peer, inst) for peer in peers])


def _nearest(peer: Member, inst: VrrpInstance) -> Related:
    """The peer's instance with the same id on the same interface (a renamed copy with other
    VIPs?), else the peer file's first line."""
    for other in peer.config.vrrp_instances:
        if (inst.virtual_router_id is not None
                and other.virtual_router_id == inst.virtual_router_id
                and other.interface == inst.interface):
            return Related(span=name_span(other),
                           note=f"{peer.label}'s {other.name} uses the same virtual_router_id "
                                f"on {other.interface}, with other VIPs")
    return Related(span=peer.config.span, note=f"{peer.label} has no such instance")
