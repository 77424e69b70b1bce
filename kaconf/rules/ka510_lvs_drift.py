"""The directors of a cluster balance differently: their virtual_server blocks differ.

## Why it matters
After a failover the BACKUP's LVS table is the one in use. A virtual server, real server,
scheduler, forwarding method, persistence, protocol, weight or checker that differs
changes the service the moment the VIP moves, and nobody notices until then. Checkers are
compared by the values keepalived runs them with (connect_port, connect_timeout, delay_loop,
retry, delay_before_retry, URLs), so `connect_timeout 5` on one director and nothing on the
other are the same, while `connect_port 80` and `connect_port 8080` are not.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    virtual_server 192.0.2.10 80 {
    @lb1    lb_algo wrr
    @lb2    lb_algo rr
        protocol TCP
        real_server 198.51.100.11 80 {
            TCP_CHECK {
            }
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    virtual_server 192.0.2.10 80 {
        lb_algo wrr
        protocol TCP
        real_server 198.51.100.11 80 {
            TCP_CHECK {
            }
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster, Member
from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import ModelNode, RealServer, VirtualServer
from kaconf.rules.base import Rule
from kaconf.rules.ka5xx_lvs import (
    CHECKER_VALUES,
    VS_VALUES,
    checkers,
    match,
    paired_checkers,
    real_servers,
    shown,
    unmatched,
    weight,
)
from kaconf.rules.ka5xx_peers import lead, name_span, value_span

RULE = Rule(code="KA510", name="lvs-drift", summary="the directors' virtual_server blocks differ",
            explanation=__doc__ or "")
Side = tuple[Member, VirtualServer]


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    ref = lead(cluster)
    for member in cluster.peers(ref):
        mine, theirs = member.config.virtual_servers, ref.config.virtual_servers
        if not mine or not theirs:
            if mine or theirs:
                (here, vs), there = ((member, mine[0]), ref) if mine else ((ref, theirs[0]), member)
                yield RULE.at(name_span(vs), f"{here.label} defines virtual servers and "
                              f"{there.label} none: after a failover nothing is balanced; define "
                              "the same virtual servers on every director",
                              related=[Related(span=there.config.span, note=f"{there.label}")])
            continue
        pairs = match(mine, theirs)
        for here, there, extra in ((member, ref, unmatched(mine, theirs, pairs)),
                                   (ref, member, unmatched(theirs, mine))):
            for vs in extra:
                yield RULE.at(name_span(vs), f"virtual_server {vs.label} is on {here.label} but "
                              f"not on {there.label}: after a failover it is not balanced; "
                              "define it on every director",
                              related=[Related(span=name_span(there.config.virtual_servers[0]),
                                               note=f"{there.label}'s virtual servers")])
        for vs, other in pairs:
            yield from _compare(member, vs, ref, other)


def _compare(member: Member, vs: VirtualServer, ref: Member,
             other: VirtualServer) -> Iterator[Diagnostic]:
    for keyword, value in VS_VALUES:
        if (a := value(vs)) != (b := value(other)):
            yield _differs((member, vs), (ref, other), keyword, f"virtual_server {vs.label}", a, b)
    ours, theirs = real_servers(vs), real_servers(other)
    for (here, pool), (there, peer_vs, peer_pool) in (((member, ours), (ref, other, theirs)),
                                                       ((ref, theirs), (member, vs, ours))):
        for key in pool.keys() - peer_pool.keys():
            yield RULE.at(name_span(pool[key]),
                          f"real_server {key[0]}:{key[1]} of virtual_server {vs.label} is on "
                          f"{here.label} but not on {there.label}: the pool changes on "
                          "failover; list the same real servers on every director",
                          related=[Related(span=name_span(peer_vs),
                                           note=f"{there.label}'s virtual_server")])
    for key in ours.keys() & theirs.keys():
        rs, peer_rs = ours[key], theirs[key]
        what = f"real_server {rs.address} of virtual_server {vs.label}"
        if (a := weight(rs)) != (b := weight(peer_rs)):
            yield _differs((member, rs), (ref, peer_rs), "weight", what, a, b)
        if (a := checkers(rs)[0]) != (b := checkers(peer_rs)[0]):
            yield RULE.at(checkers(rs)[1], f"{what} is checked by {a} on {member.label} but by "
                          f"{b} on {ref.label}: failures are seen differently after a failover; "
                          "use the same checkers on every director",
                          related=[Related(span=checkers(peer_rs)[1], note=f"{ref.label}'s")])
        else:
            yield from _compare_checkers((member, vs, rs), (ref, other, peer_rs), what)


def _compare_checkers(here: tuple[Member, VirtualServer, RealServer],
                      there: tuple[Member, VirtualServer, RealServer],
                      what: str) -> Iterator[Diagnostic]:
    """Checkers of one type compared by the values keepalived runs them with: a default on
    one director and a written value on the other differ only when the values do."""
    (member, vs, rs), (ref, peer_vs, peer_rs) = here, there
    for chk, peer in paired_checkers(rs, peer_rs):
        for keyword, (value, decided_at) in CHECKER_VALUES:
            a, b = value(chk, rs, vs), value(peer, peer_rs, peer_vs)
            if a == b or (a := shown(a)) == (b := shown(b)):
                continue    # where a value comes from is only looked up for a finding
            where, peer_where = decided_at(chk, rs, vs), decided_at(peer, peer_rs, peer_vs)
            yield RULE.at(where or chk.span,
                          f"{keyword} of the {chk.type} of {what} is {a} on {member.label} but "
                          f"{b} on {ref.label}: failures are seen differently after a failover; "
                          "make them equal",
                          related=[Related(span=peer_where or peer.span, note=f"{ref.label}'s")])


def _differs(here: tuple[Member, ModelNode], there: tuple[Member, ModelNode], keyword: str,
             what: str, mine: str, theirs: str) -> Diagnostic:
    """Point at the value that is written (this side's, else the reference's)."""
    (member, block), (ref, _) = here, there
    (_, main), (rel_member, rel) = (here, there) if block.has(keyword) else (there, here)
    node = main.keyword_node(keyword) or rel.keyword_node(keyword)
    return RULE.at(value_span(main, keyword),
                   f"{node.keyword if node else keyword} of {what} is {mine} on {member.label} "
                   f"but {theirs} on {ref.label}: the service changes on failover; make them equal",
                   related=[Related(span=value_span(rel, keyword), note=f"{rel_member.label}'s")])
