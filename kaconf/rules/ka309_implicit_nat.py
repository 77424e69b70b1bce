"""A virtual_server without lvs_method (or lb_kind): keepalived falls back to NAT.

## Why it matters
NAT rewrites the destination of every packet and needs the real servers to route their
replies back through the director; DR and TUN need the VIP on each real server instead. A
config that does not say which it means gets NAT, which fails quietly when the real servers
were set up for direct routing (replies bypass the director and are dropped by the client).
keepalived 2.2.7 says `no forwarding method set, setting default NAT` and carries on with
it (`keepalived -t` exits 5 on that line alone). Real servers with their own lvs_method do
not use the default; the rule stays quiet when all of them have one.

## Bad
    virtual_server 192.0.2.100 80 {
        protocol TCP
        real_server 192.0.2.11 80 {
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        protocol TCP
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA309", name="implicit-nat", severity=Severity.WARNING,
            summary="virtual_server without lvs_method, so keepalived falls back to NAT",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        if vs.has("lvs_method"):
            continue  # an invalid method is the keyword checks' finding
        defaulted = [rs for rs in vs.real_servers if not rs.has("lvs_method")]
        if not defaulted:
            continue  # no real_server: KA305; all with their own method: no default used
        yield RULE.at(vs.span, f"virtual_server {vs.label} has no lvs_method, so keepalived "
                      "forwards with NAT; write 'lvs_method NAT' if that is meant, else DR or "
                      "TUN",
                      related=[Related(span=rs.node.args_span if rs.node else rs.span,
                                       note="forwarded with NAT") for rs in defaulted[:1]])
