"""What the drill expects, read from the configurations: the directors and their addresses,
each vrrp_instance's timers and priorities, the services and their real servers' checker
timers. Every expectation comes from kaconf.model.effective; nothing here restates a default."""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kaconf.document import Document
from kaconf.drill import DrillError
from kaconf.model import effective as eff
from kaconf.model.checkers import Checker
from kaconf.model.config import Config
from kaconf.model.lvs import RealServer, VirtualServer
from kaconf.model.vrrp import VrrpInstance

LAB_PREFIX = 24          # the prefix of every lab address without one of its own
CLIENTS = 8              # client source addresses, so that persistence shows as such
_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True, slots=True)
class InstancePlan:
    """One vrrp_instance as one director runs it."""

    director: str
    name: str
    interface: str
    vips: tuple[str, ...]
    priority: int                 # as keepalived runs it
    running: int | None           # after the lab's script results; None: FAULT
    why: str                      # how `running` came about, for the report
    initial_state: str
    advert_int: float
    preempt: bool
    preempt_delay: float
    vrid: int | None = None

    @property
    def skew(self) -> float:
        """RFC 3768 / 5798: (256 - priority) / 256 of an advert interval."""
        return (256 - (self.running or self.priority)) / 256 * self.advert_int

    @property
    def master_down(self) -> float:
        """How long this BACKUP waits without adverts before it takes over."""
        return 3 * self.advert_int + self.skew


@dataclass(frozen=True, slots=True)
class ServerPlan:
    """One real server of one service, with the checker timers in force."""

    address: str
    port: int
    weight: int
    method: str
    leave_within: float        # delay_loop + connect_timeout + retry x (delay_before_retry + c_t)
    return_within: float       # delay_loop + connect_timeout
    timers: str                # the arithmetic, for the report
    inhibit: bool


@dataclass(frozen=True, slots=True)
class ServicePlan:
    vip: str
    port: int
    protocol: str
    scheduler: str
    persistence: int | None
    servers: tuple[ServerPlan, ...]

    @property
    def endpoint(self) -> str:
        return f"{self.vip}:{self.port}"


@dataclass(slots=True)
class DirectorPlan:
    name: str
    path: Path
    config_id: str | None
    address: str
    address_from: str
    interfaces: tuple[str, ...]
    instances: list[InstancePlan]
    services: list[ServicePlan]
    text: str = ""               # the configuration the lab runs (scripts replaced)


@dataclass(slots=True)
class Plan:
    directors: list[DirectorPlan]
    clients: tuple[str, ...]
    notes: list[str] = field(default_factory=list)       # what the lab replaced or left out

    def instance_names(self) -> list[str]:
        return list(dict.fromkeys(i.name for d in self.directors for i in d.instances))

    def instances(self, name: str) -> list[InstancePlan]:
        return [i for d in self.directors for i in d.instances if i.name == name]

    def services(self) -> list[ServicePlan]:
        """The services of the first director that has any (the MASTER's, as written first)."""
        return next((d.services for d in self.directors if d.services), [])

    def real_servers(self) -> dict[str, tuple[str, set[int], set[str]]]:
        """{address: (method, ports, VIPs)} over every director's services."""
        out: dict[str, tuple[str, set[int], set[str]]] = {}
        for d in self.directors:
            for s in d.services:
                for r in s.servers:
                    method, ports, vips = out.setdefault(r.address, (r.method, set(), set()))
                    ports.add(r.port)
                    vips.add(s.vip)
        return out


def director_name(path: Path, taken: Sequence[str]) -> str:
    """ds1/keepalived.conf is ds1 (gen-pair's layout), master.conf is master."""
    stem = path.parent.name if path.name == "keepalived.conf" and path.parent.name else path.stem
    name = _NAME.sub("-", stem)[:12] or "ds"
    base, n = name, 2
    while name in taken:
        name, n = f"{base[:10]}{n}", n + 1
    return name


def _tracked_priority(config: Config, inst: VrrpInstance, failing: set[str]
                      ) -> tuple[int | None, str]:
    """The priority keepalived runs with once the lab's stubs answered: a failed script of
    weight 0 is FAULT; a negative weight counts when the script fails, a positive one when it
    succeeds (reversed with `reverse`); clamped to 1..254 as keepalived does (V31)."""
    base = eff.priority(inst).value
    total, parts = base, [f"priority {base}"]
    for t in eff.tracked(config, inst):
        if t.kind != "script" or t.weight is None:
            continue
        fails = t.entry.name in failing
        if t.weight == 0:
            if fails:
                return None, f"{', '.join(parts)}; {t.entry.name} fails with weight 0: FAULT"
            continue
        counts = (fails if t.weight < 0 else not fails) != t.reverse
        if counts:
            total += t.weight
            parts.append(f"{t.entry.name} {'fails' if fails else 'succeeds'} {t.weight:+d}")
    if base == eff.OWNER:
        return base, ", ".join(parts)
    running = max(1, min(254, total))
    return running, ", ".join(parts) + (f" = {running}" if len(parts) > 1 else "")


def instance_plan(director: str, config: Config, inst: VrrpInstance,
                  failing: set[str]) -> InstancePlan:
    running, why = _tracked_priority(config, inst, failing)
    return InstancePlan(
        director=director, name=inst.name, interface=inst.interface or "eth0",
        vips=tuple(v.address for v in inst.virtual_ipaddress if v.address and v.family == "inet"),
        priority=eff.priority(inst).value, running=running, why=why,
        initial_state=eff.initial_state(config, inst).value,
        advert_int=eff.advert_int(config, inst).value,
        preempt=eff.preempt(config, inst).value,
        preempt_delay=eff.preempt_delay(config, inst).value, vrid=inst.virtual_router_id)


