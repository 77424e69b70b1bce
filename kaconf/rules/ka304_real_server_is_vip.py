"""A real_server address equal to its own virtual_server address or to a VRRP VIP of the file.

## Why it matters
A real server is a backend reached at its own address. The virtual server's address, or
any VIP, lives on whichever director is master: IPVS hands that share of the traffic to the
director itself (the LVS "local node" case) and health checks probe the director, not a
backend. It is almost always a VIP pasted into the wrong line. A director that should
serve too is named by an address of its own, not by a VIP.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.100/24
        }
    }
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.100 80 {
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.100/24
        }
    }
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, VirtualServer, VirtualServerGroup
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import expand, normalise, vips
from kaconf.source import Span

RULE = Rule(code="KA304", name="real-server-is-vip",
            summary="real_server address equal to its virtual_server address or a VIP",
            explanation=__doc__ or "")


def group_addresses(vs: VirtualServer, groups: dict[str, list[VirtualServerGroup]]
                    ) -> dict[str, Span]:
    """The addresses of the virtual server's group, with where each is written."""
    out: dict[str, Span] = {}
    for group in groups.get(vs.group, []) if vs.group is not None else []:
        for entry in group.entries:
            out.update({a: entry.span for a in expand(entry.address or "") or []})
    return out


def check(config: Config) -> Iterator[Diagnostic]:
    carried = vips(config)
    groups: dict[str, list[VirtualServerGroup]] = {}
    for g in config.virtual_server_groups:
        groups.setdefault(g.name, []).append(g)
    for vs in config.virtual_servers:
        # its own address (where it is written is looked up for a finding only), or its group's
        mine = normalise(vs.address) if vs.address is not None else None
        own = group_addresses(vs, groups) if vs.address is None else {}
        for rs in vs.real_servers:
            # an address without ka3xx_lvs.SUFFIX_OR_IPV6 is its normal form or no address:
            # it is asked about only when it matches
            text = rs.address
            address = normalise(text) if "/" in text or "-" in text or ":" in text else text
            if address is None or (address != mine and address not in own
                                   and address not in carried):
                continue
            address = normalise(text)
            if address is None:
                continue
            span = rs.head_span(0)
            if address == mine or address in own:
                where = vs.head_span(0) if address == mine else own[address]
                yield RULE.at(span, f"real_server '{rs.address}' is the address of its own "
                              f"virtual_server {vs.label}, so IPVS hands this share to the "
                              "director itself: use the backend host's own address",
                              related=[Related(span=where, note="virtual_server address")])
            elif address in carried:
                inst, vip = carried[address]
                yield RULE.at(span, f"real_server '{rs.address}' is a VIP of vrrp_instance "
                              f"{inst.name}, which lives on the master director, not on a "
                              "backend: use the backend host's own address",
                              related=[Related(span=vip.span, note=f"VIP of {inst.name}")])
