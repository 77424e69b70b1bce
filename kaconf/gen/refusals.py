"""What a well-shaped cluster description must still not ask for: settings keepalived would
truncate, ignore or reject, and pairs that lint would flag. One problem per line, each
starting with the key path it concerns.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence

from kaconf.gen.description import Description, MiscCheck, Service
from kaconf.rules.ka402_weak_auth_pass import MIN_LENGTH, is_well_known

MAX_PASS = 8                 # keepalived keeps the first 8 characters (semantics V16)
MAX_PERSISTENCE = 3600       # KA310: longer persistence surprises
V3_MAX_ADVERT = 40.95


def family(address: str) -> int:
    return ipaddress.ip_address(address.partition("/")[0]).version


def refusals(desc: Description, taken: Sequence[tuple[str, int, str]] = ()) -> list[str]:
    """Every problem of `desc`; `taken` lists (interface, virtual_router_id, where) already
    used by other clusters."""
    return [*_auth(desc), *_vrrp(desc, taken), *_directors(desc), *_services(desc),
            *_realserver(desc)]


def _auth(desc: Description) -> Iterator[str]:
    pw = desc.cluster.auth_pass
    if pw is None:
        return
    if desc.cluster.version == 3:
        yield ("cluster.auth_pass: VRRP version 3 has no authentication (keepalived ignores "
               "it); remove auth_pass, or use vrrp_version = 2 with IPv4 VIPs")
    if len(pw) > MAX_PASS:
        yield (f"cluster.auth_pass: {len(pw)} characters, but keepalived uses only the first "
               f"{MAX_PASS} ('{pw[:MAX_PASS]}'); write at most {MAX_PASS}")
    elif len(pw) < MIN_LENGTH or is_well_known(pw):
        yield (f"cluster.auth_pass: '{pw}' is too short or too well known to keep this cluster "
               f"apart from others; use {MIN_LENGTH} to {MAX_PASS} random characters, or leave "
               "it out and kaconf generates one")


def _vrrp(desc: Description, taken: Sequence[tuple[str, int, str]]) -> Iterator[str]:
    c = desc.cluster
    first = c.vips[0].version
    seen: dict[str, int] = {}
    for i, vip in enumerate(c.vips):
        if vip.version != first:
            yield (f"cluster.vips[{i}]: {vip.address} is IPv{vip.version} but the first VIP is "
                   f"IPv{first}; keepalived drops VIPs of the other family (one cluster per "
                   "family)")
        if vip.ip in seen:
            yield f"cluster.vips[{i}]: {vip.ip} is already cluster.vips[{seen[vip.ip]}]"
        seen.setdefault(vip.ip, i)
    if first == 6 and c.vrrp_version == 2:
        yield "cluster.vrrp_version: VRRP version 2 carries IPv4 only; IPv6 VIPs need 3"
    if c.version == 2 and c.advert_int != int(c.advert_int):
        yield (f"cluster.advert_int: VRRP version 2 counts whole seconds (keepalived rounds "
               f"{c.advert_int}); use an integer, or vrrp_version = 3")
    if c.version == 3 and (c.advert_int > V3_MAX_ADVERT or round(c.advert_int * 100, 6) % 1):
        yield (f"cluster.advert_int: VRRP version 3 takes 0.01 to {V3_MAX_ADVERT} seconds in "
               f"steps of 0.01 (got {c.advert_int})")
    interfaces = {d.interface or c.interface for d in desc.directors}
    for iface, vrid, where in taken:
        if vrid == c.virtual_router_id and iface in interfaces:
            yield (f"cluster.virtual_router_id: {vrid} is already used on {iface} by {where}; "
                   "pick another id (1-255)")
    names = [t.name for t in c.track_scripts]
    for i, name in enumerate(names):
        if names.index(name) != i:
            yield f"cluster.track_scripts[{i}].name: '{name}' is already track_scripts[" \
                  f"{names.index(name)}]"


def _directors(desc: Description) -> Iterator[str]:
    names: dict[str, int] = {}
    addresses: dict[str, int] = {}
    vips = {v.ip for v in desc.cluster.vips}
    for i, d in enumerate(desc.directors):
        if d.name in names:
            yield f"directors[{i}].name: '{d.name}' is already directors[{names[d.name]}]"
        if d.address in addresses:
            yield (f"directors[{i}].address: {d.address} is already directors["
                   f"{addresses[d.address]}]'s")
        if d.address in vips:
            yield (f"directors[{i}].address: {d.address} is a VIP; a director needs an address "
                   "of its own")
        names.setdefault(d.name, i)
        addresses.setdefault(d.address, i)
        if desc.cluster.unicast and family(d.address) != desc.cluster.vips[0].version:
            what = ("an IPv6 cluster with unicast needs an IPv6 source address"
                    if desc.cluster.vips[0].version == 6 else
                    "an IPv4 cluster with unicast needs an IPv4 source address")
            yield (f"directors[{i}].address: {d.address} cannot be the unicast_src_ip: {what} "
                   "on every director")


def _services(desc: Description) -> Iterator[str]:
    vips = {v.ip for v in desc.cluster.vips}
    directors = {d.address for d in desc.directors}
    seen: dict[tuple[str, int, str], int] = {}
    for i, s in enumerate(desc.services):
        where = f"services[{i}]"
        if s.vip not in vips:
            yield (f"{where}.vip: {s.vip} is not one of cluster.vips ({', '.join(sorted(vips))}); "
                   "a virtual server must be on an address that moves with the MASTER")
        key = (s.vip, s.port, s.protocol)
        if key in seen:
            yield f"{where}: {s.vip} {s.port} {s.protocol} is already services[{seen[key]}]"
        seen.setdefault(key, i)
        if s.persistence_timeout is not None and s.persistence_timeout > MAX_PERSISTENCE:
            yield (f"{where}.persistence_timeout: {s.persistence_timeout} s keeps clients on one "
                   f"server for hours; use at most {MAX_PERSISTENCE}")
        name, timeout = (("misc_timeout", s.check.misc_timeout) if isinstance(s.check, MiscCheck)
                         else ("connect_timeout", s.check.connect_timeout))
        if timeout is not None and timeout >= s.delay_loop:
            yield (f"{where}.check.{name}: {timeout} s is not below delay_loop {s.delay_loop} s;"
                   " a hung server would stretch every check past the interval")
        if all(r.weight == 0 for r in s.real_servers):
            yield f"{where}.real_servers: every weight is 0, so no server gets traffic"
        yield from _real_servers(s, where, vips | directors)


def _real_servers(s: Service, where: str, taken: set[str]) -> Iterator[str]:
    seen: dict[tuple[str, int], int] = {}
    for j, r in enumerate(s.real_servers):
        at = f"{where}.real_servers[{j}]"
        port = r.port or s.port
        if (r.address, port) in seen:
            yield f"{at}: {r.address} port {port} is already real_servers[{seen[r.address, port]}]"
        seen.setdefault((r.address, port), j)
        if r.address in taken:
            yield f"{at}.address: {r.address} is a VIP or a director, not a real server"
        if s.lb_kind != "NAT" and r.port is not None and r.port != s.port:
            yield (f"{at}.port: {s.lb_kind} forwards packets unchanged, so the real server "
                   f"receives port {s.port}, not {r.port}; leave the port out or use lb_kind NAT")
        if s.lb_kind != "TUN" and family(r.address) != family(s.vip):
            yield (f"{at}.address: IPv{family(r.address)} real server behind an IPv"
                   f"{family(s.vip)} VIP; keepalived skips it (only TUN may mix families)")
    if s.sorry_server is not None:
        if family(s.sorry_server.address) != family(s.vip):
            yield (f"{where}.sorry_server.address: not the VIP's address family; keepalived "
                   "skips it")
        if s.lb_kind != "NAT" and s.sorry_server.port not in (None, s.port):
            yield (f"{where}.sorry_server.port: {s.lb_kind} keeps the port, so the sorry "
                   f"server receives port {s.port}; leave the port out")


def _realserver(desc: Description) -> Iterator[str]:
    nat = [i for i, s in enumerate(desc.services) if s.lb_kind == "NAT"]
    gateway = desc.realserver.gateway
    vips = {v.ip for v in desc.cluster.vips}
    if nat and gateway is None:
        yield (f"realserver.gateway: services[{nat[0]}] uses NAT, so its real servers must "
               "send replies through the directors: give the director-side VIP they route "
               "through")
    if gateway is not None and gateway not in vips:
        yield (f"realserver.gateway: {gateway} is not one of cluster.vips; the real servers' "
               "gateway must move with the MASTER")
