"""Two different VRRP instances of the linted directors use one virtual_router_id on one
interface name and address family.

## Why it matters
Adverts carry only the id. Routers of another instance with the same id on the same link
receive each other's adverts, reject the VIP list (`ip address associated with VRID 51
not present in MASTER advert`) and fight over the VIP, or silently drop the adverts they
should act on. keepalived only sees a collision inside one file (KA201); across directors
nothing reports it. Unicast instances collide only when they send to the same peers.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 50
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    @lb1 vrrp_instance VI_WEB {
    @lb2 vrrp_instance VI_DB {
            interface eth0
    @lb1        virtual_router_id 51
    @lb2        virtual_router_id 51
            virtual_ipaddress {
    @lb1            192.0.2.20/24
    @lb2            192.0.2.30/24
            }
        }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 50
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    @lb1 vrrp_instance VI_WEB {
    @lb2 vrrp_instance VI_DB {
            interface eth0
    @lb1        virtual_router_id 51
    @lb2        virtual_router_id 52
            virtual_ipaddress {
    @lb1            192.0.2.20/24
    @lb2            192.0.2.30/24
            }
        }
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from kaconf.cluster import Cluster, InstanceSet, Member
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import address

RULE = Rule(code="KA513", name="vrid-collision",
            summary="two instances of the cluster share a virtual_router_id on one link",
            explanation=__doc__ or "")


def link(inst: VrrpInstance) -> tuple[str, str, int] | None:
    if inst.interface is None or inst.virtual_router_id is None:
        return None
    return (inst.interface, inst.family, inst.virtual_router_id)


def hear_each_other(a: VrrpInstance, b: VrrpInstance) -> bool:
    """Multicast to one group, or unicast to overlapping peers (semantics V20)."""
    if a.is_unicast != b.is_unicast:
        return False
    if not a.is_unicast:
        return address(a.mcast_dst_ip) == address(b.mcast_dst_ip)
    reach_a = {address(p.address) for p in a.unicast_peer} - {None}
    reach_b = {address(p.address) for p in b.unicast_peer} - {None}
    return bool(reach_a & reach_b or address(a.unicast_src_ip) in reach_b
                or address(b.unicast_src_ip) in reach_a)


def check_network(cluster: Cluster) -> Iterator[Diagnostic]:
    """Run once over every director linted together, so two pairs (web and db) that share
    a link and an id are found even though each pair is a cluster of its own. Only sets that
    share a (interface, family, id) key are compared, in the order of all pairs: a fleet of
    a thousand directors is not compared pair by pair."""
    sets = cluster.instance_sets
    by_link: dict[tuple[str, str, int], list[int]] = {}
    for i, s in enumerate(sets):
        for key in {k for _, inst in s.entries if (k := link(inst)) is not None}:
            by_link.setdefault(key, []).append(i)
    pairs = sorted({p for ids in by_link.values() for p in combinations(ids, 2)})
    for i, j in pairs:
        if (found := _collision(sets[i], sets[j])) is not None:
            yield found


def _collision(first: InstanceSet, second: InstanceSet) -> Diagnostic | None:
    for a_member, a in first.entries:
        for b_member, b in second.entries:
            key = link(a)
            if a_member is b_member or key is None or key != link(b) or not hear_each_other(a, b):
                continue
            if _same_file(first, b_member, key) or _same_file(second, a_member, key):
                continue  # both instances in one file: KA201 reports it
            return RULE.at(b.arg_span("virtual_router_id"),
                           f"vrrp_instance {b.name} on {b_member.label} and {a.name} on "
                           f"{a_member.label} are different instances with virtual_router_id "
                           f"{key[2]} on {key[0]}: they receive each other's adverts and fight "
                           "over the VIPs; give one of them another id",
                           related=[Related(span=a.arg_span("virtual_router_id"),
                                            note=f"{a.name} on {a_member.label} uses it too")])
    return None


def _same_file(s: InstanceSet, member: Member, key: tuple[str, str, int]) -> bool:
    inst = s.on(member)
    return inst is not None and link(inst) == key
