"""The real servers' setup from a cluster description (kaconf.emit.realserver writes it)."""
from __future__ import annotations

from kaconf.emit.realserver import (
    SCRIPT,
    SYSCTL,
    UNIT,
    Server,
    Setup,
    render_script,
    render_sysctl,
    render_unit,
)
from kaconf.gen.description import Description
from kaconf.gen.output import OutFile

FOLDER = "realserver"


def realserver_setup(desc: Description, header: str) -> Setup:
    """One Server per (real server, method), with the VIPs of the services it is in."""
    vips: dict[tuple[str, str], list[str]] = {}
    for s in desc.services:
        backends = [r.address for r in s.real_servers]
        if s.sorry_server is not None:
            backends.append(s.sorry_server.address)
        for address in backends:
            found = vips.setdefault((address, s.lb_kind), [])
            if s.lb_kind != "NAT" and s.vip not in found:
                found.append(s.vip)
    servers = tuple(Server(address, method, tuple(v)) for (address, method), v in vips.items())
    return Setup(desc.cluster.name, desc.realserver.interface, desc.realserver.gateway,
                 servers, header)


def realserver_files(setup: Setup) -> list[OutFile]:
    return [OutFile(f"{FOLDER}/{SCRIPT}", render_script(setup), 0o755),
            OutFile(f"{FOLDER}/{UNIT}", render_unit(setup)),
            OutFile(f"{FOLDER}/{SYSCTL}", render_sysctl(setup))]
