"""The value keepalived 2.2.7 runs with for each setting, and where it came from.

This module is the one place that knows keepalived's defaults and the values it derives or
forces (facts from keywords.tsv's default column and semantics.md, cited per function). Rules,
the graph, gen-pair and verify ask here; none of them restates a default.

Every function returns an `Effective`: the value, the span that decided it (None for
keepalived's own default), and how it came about.
"""
from __future__ import annotations

from typing import Generic, TypeVar

from kaconf.model.checkers import Checker, DnsCheck, HttpGet, MiscCheck
from kaconf.model.config import Config
from kaconf.model.lvs import RealServer, VirtualServer
from kaconf.model.vrrp import TrackEntry, VrrpInstance
from kaconf.records import record
from kaconf.source import Span

T = TypeVar("T")

WRITTEN = "written"
DEFAULT = "keepalived's default"
INHERITED_RS = "inherited from the real_server"
INHERITED_VS = "inherited from the virtual_server"
DERIVED = "derived"
FORCED = "forced"

OWNER = 255                   # priority of the address owner
PERSISTENCE_DEFAULT = 360     # persistence_timeout alone, granularity alone, or port 0
DELAY_LOOP = 60.0
CONNECT_TIMEOUT = 5.0
ADVERT_INT = 1.0
GARP_MASTER_DELAY = 5


@record(frozen=True, slots=True)
class Effective(Generic[T]):
    value: T
    span: Span | None      # what decided it; None: keepalived's default
    how: str = WRITTEN     # written | keepalived's default | inherited ... | derived | forced

    @property
    def is_default(self) -> bool:
        return self.how == DEFAULT


def _written(block: VrrpInstance | VirtualServer | RealServer | Checker,
             keyword: str) -> Span | None:
    return block.arg_span(keyword) if block.has(keyword) else None


# -- VRRP ---------------------------------------------------------------------------------
def priority(inst: VrrpInstance) -> Effective[int]:
    """As written when valid (1..255); 100 when written but invalid ("Priority not valid! ...
    Using default 100"); absent: 255 for `state MASTER`, else 100 (semantics V5)."""
    if inst.priority is not None and 1 <= inst.priority <= OWNER:
        return Effective(inst.priority, _written(inst, "priority"))
    if inst.has("priority"):
        return Effective(100, inst.arg_span("priority"), FORCED)
    if inst.state == "MASTER":
        return Effective(OWNER, _written(inst, "state"), DERIVED)
    return Effective(100, None, DEFAULT)


def priority_value(inst: VrrpInstance) -> int:
    """priority(inst).value, without working out where it is written."""
    if inst.priority is not None and 1 <= inst.priority <= OWNER:
        return inst.priority
    return OWNER if inst.state == "MASTER" and not inst.has("priority") else 100


def strict(config: Config, inst: VrrpInstance) -> Effective[bool]:
    """The instance's strict_mode wins; else global vrrp_strict, which 2.2.7 turns on whatever
    its argument (semantics V27)."""
    if inst.has("strict_mode"):
        node = inst.keyword_node("strict_mode")
        return Effective(inst.strict_mode, node.span if node is not None else None)
    g = config.global_defs
    if g is not None and g.vrrp_strict:
        node = g.keyword_node("vrrp_strict")
        return Effective(True, node.span if node is not None else g.span, "inherited from "
                         "global_defs")
    return Effective(False, None, DEFAULT)


def strict_value(config: Config, inst: VrrpInstance) -> bool:
    """strict(config, inst).value, without working out where it is written."""
    if inst.has("strict_mode"):
        return inst.strict_mode
    g = config.global_defs
    return g is not None and g.vrrp_strict


def initial_state(config: Config, inst: VrrpInstance) -> Effective[str]:
    """MASTER or BACKUP as keepalived starts the instance: without `state`, MASTER iff the
    priority is 255 (V5); in strict mode the state must match being the owner (V26)."""
    prio = priority(inst)
    owner = prio.value == OWNER
    derived = "MASTER" if owner else "BACKUP"
    if inst.state is None:
        return Effective(derived, prio.span, DERIVED if inst.priority else DEFAULT)
    if strict_value(config, inst) and (inst.state == "MASTER") != owner:
        return Effective(derived, _written(inst, "state"), FORCED)
    # any word other than MASTER is "unknown state ..., defaulting to BACKUP"
    return Effective("MASTER" if inst.state == "MASTER" else "BACKUP", _written(inst, "state"))


