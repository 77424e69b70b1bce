"""How KA510 compares two directors' LVS: which virtual_server of one is which of the other,
and the values keepalived uses when a keyword is left out (semantics §4 L1-L7). Not a rule
itself."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from kaconf.model import RealServer, VirtualServer, effective
from kaconf.model.checkers import Checker, HttpGet, MiscCheck
from kaconf.rules.ka5xx_peers import address, name_span
from kaconf.source import Span

PERSISTENT_DEFAULT = 360      # persistence_timeout without a value, or persistence_granularity
REAL_SERVER_WEIGHT = 1


def persistence(vs: VirtualServer) -> str:
    if vs.persistence_timeout is not None:
        return str(vs.persistence_timeout)
    if vs.has("persistence_timeout") or vs.persistence_granularity is not None:
        return str(PERSISTENT_DEFAULT)
    return "off"


def protocol(vs: VirtualServer) -> str:
    """2.2.7 defaults an address-based virtual server to UDP (L1); fwmark ignores it (L5)."""
    if vs.fwmark is not None:
        return "any"
    return (vs.protocol or "UDP").upper()


def method(vs: VirtualServer) -> str:
    return (vs.lvs_method or "NAT").upper()


VS_VALUES: tuple[tuple[str, Callable[[VirtualServer], str]], ...] = (
    ("lvs_sched", lambda vs: (vs.lvs_sched or "wlc").lower()),
    ("lvs_method", method),
    ("persistence_timeout", persistence),
    ("protocol", protocol),
)


def vs_key(vs: VirtualServer) -> tuple[str, str]:
    if vs.fwmark is not None:
        return ("fwmark", str(vs.fwmark))
    if vs.group is not None:
        return ("group", vs.group)
    return ("address", f"{address(vs.address) or vs.address}:{vs.port or 0}")


Pair = tuple[VirtualServer, VirtualServer]


def match(mine: list[VirtualServer], theirs: list[VirtualServer]) -> list[Pair]:
    """Pairs of the same virtual server: same address and port (or fwmark, or group); when a
    director has several under one key (TCP and UDP), the protocol decides."""
    keys = [vs_key(vs) for vs in mine]
    count = Counter(keys)
    by_key: dict[tuple[str, str], list[VirtualServer]] = {}
    for other in theirs:
        by_key.setdefault(vs_key(other), []).append(other)
    pairs = []
    for vs, key in zip(mine, keys):
        same = by_key.get(key, [])
        if len(same) > 1 or count[key] > 1:
            same = [o for o in same if protocol(o) == protocol(vs)]
        if same:
            pairs.append((vs, same[0]))
    return pairs


def unmatched(mine: list[VirtualServer], theirs: list[VirtualServer],
              pairs: list[Pair] | None = None) -> list[VirtualServer]:
    """The virtual servers of `mine` that `theirs` lacks (`pairs`: match(mine, theirs), when
    the caller has it already)."""
    paired = {id(vs) for vs, _ in (match(mine, theirs) if pairs is None else pairs)}
    return [vs for vs in mine if id(vs) not in paired]


def real_server_key(vs: VirtualServer, rs: RealServer) -> tuple[str, int]:
    """Address and the port in use: DR and TUN real servers take the virtual server's port
    (L4), a fwmark's have none (L5), a NAT one without port uses the virtual server's."""
    rs_method = (rs.lvs_method or method(vs)).upper()
    vs_port = vs.port or 0
    port = vs_port if rs_method in ("DR", "TUN") or rs.port is None else rs.port
    return (address(rs.address) or rs.address, port)


def real_servers(vs: VirtualServer) -> dict[tuple[str, int], RealServer]:
    return {real_server_key(vs, rs): rs for rs in vs.real_servers}


def weight(rs: RealServer) -> str:
    return str(rs.weight if rs.weight is not None else REAL_SERVER_WEIGHT)


def checkers(rs: RealServer) -> tuple[str, Span]:
    """The checker types of a real server, and where the first one is written."""
    types = ", ".join(sorted(c.type for c in rs.checkers)) or "no checker"
    return types, (rs.checkers[0].span if rs.checkers else name_span(rs))


# -- checkers, compared by the values keepalived runs them with (semantics §4) -------------
# each gives the value (compare it as shown(value): 2 and 2.0 are written alike) and, apart,
# only wanted for a finding, the span that decided it (None: a default)
Value = Callable[[Checker, RealServer, VirtualServer], "str | float | int | None"]
Where = Callable[[Checker, RealServer, VirtualServer], "Span | None"]
Decided = Callable[[Checker, RealServer, VirtualServer],
                   "effective.Effective[float] | effective.Effective[int] | "
                   "effective.Effective[int | None]"]


def _effective(value: Value, find: Decided) -> tuple[Value, Where]:
    def where(chk: Checker, rs: RealServer, vs: VirtualServer) -> Span | None:
        return find(chk, rs, vs).span
    return value, where


def _own(keyword: str, text: Callable[[Checker, RealServer], str]) -> tuple[Value, Where]:
    def value(chk: Checker, rs: RealServer, vs: VirtualServer) -> str:
        return text(chk, rs)

    def where(chk: Checker, rs: RealServer, vs: VirtualServer) -> Span | None:
        return chk.arg_span(keyword) if chk.has(keyword) else None
    return value, where


def shown(value: str | float | int | None) -> str:
    """A number as the user writes it: 2 not 2.0; 'none' for no port."""
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _urls(chk: Checker, rs: RealServer) -> str:
    if not isinstance(chk, HttpGet):
        return ""
    return "; ".join(f"{u.path} {','.join(u.status_code) or '200-299'}"
                     + (f" digest {u.digest}" if u.digest else "") for u in chk.urls)


def _connect_ip(chk: Checker, rs: RealServer) -> str:
    return address(chk.connect_ip) or chk.connect_ip or address(rs.address) or rs.address


def _misc_path(chk: Checker, rs: RealServer) -> str:
    return (chk.misc_path or "") if isinstance(chk, MiscCheck) else ""


CHECKER_VALUES: tuple[tuple[str, tuple[Value, Where]], ...] = (
    ("connect_ip", _own("connect_ip", _connect_ip)),
    ("connect_port", _effective(effective.connect_port_value, effective.connect_port)),
    ("connect_timeout", _effective(effective.connect_timeout_value, effective.connect_timeout)),
    ("delay_loop", _effective(effective.delay_loop_value, effective.delay_loop)),
    ("retry", _effective(effective.retry_value, effective.retry)),
    ("delay_before_retry", _effective(effective.delay_before_retry_value,
                                      effective.delay_before_retry)),
    ("url", _own("url", _urls)),
    ("misc_path", _own("misc_path", _misc_path)),
)


def paired_checkers(rs: RealServer, other: RealServer) -> list[tuple[Checker, Checker]]:
    """The checkers of two real servers paired by type, in the order they are written."""
    pairs = []
    for kind in sorted({c.type for c in rs.checkers}):
        ours = [c for c in rs.checkers if c.type == kind]
        theirs = [c for c in other.checkers if c.type == kind]
        pairs += list(zip(ours, theirs))
    return pairs
