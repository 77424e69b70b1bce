"""One director sends an instance's adverts by unicast and another by multicast, or a
unicast_peer list misses a peer's unicast_src_ip.

## Why it matters
A unicast director does not join the VRRP multicast group, so it never hears a multicast
peer; and a unicast director only sends to the addresses in its `unicast_peer` block. A
peer that hears nothing takes the VIP too: both directors answer for it.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
    @lb1    unicast_src_ip 192.0.2.1
    @lb1    unicast_peer {
    @lb1        192.0.2.2
    @lb1    }
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
    @lb1    unicast_src_ip 192.0.2.1
    @lb2    unicast_src_ip 192.0.2.2
        unicast_peer {
    @lb1        192.0.2.2
    @lb2        192.0.2.1
        }
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, permutations

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_peers import address, name_span, starts_as_master, titled

RULE = Rule(code="KA508", name="unicast-asymmetry",
            summary="unicast on one director and multicast on another, or a missing unicast peer",
            explanation=__doc__ or "")

Side = tuple[Member, VrrpInstance]


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for a, b in combinations(s.entries, 2):
            if a[1].is_unicast != b[1].is_unicast:
                yield _mixed(*((a, b) if a[1].is_unicast else (b, a)))
                continue
            if not a[1].is_unicast:
                continue
            if (src := address(a[1].unicast_src_ip)) and src == address(b[1].unicast_src_ip):
                yield _same_source(*((a, b) if starts_as_master(*b) else (b, a)))
                continue
            for sender, peer in permutations((a, b)):
                if (found := _unlisted(sender, peer)) is not None:
                    yield found


def _mixed(uni: Side, multi: Side) -> Diagnostic:
    (u_member, u), (m_member, m) = uni, multi
    return RULE.at(u.arg_span("unicast_peer"),
                   f"{titled(u, m, m_member.label)} sends adverts by unicast on "
                   f"{u_member.label} but by multicast on {m_member.label}: {u_member.label} "
                   "does not listen to the multicast group and takes the VIP too; use "
                   "unicast_peer on every director or on none",
                   related=[Related(span=name_span(m),
                                    note=f"{m_member.label} has no unicast_peer: multicast")])


def _same_source(copy: Side, other: Side) -> Diagnostic:
    (c_member, c), (o_member, o) = copy, other
    return RULE.at(c.arg_span("unicast_src_ip"),
                   f"{titled(c, o, o_member.label)} has unicast_src_ip {c.unicast_src_ip} on both "
                   f"{c_member.label} and {o_member.label}: one of them sends from an address "
                   "that is not its own, so its adverts never arrive; on each director put its "
                   "own address in unicast_src_ip and the peer's in unicast_peer",
                   related=[Related(span=o.arg_span("unicast_src_ip"),
                                    note=f"{o_member.label} sends from the same address")])


def _unlisted(sender: Side, peer: Side) -> Diagnostic | None:
    """The sender's unicast_peer list lacks the peer's unicast_src_ip (when it has one)."""
    (s_member, s), (p_member, p) = sender, peer
    src = address(p.unicast_src_ip)
    if src is None or src in {address(u.address) for u in s.unicast_peer}:
        return None
    listed = ", ".join(u.address for u in s.unicast_peer)
    return RULE.at(s.arg_span("unicast_peer"),
                   f"unicast_peer of {titled(s, p, p_member.label)} on {s_member.label} "
                   f"lists {listed} but not {p_member.label}'s unicast_src_ip {src}: "
                   f"{p_member.label} never hears {s_member.label} and takes the VIP too; "
                   f"add {src} to the list",
                   related=[Related(span=p.arg_span("unicast_src_ip"),
                                    note=f"{p_member.label} sends from {src}")])