def initial_state_value(config: Config, inst: VrrpInstance) -> str:
    """initial_state(config, inst).value, without working out where it is written."""
    owner = priority_value(inst) == OWNER
    if inst.state is None or (strict_value(config, inst) and (inst.state == "MASTER") != owner):
        return "MASTER" if owner else "BACKUP"
    return "MASTER" if inst.state == "MASTER" else "BACKUP"


def version(config: Config, inst: VrrpInstance) -> Effective[int]:
    """The instance's `version`, else 3 for IPv6, else global vrrp_version, else 2; strict mode
    turns an IPv6 `version 2` into 3 (V18)."""
    ipv6 = inst.family == "inet6" and bool(inst.virtual_ipaddress)
    first = inst.virtual_ipaddress[0].span if inst.virtual_ipaddress else None
    if inst.version in (2, 3):
        if inst.version == 2 and ipv6 and strict(config, inst).value:
            return Effective(3, first, FORCED)
        return Effective(inst.version, _written(inst, "version"))
    if ipv6:
        return Effective(3, first, DERIVED)
    g = config.global_defs
    if g is not None and g.vrrp_version in (2, 3):
        return Effective(g.vrrp_version, g.arg_span("vrrp_version"), "inherited from "
                         "global_defs")
    return Effective(2, None, DEFAULT)


def advert_int(config: Config, inst: VrrpInstance) -> Effective[float]:
    """Default 1 s; VRRPv2 rounds to whole seconds, v3 to 10 ms steps (V14)."""
    if inst.advert_int is None or inst.advert_int <= 0:
        return Effective(ADVERT_INT, None, DEFAULT)
    span = _written(inst, "advert_int")
    if version(config, inst).value == 2:
        rounded = float(max(1, int(inst.advert_int + 0.5)))
    else:
        rounded = round(inst.advert_int * 100) / 100
    return Effective(rounded, span, WRITTEN if rounded == inst.advert_int else FORCED)


def preempt(config: Config, inst: VrrpInstance) -> Effective[bool]:
    """Preemption is on unless `nopreempt`, which keepalived clears on an initial MASTER or
    priority 255 (V6, V8)."""
    if not inst.nopreempt:
        return Effective(True, None, DEFAULT)
    span = _written(inst, "nopreempt")
    if initial_state_value(config, inst) == "MASTER" or priority_value(inst) == OWNER:
        return Effective(True, span, FORCED)
    return Effective(False, span)


def preempt_delay(config: Config, inst: VrrpInstance) -> Effective[float]:
    """0 unless written; cleared with an initial MASTER, nopreempt or strict mode (V7, V9)."""
    if inst.preempt_delay is None:
        return Effective(0.0, None, DEFAULT)
    span = _written(inst, "preempt_delay")
    if (initial_state_value(config, inst) == "MASTER" or not preempt(config, inst).value
            or strict_value(config, inst) or not 0 <= inst.preempt_delay <= 1000):
        return Effective(0.0, span, FORCED)
    return Effective(inst.preempt_delay, span)


def garp_master_delay(config: Config, inst: VrrpInstance) -> Effective[int]:
    """The instance's value, else global vrrp_garp_master_delay, else 5 s."""
    if inst.garp_master_delay is not None:
        return Effective(inst.garp_master_delay, _written(inst, "garp_master_delay"))
    g = config.global_defs
    if g is not None:
        d = next((x for x in g.other if x.keyword == "vrrp_garp_master_delay"), None)
        if d is not None and d.args and d.args[0].isdigit():
            return Effective(int(d.args[0]), d.span, "inherited from global_defs")
    return Effective(GARP_MASTER_DELAY, None, DEFAULT)


@record(frozen=True, slots=True)
class Tracked:
    """One tracked object of an instance and the weight keepalived applies for it."""

    kind: str              # script | interface | file | process | bfd
    entry: TrackEntry
    weight: int | None     # None: a process or bfd that is not defined
    reverse: bool


