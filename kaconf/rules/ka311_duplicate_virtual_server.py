"""The same virtual service defined twice in one file.

## Why it matters
keepalived does not check it (two identical `virtual_server` blocks pass `keepalived -t`),
but IPVS has one service per address, port and protocol (or fwmark): the second block's
real servers and checkers fight the first one's over the same IPVS entry, and whichever
checker ran last decides which real servers are in the table. Merge the blocks, or give the
second its own address or port.

## Bad
    virtual_server 192.0.2.100 80 {
        protocol TCP
        real_server 192.0.2.11 80 {
        }
    }
    virtual_server 192.0.2.100 80 {
        protocol TCP
        real_server 192.0.2.12 80 {
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        protocol TCP
        real_server 192.0.2.11 80 {
        }
        real_server 192.0.2.12 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, VirtualServer, effective
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import normalise

RULE = Rule(code="KA311", name="duplicate-virtual-server",
            summary="two virtual_server blocks for one address, port and protocol (or fwmark)",
            explanation=__doc__ or "")


def service(vs: VirtualServer) -> tuple[str, ...] | None:
    """What IPVS keys the service by; keepalived's default protocol is UDP for addresses."""
    if vs.fwmark is not None:
        return ("fwmark", str(vs.fwmark))
    if vs.group is not None:
        return ("group", vs.group, effective.protocol_value(vs))
    if vs.address is None:
        return None
    return (normalise(vs.address) or vs.address, str(vs.port or 0),
            effective.protocol_value(vs))


def check(config: Config) -> Iterator[Diagnostic]:
    first: dict[tuple[str, ...], VirtualServer] = {}
    for vs in config.virtual_servers:
        key = service(vs)
        if key is None:
            continue
        other = first.setdefault(key, vs)
        if other is vs:
            continue
        yield RULE.at(vs.head_span(),
                      f"virtual_server {vs.label} is already defined on line {other.span.line}; "
                      "both blocks drive one IPVS service: merge them into one",
                      related=[Related(span=other.head_span(),
                                       note="first defined here")])
