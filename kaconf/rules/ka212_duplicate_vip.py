"""One VIP in two vrrp_instance blocks of one file.

## Why it matters
Each instance adds and removes its VIPs on its own: when one instance goes BACKUP it deletes
the address the other, still MASTER, is serving, and traffic to it stops. keepalived accepts
such a file without a word (`keepalived -t` exits 0). Keep every address in exactly one
instance (a sync group moves instances together if that is the intent).

## Bad
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 52
        virtual_ipaddress {
            192.0.2.10/24
        }
    }

## Good
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 52
        virtual_ipaddress {
            192.0.2.11/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VipAddress, VrrpInstance
from kaconf.rules.base import Rule

RULE = Rule(code="KA212", name="duplicate-vip", severity=Severity.WARNING,
            summary="one VIP in two vrrp_instance blocks of one file", explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    first: dict[str, tuple[VrrpInstance, VipAddress]] = {}
    for inst in config.vrrp_instances:
        for vip in inst.virtual_ipaddress + inst.virtual_ipaddress_excluded:
            if vip.address is None:
                continue
            other = first.setdefault(vip.address, (inst, vip))
            if other[0] is inst:
                continue
            yield RULE.at(vip.span, f"VIP {vip.address} is also in vrrp_instance "
                                    f"{other[0].name}: when either instance goes BACKUP it "
                                    "removes the address the other one serves; keep it in one "
                                    "instance",
                          related=[Related(span=other[1].span,
                                           note=f"{other[0].name} has it here")])
