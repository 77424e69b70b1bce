"""What the drill reads from a director's IPVS table (through kaconf.verify.ipvsadm): the real
servers and weights of each service, and their connection counters; and the conditions the
steps wait for. Pure functions of ipvsadm's text."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from kaconf.drill.plan import ServicePlan
from kaconf.verify.ipvsadm import Protocol, parse_ipvsadm

Table = dict[str, dict[str, int]]     # "VIP:PORT" -> {real server address: weight}


def read_table(text: str, source: str) -> Table:
    """The address services of an `ipvsadm -Ln` listing (fwmark services left out)."""
    out: Table = {}
    for key, service in parse_ipvsadm(text, source).services.items():
        if key.protocol is not Protocol.FWM:
            out[f"{key.address}:{key.port}"] = {str(d.address): d.weight or 0
                                                for d in service.destinations}
    return out


def read_conns(text: str, endpoint: str, source: str) -> dict[str, int]:
    """{real server: connections} of one service in `ipvsadm -Ln --stats [--exact]`."""
    for key, service in parse_ipvsadm(text, source).services.items():
        if f"{key.address}:{key.port}" == endpoint:
            return {str(d.address): d.stats.conns if d.stats else 0
                    for d in service.destinations}
    return {}


def serving(endpoint: str, live: set[str]) -> Callable[[Table], bool]:
    """Whether a table lists every `live` real server of `endpoint` with a weight."""
    return lambda t: live <= {a for a, w in t.get(endpoint, {}).items() if w > 0}


def weights(address: str, services: Sequence[ServicePlan], present: bool
            ) -> Callable[[Table], bool]:
    """Whether `address` serves (present) or serves none (not present) of `services`."""
    return lambda t: all((t.get(s.endpoint, {}).get(address, 0) > 0) == present
                         for s in services)
