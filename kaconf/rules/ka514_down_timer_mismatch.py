"""The directors of one instance wait a different number of missed adverts before taking over.

## Why it matters
A BACKUP declares the MASTER dead after `down_timer_adverts` missed adverts (default 3,
from global_defs `vrrp_down_timer_adverts` when set; strict mode forces 3). The man page
says every router of an instance must use the same value. keepalived cannot see the peer's
file, so nothing reports a mismatch: the director with the larger value waits longer than
the other expects, and failover times differ with the direction of the failover.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
    @lb1    state MASTER
    @lb2    state BACKUP
    @lb1    priority 150
    @lb2    priority 100
    @lb2    down_timer_adverts 6
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
        down_timer_adverts 6
        virtual_ipaddress {
            192.0.2.10/24
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.cluster import Cluster
from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import strict_span
from kaconf.rules.ka5xx_peers import against_reference, name_span, titled
from kaconf.source import Span

RULE = Rule(code="KA514", name="down-timer-mismatch", severity=Severity.WARNING,
            summary="one instance, different down_timer_adverts on the directors",
            explanation=__doc__ or "")

DEFAULT = 3


def _written(text: str | None) -> int | None:
    """A down_timer_adverts value keepalived accepts (1..100), else None (it is ignored with
    `Invalid down_timer_adverts [1:100]`)."""
    if text is None or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= 100 else None


def down_timer(config: Config, inst: VrrpInstance) -> tuple[int, Span | None, str]:
    """The count in use, the span that sets it (None for the default) and how it was set:
    the instance's value, else the global vrrp_down_timer_adverts, else 3. Strict mode resets
    any other value to 3 (`down_timer_adverts is incompatible with strict mode - resetting`)."""
    if (strict := strict_span(config, inst)) is not None:
        return DEFAULT, strict, " (strict mode forces it)"
    node = inst.keyword_node("down_timer_adverts")
    if node is not None and (value := _written(node.arg(0))) is not None:
        return value, inst.arg_span("down_timer_adverts"), ""
    g = config.global_defs
    node = g.keyword_node("vrrp_down_timer_adverts") if g is not None else None
    if g is not None and node is not None and (value := _written(node.arg(0))) is not None:
        return value, g.arg_span("vrrp_down_timer_adverts"), ""
    return DEFAULT, None, " (the default)"


def check_cluster(cluster: Cluster) -> Iterator[Diagnostic]:
    for s in cluster.instance_sets:
        for member, inst, ref_member, ref in against_reference(s):
            here, there = down_timer(member.config, inst), down_timer(ref_member.config, ref)
            if here[0] == there[0]:
                continue
            sides = [(member, inst, here), (ref_member, ref, there)]
            if here[1] is None:
                sides.reverse()  # point at a value that is written
            (m, i, (value, span, how)), (om, oi, (other, other_span, other_how)) = sides
            slow, fast = (m, om) if value > other else (om, m)
            yield RULE.at(span or name_span(i),
                          f"{titled(i, oi, om.label)} has down_timer_adverts {value}{how} on "
                          f"{m.label} but {other}{other_how} on {om.label}: as BACKUP, "
                          f"{slow.label} waits for {max(value, other)} missed adverts before it "
                          f"takes over, {fast.label} for {min(value, other)}; use one "
                          "down_timer_adverts on every director",
                          related=[Related(span=other_span or name_span(oi),
                                           note=f"{om.label} uses down_timer_adverts "
                                                f"{other}{other_how}")])
