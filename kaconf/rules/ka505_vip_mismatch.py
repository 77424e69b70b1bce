"""The directors of one instance list different virtual_ipaddress sets.

## Why it matters
The MASTER's adverts carry its VIPs; a BACKUP whose list differs drops them
(`received an unexpected ip number count 2, expected 1!`, `ip address associated with
VRID 51 not present in MASTER advert`) and takes the VIP too. A VIP written with another
prefix length does not break VRRP but comes up with another netmask after a failover.

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
    @lb2        192.0.2.11/24
        }
    }

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
            192.0.2.11/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import VrrpInstance
from kaconf.model.vrrp import VipAddress
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, titled, value_span

RULE = Rule(code="KA505", name="vip-mismatch",
            summary="one instance, different virtual_ipaddress sets on the directors",
            explanation=__doc__ or "")


def written(vip: VipAddress) -> str:
    """The VIP as keepalived configures it: address and prefix (32 or 128 when absent)."""
    full = 128 if vip.family == "inet6" else 32
    return f"{vip.address}/{vip.prefix if vip.prefix is not None else full}"


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            mine = [v for v in inst.virtual_ipaddress if v.address]
            theirs = [v for v in ref.virtual_ipaddress if v.address]
            if not mine or not theirs:
                continue  # no VIPs at all is a single-file finding
            if {written(v) for v in mine} != {written(v) for v in theirs}:
                yield _first_difference(inst, (member, mine), (ref_member, ref, theirs))


def _first_difference(inst: VrrpInstance, here: tuple[Member, list[VipAddress]],
                      there: tuple[Member, VrrpInstance, list[VipAddress]]) -> Diagnostic:
    (member, mine), (ref_member, ref, theirs) = here, there
    by_addr = {v.address: v for v in theirs}
    name = titled(inst, ref, ref_member.label)
    extra = next((v for v in mine if written(v) not in {written(t) for t in theirs}), None)
    if extra is not None and extra.address in by_addr:
        other = by_addr[extra.address]
        return RULE.at(extra.span,
                       f"VIP {written(extra)} of {name} on {member.label} is "
                       f"{written(other)} on {ref_member.label}: the VIP changes its netmask "
                       "on failover; write the same prefix length on every director",
                       related=[Related(span=other.span, note=f"{ref_member.label}'s VIP")])
    if extra is not None:
        return RULE.at(extra.span,
                       f"VIP {written(extra)} of {name} is on {member.label} "
                       f"but not on {ref_member.label}: the directors drop each other's adverts "
                       "and both take the VIP; list the same VIPs on every director",
                       related=[Related(span=value_span(ref, "virtual_ipaddress"),
                                        note=f"{ref_member.label}'s virtual_ipaddress")])
    missing = next(v for v in theirs if written(v) not in {written(m) for m in mine})
    return RULE.at(missing.span,
                   f"VIP {written(missing)} of {name} is on "
                   f"{ref_member.label} but not on {member.label}: the directors drop each "
                   "other's adverts and both take the VIP; list the same VIPs on every director",
                   related=[Related(span=value_span(inst, "virtual_ipaddress"),
                                    note=f"{member.label}'s virtual_ipaddress")])