def tracked(config: Config, inst: VrrpInstance) -> list[Tracked]:
    """The instance's tracked objects with their weights in force: the track line's own, else
    the tracked object's (a vrrp_script without weight: 0, so a failure means FAULT; a
    track_file without weight: 1; a vrrp_track_process or bfd_instance without one: 0, 2.2.7's
    default, where the man page says 1). Scripts and files that are not defined are dropped
    (V31)."""
    out: list[Tracked] = []
    for e in inst.track_script:
        if (script := config.script(e.name)) is not None:
            w = e.weight if e.weight is not None else (script.weight or 0)
            out.append(Tracked("script", e, w, e.reverse or (script.weight_reverse
                                                             and not e.noreverse)))
    for e in inst.track_interface:
        out.append(Tracked("interface", e, e.weight or 0, e.reverse))
    for e in inst.track_file:
        if (tf := next((t for t in config.track_files if t.name == e.name), None)) is not None:
            default = tf.weight if tf.weight is not None else 1
            out.append(Tracked("file", e, e.weight if e.weight is not None else default, False))
    for e in inst.track_process:
        proc = config.track_process(e.name)
        own = (proc.weight or 0) if proc is not None else None
        out.append(Tracked("process", e, e.weight if e.weight is not None else own,
                           e.reverse or bool(proc and proc.weight_reverse and not e.noreverse)))
    for e in inst.track_bfd:
        bfd = config.bfd_instance(e.name)
        own = (bfd.weight or 0) if bfd is not None else None
        out.append(Tracked("bfd", e, e.weight if e.weight is not None else own,
                           e.reverse or bool(bfd and bfd.weight_reverse and not e.noreverse)))
    return out


# -- LVS ----------------------------------------------------------------------------------
def protocol(vs: VirtualServer) -> Effective[str]:
    """TCP, UDP or SCTP (case-insensitive); absent on an address-based virtual_server: UDP
    ("no protocol set - defaulting to UDP", L1). A fwmark service ignores it (L5)."""
    if vs.protocol is not None and vs.protocol.upper() in ("TCP", "UDP", "SCTP"):
        return Effective(vs.protocol.upper(), _written(vs, "protocol"))
    return Effective("UDP", None, DEFAULT)


def protocol_value(vs: VirtualServer) -> str:
    """protocol(vs).value, without working out where it is written."""
    if vs.protocol is not None and vs.protocol.upper() in ("TCP", "UDP", "SCTP"):
        return vs.protocol.upper()
    return "UDP"


def lvs_sched(vs: VirtualServer) -> Effective[str]:
    """The scheduler; absent or invalid: wlc (L2)."""
    if vs.lvs_sched:
        return Effective(vs.lvs_sched, _written(vs, "lvs_sched"))
    return Effective("wlc", None, DEFAULT)


METHODS = ("NAT", "DR", "TUN")


def lvs_method(vs: VirtualServer) -> Effective[str]:
    """NAT, DR or TUN (exact upper case); absent or invalid: NAT (L3)."""
    if vs.lvs_method in METHODS:
        return Effective(vs.lvs_method, _written(vs, "lvs_method"))
    return Effective("NAT", _written(vs, "lvs_method"), DEFAULT)


def rs_method(vs: VirtualServer, rs: RealServer) -> Effective[str]:
    """A real server's own lvs_method, else the virtual server's (L3)."""
    if rs.lvs_method in METHODS:
        return Effective(rs.lvs_method, _written(rs, "lvs_method"))
    method = lvs_method(vs)
    return Effective(method.value, method.span,
                     DEFAULT if method.is_default else INHERITED_VS)


def rs_method_value(vs: VirtualServer, rs: RealServer) -> str:
    """rs_method(vs, rs).value, without working out where it is written."""
    if rs.lvs_method in METHODS:
        return rs.lvs_method
    return vs.lvs_method if vs.lvs_method in METHODS else "NAT"


def persistence(vs: VirtualServer) -> Effective[int | None]:
    """The persistence timeout in seconds, or None when not persistent: as written; the
    keyword alone or persistence_granularity alone mean 360 s; a service without a port is
    made persistent for 360 s (L6, L7)."""
    alone = vs.verbatim.get("persistence_timeout") == []
    if vs.persistence_timeout is not None and vs.persistence_timeout > 0 and not alone:
        return Effective(vs.persistence_timeout, _written(vs, "persistence_timeout"))
    if vs.has("persistence_timeout") or vs.persistence_granularity is not None:
        span = _written(vs, "persistence_timeout") or _written(vs, "persistence_granularity")
        return Effective(PERSISTENCE_DEFAULT, span, DERIVED)
    if vs.fwmark is None and vs.group is None and not vs.port:
        return Effective(PERSISTENCE_DEFAULT, vs.span, FORCED)
    return Effective(None, None, DEFAULT)


