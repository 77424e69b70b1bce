"""A unicast_peer that is the instance's own unicast_src_ip.

## Why it matters
With unicast, each director sends its adverts to the addresses under `unicast_peer`, which
must be the *other* directors. A peer equal to `unicast_src_ip` sends the adverts back to
this host, so the real peer never hears them and both directors become MASTER (split
brain). keepalived does not check it. The usual cause is one file copied to both
directors without swapping the two addresses. When the list also names the other
directors (one list shared by all), the other director does hear the adverts, but this one
receives its own and logs a warning for each (reported as a warning).

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        unicast_src_ip 192.0.2.11
        unicast_peer {
            192.0.2.11
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        unicast_src_ip 192.0.2.11
        unicast_peer {
            192.0.2.12
        }
    }
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA208", name="unicast-self-peer",
            summary="a unicast_peer equal to the instance's own unicast_src_ip",
            explanation=__doc__ or "")


def address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("/")[0])
    except ValueError:
        return None  # an invalid address is KA106's finding


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        src = address(inst.unicast_src_ip) if inst.unicast_src_ip else None
        if src is None:
            continue
        others = [p for p in inst.unicast_peer if address(p.address) != src]
        for peer in inst.unicast_peer:
            if address(peer.address) != src:
                continue
            why = [Related(span=inst.arg_span("unicast_src_ip"), note="this host's address")]
            if others:  # a list shared by all directors: noise, not split brain
                yield RULE.at(peer.span, f"unicast_peer {peer.address} of {inst.name} is its "
                              "own unicast_src_ip: as MASTER it sends adverts to itself and "
                              "logs 'equal priority advert received from remote host with our "
                              "IP address' every interval; remove it from this director's list",
                              related=why, severity=Severity.WARNING)
            else:
                yield RULE.at(peer.span, f"unicast_peer {peer.address} of {inst.name} is its "
                              "own unicast_src_ip: adverts go back to this host and the other "
                              "director never hears them, so both become MASTER; list the "
                              "other director's address instead", related=why)
