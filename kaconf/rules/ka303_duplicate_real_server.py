"""The same real_server address and port twice in one virtual_server.

## Why it matters
keepalived keeps the first and drops the second (`real server ... is duplicated - removing
second rs`), with its weight and checkers: whatever differed between the two blocks is lost.
A real_server written without a port takes the virtual_server's port, so `192.0.2.11` and
`192.0.2.11 80` under port 80 are one server too (the second then fails when keepalived adds
it to IPVS). Usually one of the two was meant to be another host.

## Bad
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
        real_server 192.0.2.11 80 {
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
        real_server 192.0.2.12 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, RealServer
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import normalise

RULE = Rule(code="KA303", name="duplicate-real-server",
            summary="the same real_server address and port twice in one virtual_server",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    for vs in config.virtual_servers:
        default_port = vs.port if vs.fwmark is None and vs.group is None else None
        first: dict[tuple[str, int | None], RealServer] = {}
        for rs in vs.real_servers:
            if rs.port is None and rs.head_words() > 1:
                continue  # an invalid port is the keyword checks' finding
            address = rs.address
            if "/" in address or "-" in address or ":" in address:   # ka3xx_lvs.SUFFIX_OR_IPV6
                address = normalise(address) or address
            key = (address, rs.port or default_port)
            other = first.setdefault(key, rs)
            if other is rs:
                continue
            shown = rs.address + (f" {key[1]}" if key[1] is not None else "")
            yield RULE.at(rs.head_span(),
                          f"real_server '{shown}' is already defined in virtual_server "
                          f"{vs.label}; only the first block is used, so remove this one or "
                          "correct its address",
                          related=[Related(span=other.head_span(), note="first defined here")])
