"""A real_server without any health checker block.

## Why it matters
keepalived removes a real server from IPVS (or sets its weight to 0 with
inhibit_on_failure) only when one of its checkers fails. A real_server with no TCP_CHECK,
HTTP_GET, SSL_GET, MISC_CHECK, ... is never checked: when the host dies, IPVS keeps sending
it its share of new connections, and those clients hang.

## Bad
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
            weight 1
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
            weight 1
            TCP_CHECK {
                connect_timeout 3
            }
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA306", name="no-health-check", severity=Severity.WARNING,
            summary="real_server without a checker, never removed when it dies",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        for rs in vs.real_servers:
            if rs.checkers:
                continue
            written = (" ".join(a.value for a in rs.node.args) if rs.node is not None
                       else " ".join([rs.address, *([str(rs.port)] if rs.port else [])]))
            yield RULE.at(rs.head_span(),
                          f"real_server '{written}' of "
                          f"virtual_server {vs.label} has no health checker, so it keeps "
                          "receiving traffic when it dies; add a TCP_CHECK (or HTTP_GET, "
                          "MISC_CHECK, ...) block")
