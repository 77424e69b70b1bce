"""IPv4 and IPv6 mixed where keepalived needs one family: a VIP list, or a virtual server
and its real or sorry servers.

## Why it matters
The first address of `virtual_ipaddress` decides the instance's family; keepalived drops
every VIP of the other family (`address family must match VRRP instance ... - ignoring`), so
that address never comes up. Put it in `virtual_ipaddress_excluded` or in an instance of its
own. Likewise a real server (or sorry server) of the other family than its virtual server is
skipped (`Address family of virtual server and real server ... don't match`), unless it is
reached by tunnelling (`lvs_method TUN`).

## Bad
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
            2001:db8::10/64
        }
    }

## Good
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        virtual_ipaddress {
            192.0.2.10/24
        }
        virtual_ipaddress_excluded {
            2001:db8::10/64
        }
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from kaconf.diagnostics import Diagnostic, Related
from kaconf.model import Config, ModelNode, RealServer, VirtualServer, effective
from kaconf.rules.base import Rule
from kaconf.rules.ka2_vrrp import name_span
from kaconf.rules.ka3xx_lvs import ip_version

RULE = Rule(code="KA209", name="mixed-address-family",
            summary="IPv4 and IPv6 mixed in one VIP list or between a virtual and real server",
            explanation=__doc__ or "")
METHOD = {"real_server": "lvs_method", "sorry_server": "sorry_server_lvs_method"}
NAMES = {4: "IPv4", 6: "IPv6", "inet": "IPv4", "inet6": "IPv6"}


def family(text: str | None) -> int | None:
    return ip_version((text or "").split("/")[0])


def servers(vs: VirtualServer) -> Iterator[tuple[str, ModelNode, str]]:
    """(kind, node, address) of the real servers and the sorry server."""
    for rs in vs.real_servers:
        yield "real_server", rs, rs.address
    if vs.sorry_server is not None:
        yield "sorry_server", vs.sorry_server, vs.sorry_server.address


def method(vs: VirtualServer, server: ModelNode) -> str | None:
    """The forwarding method in force for a real server or the sorry server."""
    if isinstance(server, RealServer):
        return effective.rs_method_value(vs, server)
    own = next((d.args[0] for d in vs.other
                if d.keyword == "sorry_server_lvs_method" and d.args), None)
    return own or effective.lvs_method(vs).value


def check(config: Config) -> Iterator[Diagnostic]:
    for inst in config.vrrp_instances:
        first = next((v for v in inst.virtual_ipaddress if v.family), None)
        for vip in inst.virtual_ipaddress:
            if first is not None and vip.family and vip.family != first.family:
                yield RULE.at(vip.span,
                              f"VIP {vip.text} of {inst.name} is {NAMES[vip.family]} but the "
                              f"first VIP {first.text} makes the instance {NAMES[first.family]}; "
                              "keepalived drops it, so it never comes up: move it to "
                              "virtual_ipaddress_excluded or to an instance of its own family",
                              related=[Related(span=first.span, note="decides the family")])
    for vs in config.virtual_servers:
        # without a colon it is no IPv6 address: IPv4 or not an address, so a virtual server
        # whose addresses have none mixes nothing (its own family is not asked)
        for rs in vs.real_servers:
            if ":" in (rs.address or ""):
                break
        else:
            if ":" not in (vs.address or "") and (vs.sorry_server is None
                                                  or ":" not in (vs.sorry_server.address or "")):
                continue
        vs_family = family(vs.address)
        if vs_family is None:
            continue  # fwmark and group virtual servers take their family elsewhere
        for kind, node, addr in servers(vs):
            if vs_family == 4 and ":" not in (addr or ""):
                continue
            rs_family = family(addr)
            if rs_family is None or rs_family == vs_family or method(vs, node) == "TUN":
                continue
            yield RULE.at(name_span(node),
                          f"{kind} {addr} is {NAMES[rs_family]} but virtual_server "
                          f"{vs.address} is {NAMES[vs_family]}; keepalived skips it: use an "
                          f"{NAMES[vs_family]} address, or tunnel to it ({METHOD[kind]} TUN)",
                          related=[Related(span=name_span(vs), note="the virtual server")])
