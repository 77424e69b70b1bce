"""A checker with no port to connect to: the real_server has no port and neither has the
checker.

## Why it matters
A real_server written without a port (as it must be under a `fwmark` virtual_server, and as
many DR configs write it) leaves TCP_CHECK, HTTP_GET, SSL_GET and UDP_CHECK nothing to
connect to: keepalived connects to port 0, every check fails, and the server is taken out of
the pool for good, while `keepalived -t` says nothing (seen with keepalived 2.2.7 and a
real IPVS table). Give the checker a `connect_port`.

## Bad
    virtual_server fwmark 80 {
        lvs_method DR
        real_server 192.0.2.11 {
            TCP_CHECK {
                connect_timeout 3
            }
        }
    }

## Good
    virtual_server fwmark 80 {
        lvs_method DR
        real_server 192.0.2.11 {
            TCP_CHECK {
                connect_port 80
                connect_timeout 3
            }
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA312", name="check-port-zero",
            summary="checker with no connect_port under a real_server without a port",
            explanation=__doc__ or "")
CONNECTING = ("TCP_CHECK", "HTTP_GET", "SSL_GET", "UDP_CHECK")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        for rs in vs.real_servers:
            if rs.port is not None or rs.head_words() > 1:
                continue   # a written port, valid or not (KA106/KA107 judge it)
            for chk in rs.checkers:
                if chk.type not in CONNECTING or chk.has("connect_port"):
                    continue
                yield RULE.at(chk.span, f"{chk.type} of real_server {rs.address} has no port to "
                                        "connect to (the real_server has none and there is no "
                                        "connect_port): keepalived checks port 0, which always "
                                        "fails; add connect_port",
                              related=[Related(span=rs.head_span(),
                                               note="real_server without a port")])
