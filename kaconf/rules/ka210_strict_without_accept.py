"""A VIP that drops the traffic sent to it: strict mode or no_accept without working `accept`.

## Why it matters
Unless the instance is the address owner (priority 255), keepalived in non-accept mode
installs firewall rules that drop every packet addressed to its VIPs: the address answers
no ping and no service behind it is reachable, although failover looks fine. `no_accept`
asks for that; strict mode (`vrrp_strict` in global_defs or `strict_mode` in the instance)
makes it the default, and with VRRP version 2 strict mode even resets an explicit `accept`
(`accept mode for VRRP version 2 does not comply with RFC3768 - resetting`). Write `accept`
(and `version 3` under strict mode), or drop strict mode.

## Bad
    global_defs {
        vrrp_strict
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }

## Good
    global_defs {
        vrrp_strict
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        priority 100
        version 3
        accept
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import (
    OWNER,
    keyword_span,
    name_span,
    priority,
    strict_span,
    version,
)

RULE = Rule(code="KA210", name="strict-without-accept", severity=Severity.WARNING,
            summary="strict mode or no_accept without working accept: the VIP drops traffic",
            explanation=__doc__ or "")


def last_of(inst: VrrpInstance, *keywords: str) -> str | None:
    """Which of the keywords comes last in the block (keepalived keeps the last)."""
    found = None
    for child in inst.node.children if inst.node is not None else []:
        if child.keyword in keywords and child.kind not in ("unknown", "skipped"):
            found = child.keyword
    return found


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        if priority(inst) == OWNER or not (inst.virtual_ipaddress or
                                           inst.virtual_ipaddress_excluded):
            continue  # the owner always accepts; without VIPs there is nothing to drop
        mode = last_of(inst, "accept", "no_accept")
        strict = strict_span(config, inst)
        if mode == "no_accept":
            yield RULE.at(keyword_span(inst, "no_accept"),
                          f"no_accept makes the VIPs of {inst.name} drop all traffic sent to "
                          "them, so nothing behind them is reachable; remove it (or write "
                          "accept)")
            continue
        if strict is None:
            continue
        ver, _ = version(config, inst)
        why = Related(span=strict, note="strict mode is set here")
        if mode == "accept" and ver == 2:
            yield RULE.at(keyword_span(inst, "accept"),
                          f"accept on {inst.name} is reset by strict mode with VRRP version 2, "
                          "so its VIPs drop all traffic sent to them; add version 3 or drop "
                          "strict mode", related=[why])
        elif mode is None:
            fix = "accept" if ver == 3 else "accept and version 3"
            yield RULE.at(name_span(inst),
                          f"strict mode without accept: the VIPs of {inst.name} (priority "
                          f"{priority(inst)}) drop all traffic sent to them, so nothing behind "
                          f"them is reachable; add {fix} to {inst.name}, or drop strict mode",
                          related=[why])