def persistence_netmask(vs: VirtualServer) -> Effective[str]:
    """The client mask persistence groups by: as written, else one address (/32 or /128)."""
    if vs.persistence_granularity:
        return Effective(vs.persistence_granularity, _written(vs, "persistence_granularity"))
    return Effective("128" if vs.family == "inet6" else "255.255.255.255", None, DEFAULT)


def ops(vs: VirtualServer) -> Effective[bool]:
    """One-packet scheduling: only with UDP, else reset (L8)."""
    d = next((x for x in vs.other if x.keyword == "ops"), None)
    if d is None:
        return Effective(False, None, DEFAULT)
    if protocol(vs).value != "UDP":
        return Effective(False, d.span, FORCED)
    return Effective(True, d.span)


def rs_port(vs: VirtualServer, rs: RealServer) -> Effective[int | None]:
    """The port IPVS forwards to: a DR/TUN real server gets the virtual server's port (L4);
    under a fwmark service a non-NAT real server has no port (L5)."""
    method = rs_method_value(vs, rs)
    written = rs.port
    if method != "NAT":
        if vs.fwmark is not None:
            return Effective(None, None if written is None else rs.span,
                             FORCED if written else DEFAULT)
        if vs.port is not None and written != vs.port:
            head = vs.node.args if vs.node is not None else []
            return Effective(vs.port, head[1].span if len(head) > 1 else None, FORCED)
    return Effective(written, rs.span if written is not None else None)


def rs_port_value(vs: VirtualServer, rs: RealServer) -> int | None:
    """rs_port(vs, rs).value, without working out where it is written."""
    if rs_method_value(vs, rs) != "NAT":
        if vs.fwmark is not None:
            return None
        if vs.port is not None and rs.port != vs.port:
            return vs.port
    return rs.port


def weight(vs: VirtualServer, rs: RealServer) -> Effective[int]:
    """The real server's weight, else the virtual server's `weight`, else 1."""
    if rs.weight is not None:
        return Effective(rs.weight, _written(rs, "weight"))
    if vs.weight is not None:
        return Effective(vs.weight, _written(vs, "weight"), INHERITED_VS)
    return Effective(1, None, DEFAULT)


def inhibit_on_failure(vs: VirtualServer, rs: RealServer) -> Effective[bool]:
    """A failed real server is kept at weight 0 instead of removed: its own setting, else the
    virtual server's."""
    if rs.has("inhibit_on_failure"):
        return Effective(rs.inhibit_on_failure, _written(rs, "inhibit_on_failure"))
    d = next((x for x in vs.other if x.keyword == "inhibit_on_failure"), None)
    if d is not None:
        return Effective(True, d.span, INHERITED_VS)
    return Effective(False, None, DEFAULT)


def quorum(vs: VirtualServer) -> Effective[int]:
    """Default 1, reduced to the sum of the real servers' weights when above it (L15)."""
    total = sum(weight(vs, rs).value for rs in vs.real_servers)
    value = vs.quorum if vs.quorum is not None and vs.quorum >= 1 else 1
    span = _written(vs, "quorum")
    if value > total:
        return Effective(total, span, FORCED)
    return Effective(value, span, WRITTEN if span else DEFAULT)


def hysteresis(vs: VirtualServer) -> Effective[int]:
    """Default 0; at or above the quorum it becomes quorum - 1 (L15)."""
    value = vs.hysteresis or 0
    q = quorum(vs).value
    span = _written(vs, "hysteresis")
    if value and value >= q:
        return Effective(max(q - 1, 0), span, FORCED)
    return Effective(value, span, WRITTEN if span else DEFAULT)


# -- checkers: checker -> real_server -> virtual_server -> keepalived's default ------------
# Each setting also has a `_value` function: the value alone, without working out where it is
# written, for rules that compare many values and need a position only for a finding.
Block = Checker | RealServer | VirtualServer


