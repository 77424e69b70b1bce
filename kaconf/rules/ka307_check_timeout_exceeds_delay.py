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
from kaconf.model import Config, ModelNode, effective
from kaconf.model.effective import DELAY_LOOP
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import seconds
from kaconf.source import Span

RULE = Rule(code="KA307", name="check-timeout-exceeds-delay", severity=Severity.WARNING,
            summary="checker timeout at or above the delay_loop between checks",
            explanation=__doc__ or "")

NO_CONNECTION = ("FILE_CHECK", "BFD_CHECK")  # these open no connection and wait for nothing


def check(config: Config) -> Iterator[Diagnostic]:
    # the delay_loop a real server's checkers inherit is found once a real server (the
    # first along real_server -> virtual_server), and the connect_timeout they inherit only
    # for a checker that sets none
    seen: set[Span] = set()
    for vs in config.virtual_servers:
        vs_timeout = seconds(vs, "connect_timeout")
        for rs in vs.real_servers:
            if not rs.checkers:
                continue
            delay_set = rs.delay_loop if rs.delay_loop is not None else vs.delay_loop
            rs_delay = DELAY_LOOP if delay_set is None else float(delay_set)
            for chk in rs.checkers:
                # the checker's timeout and the block that sets it: misc_timeout of a
                # MISC_CHECK, else the first connect_timeout along chk -> rs -> vs
                kind = chk.type
                block: ModelNode = chk
                if kind == "MISC_CHECK":
                    keyword = "misc_timeout"
                    value = seconds(chk, keyword)
                elif kind in NO_CONNECTION:
                    continue
                else:
                    keyword = "connect_timeout"
                    value = chk.connect_timeout
                    if value is not None:   # seconds() without its call for a float
                        value = value if type(value) is float else seconds(chk, keyword)
                    if value is None:
                        value = seconds(rs, keyword)
                        block = rs
                        if value is None:
                            value, block = vs_timeout, vs
                if value is None or value < (rs_delay if chk.delay_loop is None
                                             else float(chk.delay_loop)):
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
