"""The directors group the same VRRP instances into sync groups differently.

## Why it matters
A vrrp_sync_group moves its instances together: when one member leaves MASTER on a
director, the others follow it. That only works when every director groups the same
instances the same way, and keepalived, which sees one file, never checks it. If one
director syncs VI_1 with VI_2 and the other does not, a fault can leave VI_1 on one
director and VI_2 on the other: what the group was written to prevent (the outside and
inside addresses of a NAT gateway, say). Instances are matched across the directors as
the other cluster rules match them, so a renamed instance still counts as the same one.

## Bad
    @lb1 vrrp_sync_group G1 {
    @lb1     group {
    @lb1         VI_1
    @lb1         VI_2
    @lb1     }
    @lb1 }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    vrrp_instance VI_2 {
        interface eth1
        virtual_router_id 52
        virtual_ipaddress {
            198.51.100.10/24
        }
    }

## Good
    vrrp_sync_group G1 {
        group {
            VI_1
            VI_2
        }
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    vrrp_instance VI_2 {
        interface eth1
        virtual_router_id 52
        virtual_ipaddress {
            198.51.100.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VrrpInstance
from kaconf.model.vrrp import TrackEntry, VrrpSyncGroup
from kaconf.records import record
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, name_span, titled
from kaconf.source import Span

RULE = Rule(code="KA516", name="sync-group-mismatch", severity=Severity.WARNING,
            summary="the directors put the same instances in different sync groups",
            explanation=__doc__ or "")


def memberships(config: Config) -> dict[str, tuple[VrrpSyncGroup, TrackEntry]]:
    """Instance name -> its sync group and the group line naming it, as keepalived keeps
    them: names of instances that exist (S1), each in its first group only (S2)."""
    names = {i.name for i in config.vrrp_instances}
    out: dict[str, tuple[VrrpSyncGroup, TrackEntry]] = {}
    for group in config.vrrp_sync_groups:
        for entry in group.group:
            if entry.name in names and entry.name not in out:
                out[entry.name] = (group, entry)
    return out


@record
class Grouping:
    """Where one instance stands on one director: its group (if any) and its partners."""

    member: Member
    inst: VrrpInstance
    group: VrrpSyncGroup | None
    span: Span                   # the group line naming the instance, else its name
    partners: list[str]          # names, on this director, of the group's other members

    def said(self) -> str:
        if self.group is None:
            return "in no sync group"
        return f"in vrrp_sync_group {self.group.name} with " + (", ".join(self.partners)
                                                                 or "no other instance")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    where = {id(inst): n for n, s in enumerate(cluster.instance_sets) for _, inst in s.entries}
    groups = {id(m): memberships(m.config) for m in cluster.members}
    done: set[tuple[frozenset[int], int]] = set()   # (two directors, instance set) reported
    for n, s in enumerate(cluster.instance_sets):
        for member, inst, ref_member, ref in against_reference(s):
            pair = frozenset((id(member), id(ref_member)))
            if (pair, n) in done:
                continue
            common = {k for k, t in enumerate(cluster.instance_sets)
                      if t.on(member) is not None and t.on(ref_member) is not None}
            here = _grouping(member, inst, groups[id(member)])
            there = _grouping(ref_member, ref, groups[id(ref_member)])
            mine, theirs = (_sets(g, where) & common - {n} for g in (here, there))
            if mine == theirs:
                continue  # instances that only one director has are KA509's finding
            done |= {(pair, k) for k in mine | theirs | {n}}
            yield _finding(here, there)


def _grouping(member: Member, inst: VrrpInstance,
              groups: dict[str, tuple[VrrpSyncGroup, TrackEntry]]) -> Grouping:
    if inst.name not in groups:
        return Grouping(member, inst, None, name_span(inst), [])
    group, line = groups[inst.name]
    partners = [name for name, (g, _) in groups.items() if g is group and name != inst.name]
    return Grouping(member, inst, group, line.span, partners)


def _sets(g: Grouping, where: dict[int, int]) -> set[int]:
    """The instance sets of the cluster that `g`'s instance is synced with."""
    found = (g.member.config.instance(name) for name in g.partners)
    return {where[id(i)] for i in found if i is not None and id(i) in where}


def _finding(here: Grouping, there: Grouping) -> Diagnostic:
    main, other = (here, there) if here.group is not None else (there, here)
    return RULE.at(main.span,
                   f"{titled(main.inst, other.inst, other.member.label)} is {main.said()} on "
                   f"{main.member.label} but {other.said()} on {other.member.label}: after a "
                   "fault the directors disagree on which instances fail over together and can "
                   "split them between the two; group the same instances on every director",
                   related=[Related(span=other.span, note=f"{other.inst.name} is {other.said()} "
                                                          f"on {other.member.label}")])
