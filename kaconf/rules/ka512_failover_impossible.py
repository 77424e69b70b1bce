"""The tracking weights cannot move the VIP: the MASTER with every weighted check failed
still outranks the BACKUP, or the BACKUP outranks the MASTER while everything is healthy.

## Why it matters
A weighted check only changes the priority: a failure subtracts a negative weight, a
success adds a positive one (`reverse` flips the sign; a track line's weight overrides
the vrrp_script's), and the result is kept within 1..254. Unless that swing crosses the
BACKUP's priority, a dead service keeps the VIP on the MASTER. A check without weight puts
the instance in FAULT instead, which does fail over.

## Bad
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
        weight -20
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
        track_script {
            chk_nginx
        }
    }

## Good
    vrrp_script chk_nginx {
        script "/usr/bin/pgrep nginx"
        weight -60
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
        track_script {
            chk_nginx
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import VrrpInstance, effective
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import OWNER, priority
from kaconf.rules.ka5xx_peers import starts_as_master, value_span

RULE = Rule(code="KA512", name="failover-impossible", severity=Severity.WARNING,
            summary="tracking weights too small to move the VIP, or a BACKUP that outranks "
                    "the MASTER when healthy", explanation=__doc__ or "")

MAX_WEIGHT = 253        # keepalived turns +/-254 into +/-253 (semantics V29)


class Reach(NamedTuple):
    lowest: int         # every weighted check in its worst state
    healthy: int        # every check succeeding, every interface up
    highest: int        # every weighted check in its best state
    weighted: bool


def clamp(prio: int) -> int:
    return max(1, min(OWNER - 1, prio))


def reach(member: Member, inst: VrrpInstance) -> Reach | None:
    """The priorities the instance can reach; None when a weight is unknown (a track_process
    or track_bfd line naming no definition)."""
    base = priority(inst)
    if base == OWNER or _weights_ignored(member, inst):
        return Reach(base, base, base, False)  # keepalived ignores weights here (V10, S5)
    low = healthy = high = base
    weighted = False
    for kind, w, reverse in _weights(member, inst):
        if w is None:
            return None
        weighted = weighted or w != 0
        if kind == "file" and w:
            low, high = low - MAX_WEIGHT, high + MAX_WEIGHT  # the value written decides
            continue
        w, sign = max(-MAX_WEIGHT, min(MAX_WEIGHT, w)), -1 if reverse else 1
        ok, failed = (w * sign if w > 0 else 0), (w * sign if w < 0 else 0)
        low, healthy, high = low + min(ok, failed), healthy + ok, high + max(ok, failed)
    return Reach(clamp(low), clamp(healthy), clamp(high), weighted)


def _weights(member: Member, inst: VrrpInstance) -> Iterator[tuple[str, int | None, bool]]:
    """(kind, weight, reverse) of every tracked object; weight 0 means FAULT on failure."""
    for t in effective.tracked(member.config, inst):
        yield t.kind, t.weight, t.reverse


def _weights_ignored(member: Member, inst: VrrpInstance) -> bool:
    return any(inst.name in [g.name for g in sg.group] and not sg.sync_group_tracking_weight
               for sg in member.config.vrrp_sync_groups)


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        masters = [(m, i) for m, i in s.entries if starts_as_master(m, i)]
        if len(masters) != 1 or len(s.entries) < 2:
            continue
        (m_member, master), = masters
        top = reach(m_member, master)
        backups = [(b, i, r) for b, i in s.entries if i is not master and (r := reach(b, i))]
        if top is None or len(backups) < len(s.entries) - 1:
            continue  # a weight we cannot know
        b_member, best, r = max(backups, key=lambda e: e[2].highest)
        if top.weighted and top.lowest > r.highest:
            yield RULE.at(value_span(master, "priority"),
                          f"MASTER {m_member.label}'s vrrp_instance {master.name} drops only to "
                          f"priority {top.lowest} with every weighted check failed, still above "
                          f"BACKUP {b_member.label}'s {r.highest}: a failed check never moves "
                          "the VIP; give a check weight "
                          f"-{priority(master) - r.highest + 1} or lower (or no "
                          "weight, which puts the instance in FAULT)",
                          related=[Related(span=value_span(best, "priority"),
                                           note=f"{b_member.label}'s priority")])
        for b_member, b, r in backups:
            if top.healthy < r.healthy and priority(b) < priority(master):
                yield RULE.at(value_span(b, "priority"),
                              f"with every check healthy, BACKUP {b_member.label}'s priority is "
                              f"{r.healthy}, above MASTER {m_member.label}'s {top.healthy}: "
                              f"{b_member.label} takes the VIP as soon as it starts; lower its "
                              "positive weights or its priority",
                              related=[Related(span=value_span(master, "priority"),
                                               note=f"MASTER {m_member.label}'s priority")])
