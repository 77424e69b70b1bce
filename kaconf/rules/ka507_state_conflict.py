"""Two or more directors start one instance as MASTER.

## Why it matters
At most one director should start as MASTER. Two MASTERs both claim the VIP at startup
and send gratuitous ARPs until their adverts sort them out, and the file no longer says
which director is meant to hold the VIP: usually the BACKUP's file was copied from the
MASTER's and `state` was never changed. Without `state`, priority 255 means MASTER. Every
director in state BACKUP is fine: the election by priority decides (with `nopreempt` on
all of them it is the non-preemptive setup); equal priorities are KA506's finding.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        state MASTER
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
from kaconf.rules.ka2_vrrp import priority
from kaconf.rules.ka5xx_peers import starts_as_master, titled, value_span

RULE = Rule(code="KA507", name="state-conflict",
            summary="two directors start one instance as MASTER",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        masters = [(m, i) for m, i in s.entries if starts_as_master(m, i)]
        ranked = sorted(masters, key=lambda e: -priority(e[1]))
        for member, inst in ranked[1:]:
            first_member, first = ranked[0]
            yield RULE.at(value_span(inst, "state"),
                          f"{titled(inst, first, first_member.label)} starts as MASTER on both "
                          f"{first_member.label} and {member.label}: both claim the VIP at "
                          f"startup; make {member.label} (priority {priority(inst)}) "
                          "state BACKUP",
                          related=[Related(span=value_span(first, "state"),
                                           note=f"{first_member.label} starts as MASTER"
                                           + ("" if first.state else " (priority 255, no state)"))])
