"""In DR or TUN mode, a real_server port that differs from its virtual_server's port.

## Why it matters
Direct routing and tunnelling forward packets unchanged: a real server receives them on the
virtual server's port, whatever port the config names. keepalived resets the real server's
port to the virtual server's (`ports don't match - resetting`), while its checkers, set up
before the reset, keep testing the port written: traffic and health checks disagree. Under a
fwmark virtual_server a DR/TUN real server takes no port at all and keepalived clears it
(`has port specified - clearing`); under a virtual_server_group the port must equal each
address entry's port. The method in force is the real_server's own lvs_method, else its
virtual_server's; NAT rewrites ports and is not concerned.

## Bad
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 8080 {
        }
    }

## Good
    virtual_server 192.0.2.100 80 {
        lvs_method DR
        real_server 192.0.2.11 80 {
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, RealServer, VirtualServer, VirtualServerGroup
from kaconf.rules.base import Rule
from kaconf.rules.ka3xx_lvs import method_in_force

RULE = Rule(code="KA302", name="dr-port-mismatch",
            summary="DR/TUN real_server port that differs from the virtual_server port",
            explanation=__doc__ or "")


def check(config: Config) -> Iterator[Diagnostic]:
    groups = {g.name: g for g in config.virtual_server_groups}
    for vs in config.virtual_servers:
        group = groups.get(vs.group or "")
        # a virtual server of one address and port: a real server on that port is passed
        # over here, as mismatch() would pass it
        plain = vs.fwmark is None and vs.group is None and vs.port is not None
        for rs in vs.real_servers:
            if rs.port and not (plain and rs.port == vs.port):
                found = mismatch(vs, rs, group)
                if found is not None:
                    yield found


def mismatch(vs: VirtualServer, rs: RealServer,
             group: VirtualServerGroup | None) -> Diagnostic | None:
    """The finding on a real server whose port disagrees with its virtual server's in DR/TUN
    mode (the method in force is only looked up when the ports disagree)."""
    entry = None
    if vs.fwmark is None:
        if group is not None:
            entry = next((e for e in group.entries if e.address and (e.port or 0) != rs.port),
                         None)
            if entry is None:
                return None
        elif vs.group is not None or (vs.port is None and vs.head_words() > 1):
            return None  # an undefined group or an invalid port is another rule's finding
        elif rs.port == (vs.port or 0):
            return None
    method, method_span = method_in_force(vs, rs)
    if method not in ("DR", "TUN"):
        return None
    port_span = rs.head_span(1)
    related = [Related(span=method_span, note=f"lvs_method {method}")] if method_span else []
    if vs.fwmark is not None:
        return RULE.at(port_span, f"real_server '{rs.address}' has port '{rs.port}' under fwmark "
                       f"virtual_server {vs.fwmark} in {method} mode, where keepalived clears it; "
                       f"drop the port and give its checker connect_port {rs.port}",
                       related=related)
    if group is not None and entry is not None:
        return RULE.at(port_span, f"real_server port '{rs.port}' differs from port "
                       f"'{entry.port or 0}' of virtual_server_group {group.name} entry "
                       f"'{entry.address}' in {method} mode, where packets keep their port; "
                       "give the entries and the real_server one port",
                       related=[Related(span=entry.span, note="group entry"), *related])
    vs_port = vs.port or 0
    note = ("virtual_server port" if vs.head_words() > 1 or vs.port is not None
            else "virtual_server without a port")
    return RULE.at(port_span, f"real_server port '{rs.port}' differs from virtual_server "
                   f"port '{vs_port}' in {method} mode, where packets keep their port; "
                   f"keepalived resets it to {vs_port} but checkers without connect_port "
                   f"test {rs.port}: write {vs_port}, or use lvs_method NAT to map ports",
                   related=[Related(span=vs.head_span(max(vs.head_words() - 1, 0)),
                                    note=note), *related])
