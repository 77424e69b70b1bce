"""nopreempt or preempt_delay on an instance that starts as MASTER or has priority 255.

## Why it matters
Both settings only mean something for a router that starts as BACKUP: they stop it (for a
while) from taking the VIP back. keepalived clears them on an instance whose initial state
is MASTER (`nopreempt will not work with initial state MASTER - clearing`) and clears
nopreempt on the address owner, priority 255 (`nopreempt is incompatible with priority
255`); `state MASTER` without a priority is priority 255. The director then preempts after
all, and the VIP moves back as soon as it returns.

For "no automatic failback", write `state BACKUP` and a priority below 255 on every
director, with nopreempt on each.

## Bad
    vrrp_instance VI_1 {
        state MASTER
        interface eth0
        virtual_router_id 51
        priority 150
        nopreempt
    }

## Good
    vrrp_instance VI_1 {
        state BACKUP
        interface eth0
        virtual_router_id 51
        priority 150
        nopreempt
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config, VrrpInstance
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import OWNER, initial_state, keyword_span, priority

RULE = Rule(code="KA202", name="nopreempt-with-master", severity=Severity.WARNING,
            summary="nopreempt or preempt_delay that keepalived clears (MASTER or priority 255)",
            explanation=__doc__ or "")


def why_master(inst: VrrpInstance) -> Related:
    if inst.has("state"):
        return Related(span=inst.arg_span("state"), note=f"state {inst.state} here")
    return Related(span=inst.arg_span("priority"), note="priority 255 without state starts "
                   "as MASTER")


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        owner = priority(inst) == OWNER
        master = initial_state(config, inst) == "MASTER"
        if inst.nopreempt and owner:
            where = inst.arg_span("priority" if inst.priority == OWNER else "state")
            yield RULE.at(keyword_span(inst, "nopreempt"),
                          f"nopreempt on {inst.name} does nothing: it has priority 255 (address "
                          "owner), which always preempts, so keepalived clears it: use state "
                          "BACKUP and a priority below 255",
                          related=[Related(span=where, note="priority 255 comes from here")])
        elif inst.nopreempt and master:
            yield RULE.at(keyword_span(inst, "nopreempt"),
                          f"nopreempt on {inst.name} does nothing: it starts as MASTER, and "
                          "keepalived clears nopreempt; write state BACKUP on every director",
                          related=[why_master(inst)])
        if inst.preempt_delay and master:
            yield RULE.at(inst.arg_span("preempt_delay"),
                          f"preempt_delay {inst.preempt_delay:g} on {inst.name} does nothing: it "
                          "starts as MASTER, and keepalived clears it; write state BACKUP to "
                          "delay preemption", related=[why_master(inst)])
