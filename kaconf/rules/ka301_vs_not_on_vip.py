"""A virtual_server address that no vrrp_instance of the file carries as a VIP.

## Why it matters
Clients reach a virtual service only on the director that holds its address. In a file that
runs VRRP, that address should move with the master: listed in some instance's
virtual_ipaddress (or virtual_ipaddress_excluded). An address no instance carries is a typo,
a VIP removed from the instance, or an address that lives on no director at all, and
keepalived does not check it (with ha_suspend it even suspends the checkers for good).

The rule stays quiet in a file without any vrrp_instance: a checker-only director, whose
addresses come from elsewhere, is a deliberate design. Addresses of static_ipaddress count
as carried. Entries of a virtual_server_group are checked address by address.

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.100/24
        }
    }
    virtual_server 192.0.2.110 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.100/24
        }
    }
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related, Severity
from kaconf.model import Config
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import expand, normalise, vips

RULE = Rule(code="KA301", name="vs-not-on-vip", severity=Severity.WARNING,
            summary="virtual_server address that no vrrp_instance carries as a VIP",
            explanation=__doc__ or "")


def carried(config: Config) -> set[str]:
    static = [line.keyword for d in config.other if d.keyword == "static_ipaddress"
              for line in d.block or []]
    return set(vips(config)) | {a for a in map(normalise, static) if a}


HINT = "add it to a vrrp_instance's virtual_ipaddress or fix the address"


def check(config: Config) -> Iterator[Diagnostic]:
    if not config.vrrp_instances:
        return
    local = carried(config)
    for vs in config.virtual_servers:
        address = normalise(vs.address) if vs.address else None
        if address is None or address in local:
            continue
        yield RULE.at(vs.head_span(0), f"virtual_server address '{vs.address}' is not a "
                      f"VIP of any vrrp_instance in this file; {HINT}")
    yield from group_entries(config, local)


def group_entries(config: Config, local: set[str]) -> Iterator[Diagnostic]:
    """Entries of the groups some virtual_server uses, checked address by address."""
    users = {vs.group: vs for vs in reversed(config.virtual_servers) if vs.group}
    for group in config.virtual_server_groups:
        user = users.get(group.name)
        if user is None:
            continue  # an unused group configures nothing
        for entry in group.entries:
            missing = [a for a in expand(entry.address or "") or [] if a not in local]
            if not missing:
                continue
            which = (f"'{missing[0]}' and {len(missing) - 1} more are" if len(missing) > 1
                     else f"'{missing[0]}' is")
            yield RULE.at(entry.span, f"virtual_server_group {group.name} entry "
                          f"'{entry.address}': {which} not a VIP of any vrrp_instance in this "
                          f"file; {HINT}",
                          related=[Related(span=user.head_span(max(user.head_words() - 1, 0)),
                                           note=f"used by virtual_server group {group.name}")])
