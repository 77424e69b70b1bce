"""The directors of one multicast instance send their adverts to different multicast groups.

## Why it matters
Without `unicast_peer`, adverts go to the instance's `mcast_dst_ip`, else to global_defs
`vrrp_mcast_group4` (default 224.0.0.18) or `vrrp_mcast_group6` (default ff02::12), and a
router only listens on its own group. Directors that send to different groups never hear
each other: both become MASTER and both take the VIP, with nothing in the log.

## Bad
    global_defs {
    @lb2    vrrp_mcast_group4 224.0.0.19
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
        vrrp_mcast_group4 224.0.0.19
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

import ipaddress
from collections.abc import Iterator

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import against_reference, name_span, titled
from kaconf.source import Span

RULE = Rule(code="KA515", name="mcast-group-mismatch",
            summary="one multicast instance, different multicast groups on the directors",
            explanation=__doc__ or "")

DEFAULTS = {"inet": ("vrrp_mcast_group4", "224.0.0.18"), "inet6": ("vrrp_mcast_group6", "ff02::12")}


def _group(text: str | None, family: str) -> str | None:
    """`text` as a multicast address of the instance's family, else None: keepalived skips
    an mcast_dst_ip that is not multicast (`not multicast. Skipping...`) and rejects a
    global group that is not one, so the next source applies."""
    try:
        addr = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    if not addr.is_multicast or (addr.version == 6) != (family == "inet6"):
        return None
    return str(addr)


def mcast_group(config: Config, inst: VrrpInstance) -> tuple[str, Span | None]:
    """The group the instance sends to and the span that sets it (None for the default)."""
    if (own := _group(inst.mcast_dst_ip, inst.family)) is not None:
        return own, inst.arg_span("mcast_dst_ip")
    keyword, default = DEFAULTS[inst.family]
    g = config.global_defs
    node = g.keyword_node(keyword) if g is not None else None
    if g is not None and node is not None and (
            found := _group(node.arg(0), inst.family)) is not None:
        return found, g.arg_span(keyword)
    return default, None


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            if inst.is_unicast or ref.is_unicast or inst.family != ref.family:
                continue  # unicast, or a family mismatch, is another rule's finding
            here, there = mcast_group(member.config, inst), mcast_group(ref_member.config, ref)
            if here[0] == there[0]:
                continue
            sides = [(member, inst, here), (ref_member, ref, there)]
            if here[1] is None:
                sides.reverse()  # point at a value that is written
            (m, i, (group, span)), (om, oi, (other, other_span)) = sides
            yield RULE.at(span or name_span(i),
                          f"{titled(i, oi, om.label)} sends its adverts to multicast group "
                          f"{_said(group, span)} on {m.label} but to {_said(other, other_span)} "
                          f"on {om.label}: the directors never hear each other and both take "
                          "the VIP; use one group on every director",
                          related=[Related(span=other_span or name_span(oi),
                                           note=f"{om.label} sends to "
                                                f"{_said(other, other_span)}")])


def _said(group: str, span: Span | None) -> str:
    return group if span is not None else f"{group} (the default)"
