"""The IPVS table and VIPs a configuration asks for, read through the model's effective values.

One `ExpectedService` per IPVS service keepalived creates (a virtual_server_group entry, and
every address of its range, is a service of its own), with the spans to point at when the live
table differs, and what health checks may legitimately change: a checked real server may be
absent (or at weight 0 under inhibit_on_failure), and the sorry server appears when the pool is
empty.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from kaconf.model import effective
from kaconf.model.config import Config
from kaconf.model.lvs import RealServer, VirtualServer, VirtualServerGroup, VsgEntry
from kaconf.model.vrrp import VipAddress, VrrpInstance
from kaconf.source import Span
from kaconf.verify.checkdata import VsName, vs_name_of_vip
from kaconf.verify.ipvsadm import Forward, IpAddress, Protocol, ServiceKey, parse_address

FORWARD = {"NAT": Forward.MASQ, "DR": Forward.ROUTE, "TUN": Forward.TUNNEL}
# scheduler flag keywords -> the IPVS flag bit they set (ipvsadm prints each bit under the
# scheduler's own name: sh-fallback, mh-fallback and flag-1 are one bit)
SCHED_FLAGS = {"sh-fallback": 1, "mh-fallback": 1, "flag-1": 1, "sh-port": 2, "mh-port": 2,
               "flag-2": 2, "flag-3": 3}
HOST_MASKS = ("255.255.255.255", "128", "/128", "/32")
MAX_RANGE = 65536   # addresses one virtual_server_group entry may expand to


@dataclass(frozen=True, slots=True)
class ExpectedReal:
    address: IpAddress
    port: int
    forward: Forward
    weight: int
    span: Span               # the real_server's address and port
    weight_span: Span        # where the weight was decided (the block when keepalived's default)
    method_span: Span
    checked: bool            # has a health checker: a failed check removes it
    inhibit: bool            # inhibit_on_failure: a failed check sets weight 0 instead

    @property
    def endpoint(self) -> tuple[IpAddress, int]:
        return (self.address, self.port)


@dataclass(frozen=True, slots=True)
class ExpectedService:
    key: ServiceKey
    check_name: VsName       # how keepalived's check data names the virtual server
    label: str               # as the configuration says it (10.0.0.1:80, fwmark 7, group G)
    scheduler: str
    flags: frozenset[int]
    persistence: int | None
    netmask: str | None      # None: one address (host mask)
    ops: bool
    reals: tuple[ExpectedReal, ...]
    sorry: ExpectedReal | None
    span: Span
    scheduler_span: Span
    persistence_span: Span


@dataclass(frozen=True, slots=True)
class ExpectedVip:
    address: IpAddress
    instance: str
    state: str               # MASTER or BACKUP, as keepalived starts the instance
    priority: int
    span: Span


@dataclass(frozen=True, slots=True)
class ExpectedState:
    file: str
    services: dict[ServiceKey, ExpectedService] = field(default_factory=dict)
    vips: tuple[ExpectedVip, ...] = ()


def expected_state(config: Config) -> ExpectedState:
    """What keepalived programs for `config`: services keyed like the live table, and VIPs."""
    groups = {g.name: g for g in config.virtual_server_groups}
    services: dict[ServiceKey, ExpectedService] = {}
    for vs in config.virtual_servers:
        for service in _services_of(vs, groups):
            services.setdefault(service.key, service)   # keepalived keeps the first
    return ExpectedState(config.file, services, tuple(_vips(config)))


def _head(model: VirtualServer | RealServer) -> Span:
    return model.node.args_span if model.node is not None else model.span


def _services_of(vs: VirtualServer,
                 groups: dict[str, VirtualServerGroup]) -> list[ExpectedService]:
    if vs.group is not None:
        group = groups.get(vs.group)
        out = []
        for entry in group.entries if group is not None else []:
            for key in _entry_keys(vs, entry):
                out.append(_service(vs, key, f"group {vs.group}", entry.span, f"group {vs.group}"))
        return out
    if vs.fwmark is not None:
        key = ServiceKey(Protocol.FWM, _fwmark_family(vs), None, 0, vs.fwmark)
        return [_service(vs, key, f"fwmark {vs.fwmark}", _head(vs), f"fwmark {vs.fwmark}")]
    address = _address(vs.address)
    if address is None:
        return []   # an invalid address is a lint finding; keepalived drops the block
    proto = Protocol(effective.protocol(vs).value)
    key = ServiceKey(proto, address.version, address, vs.port or 0)
    return [_service(vs, key, vs_name_of_vip(address, vs.port or 0, proto.value), _head(vs),
                     vs.label)]


def _fwmark_family(vs: VirtualServer) -> int:
    """keepalived gives a fwmark service the family of its real servers."""
    for rs in vs.real_servers:
        address = _address(rs.address)
        if address is not None:
            return address.version
    return 4


def _entry_keys(vs: VirtualServer, entry: VsgEntry) -> list[ServiceKey]:
    if entry.fwmark is not None:
        family = 6 if "inet6" in entry.options else 4 if "inet" in entry.options \
            else _fwmark_family(vs)
        return [ServiceKey(Protocol.FWM, family, None, 0, entry.fwmark)]
    proto = Protocol(effective.protocol(vs).value)
    return [ServiceKey(proto, a.version, a, entry.port or 0)
            for a in expand_range(entry.address or "")]


def expand_range(text: str) -> list[IpAddress]:
    """`10.0.0.1-10` (the last byte, or for IPv6 the last group, runs to 10), `10.0.0.0/30`,
    or one address; empty when keepalived would skip the entry."""
    try:
        if "/" in text:
            net = ipaddress.ip_network(text, strict=True)
            return list(net) if net.num_addresses <= MAX_RANGE else []
        if "-" not in text:
            return [ipaddress.ip_address(text)]
        first_text, end = text.rsplit("-", 1)
        first = ipaddress.ip_address(first_text)
        if first.version == 4:
            last = ipaddress.ip_address(int(first) & ~0xFF | int(end))
        else:
            last = ipaddress.ip_address(int(first) & ~0xFFFF | int(end, 16))
    except ValueError:
        return []
    if int(last) < int(first) or int(last) - int(first) >= MAX_RANGE:
        return []
    return [ipaddress.ip_address(n) for n in range(int(first), int(last) + 1)]


def _service(vs: VirtualServer, key: ServiceKey, check_name: VsName, span: Span,
             label: str) -> ExpectedService:
    sched = effective.lvs_sched(vs)
    persistence = effective.persistence(vs)
    netmask = effective.persistence_netmask(vs).value
    flags = frozenset(SCHED_FLAGS[d.keyword] for d in vs.other if d.keyword in SCHED_FLAGS)
    reals = tuple(r for rs in vs.real_servers if (r := _real(vs, rs, key)) is not None)
    return ExpectedService(
        key=key, check_name=check_name, label=label, scheduler=sched.value, flags=flags,
        persistence=persistence.value,
        netmask=None if netmask in HOST_MASKS or persistence.value is None else netmask,
        ops=effective.ops(vs).value, reals=reals, sorry=_sorry(vs, key), span=span,
        scheduler_span=sched.span or span, persistence_span=persistence.span or span)


def _real(vs: VirtualServer, rs: RealServer, key: ServiceKey) -> ExpectedReal | None:
    address = _address(rs.address)
    if address is None:
        return None
    port = effective.rs_port(vs, rs).value
    if port is None:   # no port: 0 under a fwmark, else the service's
        port = 0 if key.protocol is Protocol.FWM else key.port
    method = effective.rs_method(vs, rs)
    weight = effective.weight(vs, rs)
    head = _head(rs)
    return ExpectedReal(address, port, FORWARD[method.value], weight.value, head,
                        weight.span or head, method.span or head, bool(rs.checkers),
                        effective.inhibit_on_failure(vs, rs).value)


def _sorry(vs: VirtualServer, key: ServiceKey) -> ExpectedReal | None:
    sorry = vs.sorry_server
    address = _address(sorry.address) if sorry is not None else None
    if sorry is None or address is None:
        return None
    method = effective.lvs_method(vs)
    port = sorry.port if sorry.port is not None else key.port
    span = sorry.node.args_span if sorry.node is not None else sorry.span
    return ExpectedReal(address, port or 0, FORWARD[method.value], 1, span, span, span,
                        checked=False, inhibit=False)


def _vips(config: Config) -> list[ExpectedVip]:
    out = []
    for inst in config.vrrp_instances:
        state = effective.initial_state(config, inst).value
        priority = effective.priority(inst).value
        for vip in _instance_vips(inst):
            address = _address(vip.address)
            if address is not None:
                out.append(ExpectedVip(address, inst.name, state, priority, vip.span))
    return out


def _instance_vips(inst: VrrpInstance) -> list[VipAddress]:
    return [*inst.virtual_ipaddress, *inst.virtual_ipaddress_excluded]


def _address(text: str | None) -> IpAddress | None:
    if not text:
        return None
    try:
        return parse_address(text.split("/")[0].strip("[]"))
    except ValueError:
        return None
