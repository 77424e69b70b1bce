"""Two vrrp_instance blocks on one interface share a virtual_router_id.

## Why it matters
Two IPv4 (or two IPv6) instances with one id on one link claim the same virtual MAC
address and read each other's adverts as their own: addresses flap between them. keepalived
refuses the second instance when it loads the file.

## Bad
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 51
    }

## Good
    vrrp_instance web {
        interface eth0
        virtual_router_id 51
    }
    vrrp_instance api {
        interface eth0
        virtual_router_id 52
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule

RULE = Rule(code="KA201", name="duplicate-vrid",
            summary="virtual_router_id reused on one interface", explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    first: dict[tuple[str, str, int], VrrpInstance] = {}
    for inst in config.vrrp_instances:
        if inst.interface is None or inst.virtual_router_id is None:
            continue  # a missing keyword is KA110's finding
        key = (inst.interface, inst.family, inst.virtual_router_id)
        other = first.setdefault(key, inst)
        if other is inst:
            continue
        yield RULE.at(inst.arg_span("virtual_router_id"),
                      f"virtual_router_id {key[2]} is already used by vrrp_instance {other.name} "
                      f"on {key[0]}; give each instance on a link its own id",
                      related=[Related(span=other.arg_span("virtual_router_id"),
                                       note=f"{other.name} uses it here")])
