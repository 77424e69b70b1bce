"""Priority 255 (the address owner) on a BACKUP instance, or where this host may not own
the VIPs.

## Why it matters
Priority 255 is reserved by VRRP for the router that really has the virtual address
configured on an interface (the address owner). keepalived gives it special treatment: it
always preempts at once, ignores nopreempt and weighted tracking, and starts as MASTER;
`state MASTER` without a priority silently means 255. Used on a director that does not own
the address, a second "owner" fights the real one (`both configured as address owner`),
and `state BACKUP` with 255 contradicts itself (strict mode turns it into MASTER).
kaconf cannot see the host's addresses: unless a VIP equals this instance's unicast_src_ip
or mcast_src_ip, make sure the host owns one, or use 254 or less.

## Bad
    vrrp_instance VI_1 {
        state BACKUP
        interface eth0
        virtual_router_id 51
        priority 255
        virtual_ipaddress {
            192.0.2.10/24
        }
    }

## Good
    vrrp_instance VI_1 {
        state BACKUP
        interface eth0
        virtual_router_id 51
        priority 254
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import OWNER, priority

RULE = Rule(code="KA211", name="priority-owner", severity=Severity.WARNING,
            summary="priority 255 (address owner) on a BACKUP or on a host that may not own "
                    "the VIP", explanation=__doc__ or "")


def owns_a_vip(inst: VrrpInstance) -> bool:
    """Whether a VIP is one of the host's own addresses named in the instance."""
    own = set()
    for text in (inst.unicast_src_ip, inst.mcast_src_ip):
        try:
            own.add(ipaddress.ip_address((text or "").split("/")[0]))
        except ValueError:
            pass
    return any(v.address and ipaddress.ip_address(v.address) in own
               for v in inst.virtual_ipaddress)


def check(config: Config) -> Iterator[Diagnostic]:
    if config.missing_includes:
        return  # what looks absent may be in a file the include did not find (KA002)
    for inst in config.vrrp_instances:
        if priority(inst) != OWNER or not inst.virtual_ipaddress:
            continue
        first = Related(span=inst.virtual_ipaddress[0].span, note="a VIP it claims to own")
        if inst.priority == OWNER and inst.state is not None and inst.state != "MASTER":
            yield RULE.at(inst.arg_span("priority"),
                          f"priority 255 makes {inst.name} the address owner, which always "
                          f"takes the VIP at once, but it says state {inst.state}; use 254 or "
                          "less on a BACKUP director",
                          related=[Related(span=inst.arg_span("state"), note="state here"),
                                   first])
        elif not owns_a_vip(inst):
            how = ("priority 255" if inst.priority == OWNER
                   else "state MASTER without a priority (that is priority 255)")
            yield RULE.at(inst.arg_span("priority" if inst.priority == OWNER else "state"),
                          f"{how} makes {inst.name} the address owner of its VIPs, which only "
                          "the host that really has one of them configured may be; kaconf "
                          "cannot see this host's addresses, so make sure it does, or use 254 "
                          "or less", related=[first])
