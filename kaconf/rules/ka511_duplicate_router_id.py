"""Two directors of a cluster have the same global_defs router_id.

## Why it matters
router_id names the director in notification mails, SNMP traps and logs. When both
directors call themselves `LVS_DEVEL` (the sample's value, copied everywhere), an alert
at 3 a.m. does not say which machine lost the VIP. Leave it out to use the host name, or
give each director its own.

## Bad
    global_defs {
        router_id LVS_DEVEL
    }
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

## Good
    global_defs {
    @lb1    router_id lb1
    @lb2    router_id lb2
    }
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
from itertools import combinations

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import lead

RULE = Rule(code="KA511", name="duplicate-router-id", severity=Severity.WARNING,
            summary="two directors with the same router_id",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    first = lead(cluster)  # report on the other directors
    named = [(m, g) for m in [first] + cluster.peers(first)
             if (g := m.config.global_defs) is not None and g.router_id]
    for (a, a_defs), (b, b_defs) in combinations(named, 2):
        if a_defs.router_id != b_defs.router_id:
            continue
        yield RULE.at(b_defs.arg_span("router_id"),
                      f"router_id {b_defs.router_id} on {b.label} is also {a.label}'s: alerts "
                      "and logs cannot tell the directors apart; give each its own router_id "
                      "or leave it out to use the host name",
                      related=[Related(span=a_defs.arg_span("router_id"),
                                       note=f"{a.label}'s router_id")])