def _checker_timers(chk: Checker | None, rs: RealServer, vs: VirtualServer
                    ) -> tuple[float, float, str]:
    if chk is None:
        return 0.0, 0.0, "no checker: keepalived never removes it"
    loop = eff.delay_loop(chk, rs, vs).value
    timeout = eff.connect_timeout(chk, rs, vs).value
    retry = eff.retry(chk, rs, vs).value
    before = eff.delay_before_retry(chk, rs, vs).value
    leave = loop + timeout + retry * (before + timeout)
    text = (f"delay_loop {loop:g} + connect_timeout {timeout:g} + retry {retry} x "
            f"(delay_before_retry {before:g} + connect_timeout {timeout:g})")
    return leave, loop + timeout, text


def service_plans(config: Config) -> list[ServicePlan]:
    out = []
    for vs in config.virtual_servers:
        if vs.address is None or vs.port is None or vs.fwmark is not None:
            continue   # fwmark and group services need marking rules the lab does not build
        servers = []
        for rs in vs.real_servers:
            leave, back, timers = _checker_timers(rs.checkers[0] if rs.checkers else None, rs, vs)
            servers.append(ServerPlan(
                address=rs.address, port=eff.rs_port(vs, rs).value or vs.port,
                weight=eff.weight(vs, rs).value, method=eff.rs_method(vs, rs).value,
                leave_within=leave, return_within=back, timers=timers,
                inhibit=eff.inhibit_on_failure(vs, rs).value))
        out.append(ServicePlan(vip=vs.address, port=vs.port, protocol=eff.protocol(vs).value,
                               scheduler=eff.lvs_sched(vs).value,
                               persistence=eff.persistence(vs).value, servers=tuple(servers)))
    return out


def _own_address(config: Config) -> tuple[str | None, str]:
    for inst in config.vrrp_instances:
        for keyword in ("unicast_src_ip", "mcast_src_ip"):
            value = getattr(inst, keyword)
            if value and _is_v4(value):
                return value, f"{keyword} of vrrp_instance {inst.name}"
    return None, ""


def _is_v4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def _free_addresses(taken: set[str], near: str, count: int) -> list[str]:
    """`count` addresses of `near`'s /24 that nothing in the configurations uses."""
    net = ipaddress.ip_network(f"{near}/{LAB_PREFIX}", strict=False)
    hosts = [str(h) for h in net.hosts() if str(h) not in taken]
    return hosts[-count - 10:-10] if len(hosts) > count + 10 else hosts[:count]


def failing_on(director: str, specs: set[str]) -> set[str]:
    """The vrrp_scripts that fail on `director`: NAME everywhere, DIRECTOR:NAME there only."""
    return {s.rpartition(":")[2] for s in specs if s.rpartition(":")[0] in ("", director)}


def build_plan(docs: Sequence[Document], names: Sequence[str],
               addresses: dict[str, str], failing: set[str]) -> Plan:
    """The plan for directors `names` read as `docs`. Raises DrillError."""
    unknown = set(addresses) - set(names)
    if unknown:
        raise DrillError(f"--address {sorted(unknown)[0]}=...: no director of that name "
                         f"(directors: {', '.join(names)})")
    for spec in sorted(failing):
        who, _, script = spec.rpartition(":")
        where = [d for d, n in zip(docs, names) if who in ("", n)]
        if not any(s.name == script for d in where for s in d.config.vrrp_scripts):
            raise DrillError(f"--fail-script {spec}: no vrrp_script {script} in "
                             f"{', '.join(d.path for d in where) or 'a director ' + who}")
    directors: list[DirectorPlan] = []
    used: set[str] = set()
    for doc, name in zip(docs, names):
        config = doc.config
        address, source = addresses.get(name), "--address"
        if address is None:
            address, source = _own_address(config)
        instances = [instance_plan(name, config, i, failing_on(name, failing))
                     for i in config.vrrp_instances]
        faces = {i.interface for i in instances}
        faces |= {v.dev for i in config.vrrp_instances for v in i.virtual_ipaddress if v.dev}
        directors.append(DirectorPlan(
            name=name, path=Path(doc.path), config_id=doc.config_id or None,
            address=address or "", address_from=source,
            interfaces=tuple(sorted(faces or {"eth0"})),
            instances=instances, services=service_plans(config)))
        used |= {address} if address else set()
        used |= {v for i in instances for v in i.vips}
        used |= {r.address for s in directors[-1].services for r in s.servers}
    anchor = next((v for d in directors for i in d.instances for v in i.vips), None)
    anchor = anchor or next((d.address for d in directors if d.address), None)
    if anchor is None:
        raise DrillError("no IPv4 VIP or director address in the configurations: give "
                         "--address NAME=IP for each director")
    missing = [d for d in directors if not d.address]
    for d, free in zip(missing, _free_addresses(used, anchor, len(missing))):
        d.address, d.address_from = free, f"chosen by the lab in {anchor}/{LAB_PREFIX}"
        used.add(free)
    for bad in (d for d in directors if not _is_v4(d.address)):
        raise DrillError(f"director {bad.name}: address {bad.address!r} is not an IPv4 "
                         "address (give --address NAME=IP)")
    clients = tuple(_free_addresses(used, anchor, CLIENTS + 10)[-CLIENTS:])
    return Plan(directors, clients)
