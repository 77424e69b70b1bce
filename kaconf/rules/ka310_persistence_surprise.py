"""Persistence that is on, or long, without the config saying so plainly.

## Why it matters
Persistence sends every connection of a client to the real server it used last, for
persistence_timeout seconds after its last connection. Two settings surprise:

- persistence_granularity without persistence_timeout: the granularity alone turns
  persistence on, for keepalived's default of 360 s. Clients stick to one server although
  no timeout is written.
- persistence_timeout above 3600 s (one hour): a client keeps going to the same server for
  hours, so draining a server (weight 0) or rebalancing after one comes back takes as long,
  and the persistence table grows with every client seen in that time.

## Bad
    virtual_server 192.0.2.100 443 {
        lvs_method DR
        persistence_granularity 255.255.255.0
        real_server 192.0.2.11 443 {
        }
    }

## Good
    virtual_server 192.0.2.100 443 {
        lvs_method DR
        persistence_timeout 300
        persistence_granularity 255.255.255.0
        real_server 192.0.2.11 443 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule

RULE = Rule(code="KA310", name="persistence-surprise", severity=Severity.WARNING,
            summary="persistence turned on by granularity alone, or longer than an hour",
            explanation=__doc__ or "")

LONGEST = 3600


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        timeout = vs.persistence_timeout
        if vs.has("persistence_granularity") and not vs.has("persistence_timeout"):
            yield RULE.at(vs.arg_span("persistence_granularity"),
                          f"persistence_granularity '{vs.persistence_granularity}' without "
                          f"persistence_timeout turns persistence on for 360 s in virtual_server "
                          f"{vs.label}; write persistence_timeout, or drop the granularity")
        elif timeout is not None and timeout > LONGEST:
            yield RULE.at(vs.arg_span("persistence_timeout"),
                          f"persistence_timeout '{timeout}' in virtual_server {vs.label} keeps "
                          f"each client on one real_server for {timeout / 3600:.1f} h after its "
                          "last connection, so draining a server takes as long; use "
                          f"{LONGEST} or less unless that is meant")
