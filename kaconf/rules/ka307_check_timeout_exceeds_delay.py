"""A checker whose timeout is at or above the delay_loop between its checks.

## Why it matters
A checker waits up to connect_timeout (MISC_CHECK: misc_timeout) for an answer before it
counts a failure, and runs again delay_loop seconds later. A timeout at or above the delay
means a hung real server stretches every check past the interval the operator chose:
failures are seen much later than delay_loop promises, and checks run back to back.
keepalived does not check this.

The delay_loop in force is the checker's own, else its real_server's, else its
virtual_server's, else keepalived's default of 60 s; connect_timeout is inherited the same
way (default 5 s).

## Bad
    virtual_server 192.0.2.100 80 {
        delay_loop 5
        real_server 192.0.2.11 80 {
            TCP_CHECK {
                connect_timeout 10
            }
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        delay_loop 5
        real_server 192.0.2.11 80 {
            TCP_CHECK {
                connect_timeout 3
            }
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Checker, Config, ModelNode, RealServer, VirtualServer, effective
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import seconds
from kaconf.source import Span

RULE = Rule(code="KA307", name="check-timeout-exceeds-delay", severity=Severity.WARNING,
            summary="checker timeout at or above the delay_loop between checks",
            explanation=__doc__ or "")

NO_CONNECTION = ("FILE_CHECK", "BFD_CHECK")  # these open no connection and wait for nothing


def timeout_of(chk: Checker, rs: RealServer, vs: VirtualServer
               ) -> tuple[str, float, ModelNode] | None:
    """The checker's timeout, and the block that sets it: misc_timeout of a MISC_CHECK, else
    the first connect_timeout along checker -> real_server -> virtual_server."""
    kind = chk.type
    if kind == "MISC_CHECK":
        value = seconds(chk, "misc_timeout")
        return None if value is None else ("misc_timeout", value, chk)
    if kind in NO_CONNECTION:
        return None
    for block in (chk, rs, vs):
        value = seconds(block, "connect_timeout")
        if value is not None:
            return "connect_timeout", value, block
    return None


def check(config: Config) -> Iterator[Diagnostic]:
    seen: set[Span] = set()
    for vs in config.virtual_servers:
        for rs in vs.real_servers:
            for chk in rs.checkers:
                found = timeout_of(chk, rs, vs)
                if found is None:
                    continue
                keyword, value, block = found
                if value < effective.delay_loop_value(chk, rs, vs):
                    continue
                delay = effective.delay_loop(chk, rs, vs)
                limit = delay.value
                span = block.arg_span(keyword)
                if span in seen:
                    continue  # a timeout inherited by many checkers is reported once
                seen.add(span)
                where = (f"the delay_loop {limit:g}" if delay.span else
                         f"keepalived's default delay_loop of {limit:g} s")
                related = ([Related(span=delay.span, note="delay_loop in force")] if delay.span
                           else [Related(span=vs.span, note="no delay_loop in this block")])
                yield RULE.at(span, f"{keyword} '{value:g}' of the {chk.type} on real_server "
                              f"'{rs.address}' is not below {where}, so a hung server "
                              f"stretches every check past the interval; lower {keyword} below it",
                              related=related)
