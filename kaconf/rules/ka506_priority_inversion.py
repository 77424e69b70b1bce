"""A BACKUP director has a priority at or above the MASTER's, or two directors tie.

## Why it matters
The highest priority wins the election. A BACKUP at or above the MASTER's priority takes
the VIP as soon as it starts. With equal priorities a director that is MASTER stays MASTER
and the other never preempts it: whichever director comes up first keeps the VIP (the
higher primary IP address wins only when both claim it at the same moment), so after a
restart of the intended MASTER the VIP stays on the BACKUP (seen with two keepalived 2.2.7
daemons: tests/test_e2e_vrrp.py). Copying the MASTER's file and changing
only `state` to BACKUP, as many tutorials suggest, leaves the priorities equal.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
        priority 100
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
    }
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from kaconf.cluster import Cluster, InstanceSet
from kaconf.diagnostics import Diagnostic, Related
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import priority

RULE = Rule(code="KA506", name="priority-inversion",
            summary="a BACKUP at or above the MASTER's priority, or equal priorities",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        masters = s.masters()
        if len(masters) == 1:
            yield from _against_master(s)
        else:
            yield from _ties(s)


def _against_master(s: InstanceSet) -> Iterator[Diagnostic]:
    (m_member, master), = s.masters()
    top = priority(master)
    for member, inst in s.entries:
        if inst is master:
            continue
        prio = priority(inst)
        if prio < top:
            continue
        how = "the same priority as" if prio == top else "a higher priority than"
        yield RULE.at(inst.arg_span("priority"),
                      f"priority {prio} on {inst.state or 'BACKUP'} {member.label} is {how} "
                      f"MASTER {m_member.label}'s {top}; "
                      + ("whichever director becomes MASTER first keeps the VIP and the "
                         "intended MASTER never takes it back"
                         if prio == top else f"{member.label} takes the VIP at startup")
                      + f": set it below {top}",
                      related=[Related(span=master.arg_span("priority"),
                                       note=f"MASTER {m_member.label} has priority {top}")])


def _ties(s: InstanceSet) -> Iterator[Diagnostic]:
    for (a_member, a), (b_member, b) in combinations(s.entries, 2):
        if priority(a) != priority(b):
            continue
        yield RULE.at(b.arg_span("priority"),
                      f"vrrp_instance {b.name} has priority {priority(b)} on both "
                      f"{a_member.label} and {b_member.label}: whichever becomes MASTER first "
                      "keeps the VIP (the higher IP address wins only a simultaneous claim); "
                      "give the intended MASTER a higher priority",
                      related=[Related(span=a.arg_span("priority"),
                                       note=f"{a_member.label} has the same priority")])
