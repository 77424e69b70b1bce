"""Every real_server of a virtual_server has weight 0.

## Why it matters
IPVS sends no new connection to a real server of weight 0: that is how one server is
drained. When every server of a virtual_server has weight 0, the service accepts no new
traffic at all; and since keepalived then lowers the quorum to the total weight, 0, the
sorry_server never takes over either. A real_server without
`weight` takes the virtual_server's weight (default 1) and is not concerned.

## Bad
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
            weight 0
        }
        real_server 192.0.2.12 80 {
            weight 0
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
            weight 1
        }
        real_server 192.0.2.12 80 {
            weight 0
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA308", name="all-weights-zero", severity=Severity.WARNING,
            summary="every real_server of a virtual_server has weight 0",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        pool = vs.real_servers
        if not pool or pool[0].weight != 0 or any(rs.weight != 0 for rs in pool):
            continue
        first, rest = pool[0], pool[1:]
        count = "its only real_server has" if not rest else f"all {len(pool)} real_servers have"
        yield RULE.at(first.arg_span("weight"),
                      f"{count} weight '0' in virtual_server {vs.label}, so it accepts no new "
                      "connection; give at least one real_server a weight above 0",
                      related=[Related(span=rs.arg_span("weight"), note="weight 0 here too")
                               for rs in rest])
