"""The same VRRP instance has a different virtual_router_id on the directors.

## Why it matters
A router ignores adverts for any other virtual router id without a word in the log, so
each director believes it is alone and both take the VIP: split brain on failover day.

## Bad
    vrrp_instance VI_1 {
        interface eth0
    @lb1    state MASTER
    @lb1    virtual_router_id 51
    @lb2    state BACKUP
    @lb2    virtual_router_id 52
    @lb1    priority 150
    @lb2    priority 100
        virtual_ipaddress {
            192.0.2.10/24
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
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related
from kaconf.rules.base import Rule

RULE = Rule(code="KA501", name="vrid-mismatch",
            summary="one instance, different virtual_router_id on the directors",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        entries = [(m, i) for m, i in s.entries if i.virtual_router_id is not None]
        if len(entries) < 2:
            continue
        ref_member, ref = (s.masters() or entries)[0]
        for member, inst in entries:
            if inst is ref or inst.virtual_router_id == ref.virtual_router_id:
                continue
            yield RULE.at(inst.arg_span("virtual_router_id"),
                          f"vrrp_instance {inst.name} has virtual_router_id "
                          f"{inst.virtual_router_id} on {member.label} but "
                          f"{ref.virtual_router_id} on {ref_member.label}: the directors ignore "
                          "each other and both take the VIP",
                          related=[Related(
                              span=ref.arg_span("virtual_router_id"),
                              note=f"{ref_member.label} uses {ref.virtual_router_id}")])
