"""The directors of one instance speak different VRRP versions.

## Why it matters
A router drops every advert of the other version (`wrong version. Received 3 and expect
2`), so the BACKUP never hears the MASTER and takes the VIP too. The version comes from
the instance's `version`, else global_defs `vrrp_version`, else 2; an IPv6 instance
uses 3 unless it says `version 2`.

## Bad
    global_defs {
    @lb2    vrrp_version 3
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
        vrrp_version 3
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

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, name_span, titled, version

RULE = Rule(code="KA504", name="vrrp-version-mismatch",
            summary="one instance, different VRRP versions on the directors",
            explanation=__doc__ or "")


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            (mine, here), (theirs, there) = (version(member.config, inst),
                                             version(ref_member.config, ref))
            if mine == theirs:
                continue
            sides = [(member, mine, here), (ref_member, theirs, there)]
            if here == name_span(inst):
                sides.reverse()  # the default on this side: point at a written value
            (_, _, main), (other, value, span) = sides
            yield RULE.at(main,
                          f"{titled(inst, ref, ref_member.label)} speaks VRRPv{mine} on "
                          f"{member.label} but VRRPv{theirs} on {ref_member.label}: each drops "
                          "the other's adverts and both take the VIP; set the same version on "
                          "every director",
                          related=[Related(span=span, note=f"{other.label} uses VRRPv{value}")])