def _setter(keyword: str, chk: Checker, rs: RealServer, vs: VirtualServer
            ) -> tuple[Block, str] | None:
    """The block whose `keyword` is in force for the checker, and how it gets there."""
    if getattr(chk, keyword) is not None:
        return chk, WRITTEN
    if getattr(rs, keyword) is not None:
        return rs, INHERITED_RS
    if getattr(vs, keyword) is not None:
        return vs, INHERITED_VS
    return None


def _inherit(keyword: str, chk: Checker, rs: RealServer, vs: VirtualServer,
             default: float) -> Effective[float]:
    found = _setter(keyword, chk, rs, vs)
    if found is None:
        return Effective(default, None, DEFAULT)
    block, how = found
    return Effective(float(getattr(block, keyword)),
                     block.arg_span(keyword) if block.node else None, how)


def _inherit_value(keyword: str, chk: Checker, rs: RealServer, vs: VirtualServer,
                   default: float) -> float:
    """The value _inherit finds, asked of each block in _setter's order."""
    for block in (chk, rs, vs):
        value = getattr(block, keyword)
        if value is not None:
            return float(value)
    return default


def delay_loop(chk: Checker, rs: RealServer, vs: VirtualServer) -> Effective[float]:
    """Seconds between checks: default 60."""
    return _inherit("delay_loop", chk, rs, vs, DELAY_LOOP)


def delay_loop_value(chk: Checker, rs: RealServer, vs: VirtualServer) -> float:
    return _inherit_value("delay_loop", chk, rs, vs, DELAY_LOOP)


def connect_timeout(chk: Checker, rs: RealServer, vs: VirtualServer) -> Effective[float]:
    """Default 5 s."""
    return _inherit("connect_timeout", chk, rs, vs, CONNECT_TIMEOUT)


def connect_timeout_value(chk: Checker, rs: RealServer, vs: VirtualServer) -> float:
    return _inherit_value("connect_timeout", chk, rs, vs, CONNECT_TIMEOUT)


def _retry_default(chk: Checker) -> int:
    """1 (MISC_CHECK 0, DNS_CHECK 3)."""
    return 0 if isinstance(chk, MiscCheck) else 3 if isinstance(chk, DnsCheck) else 1


def retry(chk: Checker, rs: RealServer, vs: VirtualServer) -> Effective[int]:
    """Default 1 (MISC_CHECK 0, DNS_CHECK 3)."""
    found = _inherit("retry", chk, rs, vs, _retry_default(chk))
    return Effective(int(found.value), found.span, found.how)


def retry_value(chk: Checker, rs: RealServer, vs: VirtualServer) -> int:
    return int(_inherit_value("retry", chk, rs, vs, _retry_default(chk)))


def _delay_before_retry_default(chk: Checker, rs: RealServer, vs: VirtualServer) -> float:
    """1 s (HTTP_GET/SSL_GET 3 s; DNS_CHECK its delay_loop)."""
    return (3.0 if isinstance(chk, HttpGet)
            else delay_loop_value(chk, rs, vs) if isinstance(chk, DnsCheck) else 1.0)


def delay_before_retry(chk: Checker, rs: RealServer, vs: VirtualServer) -> Effective[float]:
    """Default 1 s (HTTP_GET/SSL_GET 3 s; DNS_CHECK its delay_loop)."""
    return _inherit("delay_before_retry", chk, rs, vs, _delay_before_retry_default(chk, rs, vs))


def delay_before_retry_value(chk: Checker, rs: RealServer, vs: VirtualServer) -> float:
    return _inherit_value("delay_before_retry", chk, rs, vs,
                          _delay_before_retry_default(chk, rs, vs))


def connect_port(chk: Checker, rs: RealServer, vs: VirtualServer) -> Effective[int | None]:
    """The port a checker connects to: its own connect_port, else the real server's port."""
    if chk.connect_port is not None:
        return Effective(chk.connect_port, _written(chk, "connect_port"))
    port = rs_port(vs, rs)
    return Effective(port.value, port.span, INHERITED_RS)


def connect_port_value(chk: Checker, rs: RealServer, vs: VirtualServer) -> int | None:
    return chk.connect_port if chk.connect_port is not None else rs_port_value(vs, rs)
