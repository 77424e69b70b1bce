"""A virtual_server without any real_server.

## Why it matters
keepalived drops a virtual_server that has no real server (`has no real servers -
ignoring`): the service never reaches IPVS and clients get nothing.

A sorry_server does not save it: keepalived 2.2.7 drops a block holding only a sorry_server
just the same, and the sorry page is never served. That case is reported as a warning, not
an error, because it is the shape of a pool emptied on purpose (real servers away for
maintenance, sorry page kept) rather than of a forgotten pool; keep one real_server, which
may be the sorry host itself, to have the page served. With neither, it is an error.

## Bad
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        protocol TCP
    }

## Good
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        protocol TCP
        real_server 192.0.2.11 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA305", name="empty-pool",
            summary="virtual_server without any real_server, which keepalived drops",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        # what the block wrote (its node's keywords; a real_server keepalived skips is
        # reported where it is written)
        if vs.node is None or "real_server" in vs.written:
            continue
        sorry = vs.sorry_server
        if sorry is None:
            yield RULE.at(vs.span, f"virtual_server {vs.label} has no real_server, so keepalived "
                          "drops it; add the real_server blocks or remove the virtual_server")
            continue
        yield RULE.at(vs.span, f"virtual_server {vs.label} has only a sorry_server "
                      f"'{sorry.address}'; keepalived 2.2.7 drops it all the same, so the "
                      "sorry page is never served: add a real_server (it may be the sorry "
                      "host itself)", severity=Severity.WARNING,
                      related=[Related(span=sorry.node.args_span if sorry.node else sorry.span,
                                       note="the only server of this block")])
