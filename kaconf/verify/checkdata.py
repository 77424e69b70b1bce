"""Reader for keepalived's checker dump (`kill -s $(keepalived --signum=DATA)` writes
/tmp/keepalived_check.data): which real servers keepalived itself holds down, and their weights.

The layout read here is keepalived 2.2.7's, as captured from a real run in
tests/verify/data/extended-down/check.data: a `VS VIP = A, VPORT = P` (or `VS FWMARK = N`, or
`VS GROUP = [NAME]:0`) header and its `protocol = ...` line, then one `RIP = A, RPORT = P,
WEIGHT = W EFF WEIGHT = E` header per real server followed by its `alive = 0|1` line.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from kaconf.verify.ipvsadm import IpAddress

_VS_VIP = re.compile(r"VS VIP = (\S+), VPORT = (\d+)$")
_VS_FWMARK = re.compile(r"VS FWMARK = (\d+)$")
_VS_GROUP = re.compile(r"VS GROUP = \[(.*)\]:\d+$")
_RIP = re.compile(r"RIP = (\S+), RPORT = (\d+), WEIGHT = (-?\d+) EFF WEIGHT = (-?\d+)$")
_ALIVE = re.compile(r"alive = ([01])$")
_PROTOCOL = re.compile(r"protocol = (\S+)$")


@dataclass(frozen=True, slots=True)
class RealServerState:
    alive: bool
    weight: int            # as configured
    effective_weight: int  # after dynamic weight changes (MISC_CHECK misc_dynamic)


# "vip 10.0.0.1 80 TCP", "fwmark 7" or "group NAME"; the same words expected.py builds
VsName = str


@dataclass(frozen=True, slots=True)
class CheckData:
    real_servers: dict[tuple[VsName, IpAddress, int], RealServerState] = field(
        default_factory=dict)

    def state(self, vs: VsName, address: IpAddress, port: int) -> RealServerState | None:
        return self.real_servers.get((vs, address, port))


def vs_name_of_vip(address: IpAddress, port: int, protocol: str) -> VsName:
    return f"vip {address} {port} {protocol}"


def parse_check_data(text: str) -> CheckData:
    """The real servers' states in a checker dump; lines it does not know are skipped (the dump
    is meant for people and grows with every keepalived release)."""
    out: dict[tuple[VsName, IpAddress, int], RealServerState] = {}
    vs: list[str] = []        # the header's words, completed by its protocol line
    rs: tuple[IpAddress, int, int, int] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if m := _VS_VIP.match(line):
            vs, rs = ["vip", m.group(1), m.group(2)], None
        elif m := _VS_FWMARK.match(line):
            vs, rs = ["fwmark", m.group(1)], None
        elif m := _VS_GROUP.match(line):
            vs, rs = ["group", m.group(1)], None
        elif (m := _PROTOCOL.match(line)) and vs[:1] == ["vip"] and len(vs) == 3 and rs is None:
            vs.append(m.group(1).upper())
        elif (m := _RIP.match(line)) and vs:
            address = _address(m.group(1))
            rs = None if address is None else (address, int(m.group(2)), int(m.group(3)),
                                               int(m.group(4)))
        elif (m := _ALIVE.match(line)) and rs is not None:
            name = _name(vs)
            out[(name, rs[0], rs[1])] = RealServerState(m.group(1) == "1", rs[2], rs[3])
            rs = None
    return CheckData(out)


def _name(words: list[str]) -> VsName:
    if words[0] == "vip" and len(words) == 4:
        address = _address(words[1])
        if address is not None:
            return vs_name_of_vip(address, int(words[2]), words[3])
    return " ".join(words)


def _address(text: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
