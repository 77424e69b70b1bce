"""The directors of one instance advertise at different intervals.

## Why it matters
A VRRPv2 router drops every advert whose interval differs from its own
(`advertisement interval mismatch mine=3 sec rcv'd=1 sec`): the BACKUP never hears the
MASTER and takes the VIP too. With VRRPv3 on both sides the BACKUP adopts the MASTER's
interval, which works but hides that the files disagree (a warning then).

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
    @lb1    advert_int 1
    @lb2    advert_int 3
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
        advert_int 1
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

import math
from collections.abc import Iterator

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, titled, value_span, version

RULE = Rule(code="KA503", name="advert-int-mismatch",
            summary="one instance, different advert_int on the directors",
            explanation=__doc__ or "")


def interval(inst: VrrpInstance, vrrp_version: int) -> float:
    """advert_int as keepalived uses it (default 1 s): VRRPv2 rounds to whole seconds (at
    least 1), VRRPv3 to 10 ms (semantics V14)."""
    value = inst.advert_int if inst.advert_int is not None and inst.advert_int > 0 else 1.0
    if vrrp_version == 2:
        return float(max(1, math.floor(value + 0.5)))
    return max(1, math.floor(value * 100 + 0.5)) / 100


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            ver = version(member.config, inst)[0]
            if ver != version(ref_member.config, ref)[0]:
                continue  # a version mismatch is KA504's finding
            mine, theirs = interval(inst, ver), interval(ref, ver)
            if mine == theirs:
                continue
            sides = [(member, inst, mine), (ref_member, ref, theirs)]
            if not inst.has("advert_int"):
                sides.reverse()  # point at a value that is written
            (_, main, _), (other_member, other, value) = sides
            if ver == 2:
                effect, severity = ("VRRPv2 drops adverts with another interval, so the BACKUP "
                                    "takes the VIP too"), None
            else:
                effect, severity = ("VRRPv3 lets the BACKUP adopt the MASTER's interval, but "
                                    "the files disagree"), Severity.WARNING
            default = "" if other.has("advert_int") else " (the default)"
            yield RULE.at(value_span(main, "advert_int"),
                          f"{titled(inst, ref, ref_member.label)} has advert_int {_fmt(mine)} on "
                          f"{member.label} but {_fmt(theirs)} on {ref_member.label}: {effect}; "
                          "use one advert_int on every director",
                          related=[Related(span=value_span(other, "advert_int"),
                                           note=f"{other_member.label} uses advert_int "
                                                f"{_fmt(value)}{default}")],
                          severity=severity)


def _fmt(seconds: float) -> str:
    return f"{seconds:g}"
