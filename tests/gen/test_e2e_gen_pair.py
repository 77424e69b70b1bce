"""End to end: the pair gen-pair writes for the seed cluster, run by the installed keepalived in
two director namespaces joined by a bridge (tests/vrrp_lab.py), and the real servers' script
run in real-server namespaces on the same bridge.

* the VIP sits on the MASTER; stopping it moves the VIP to the BACKUP within the
  master-down interval (3 x advert_int plus the BACKUP's skew), and so does killing it (no
  farewell advert: measured 3.47-3.50 s against 3.61 s); starting it again brings the VIP
  back (preemption); with nopreempt the VIP stays where it is;
* a client's ARP request for the VIP is answered by the director that holds it and by no
  real server once `kaconf-rs.sh start` ran (and, as a control, by the real server too when
  the VIP sits on its lo without the script's sysctls); `stop` leaves the real server's
  addresses, routes and sysctls exactly as they were.

Needs root, `ip netns`, keepalived and arping; skipped without root or namespaces.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from vrrp_lab import Lab, unavailable_reason

from kaconf import api

pytestmark = pytest.mark.e2e
_reason = unavailable_reason()
if _reason is not None:
    pytest.skip(f"end-to-end VRRP lab unavailable: {_reason}", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpus" / "clusters" / "seed-dr.toml"
VIP = "172.17.13.252"
DS1, DS2 = "172.17.13.120", "172.17.13.123"    # the lab's directors a and b, as in the seed
ADVERT_INT = 1.0
BACKUP_PRIORITY = 100
# RFC 3768: master-down interval = 3 x advert_int + skew, skew = (256 - priority) / 256 s
MASTER_DOWN = 3 * ADVERT_INT + (256 - BACKUP_PRIORITY) / 256 * ADVERT_INT
SLACK = 1.5      # polling every 0.2 s through `ip netns exec`, and scheduling on a busy host
STABLE = 4.0     # four adverts: long enough for a preemption to have happened
MAC = re.compile(r"\[([0-9A-Fa-f:]{17})\]")


@pytest.fixture
def lab(tmp_path: Path, request: pytest.FixtureRequest) -> Lab:
    the_lab = Lab(tmp_path / "lab", addresses=(DS1, DS2))
    request.addfinalizer(the_lab.close)
    the_lab.setup()
    assert the_lab.reachable(), "the lab's bridge does not carry traffic\n" + the_lab.report()
    return the_lab


def generated(tmp_path: Path, nopreempt: bool = False) -> tuple[Path, Path]:
    text = SEED.read_text(encoding="utf-8")
    if nopreempt:
        text = text.replace("unicast = true\n", "unicast = true\nnopreempt = true\n")
    desc = tmp_path / "seed.toml"
    desc.write_text(text, encoding="utf-8")
    api.gen_pair(desc, tmp_path / "out")
    return tmp_path / "out" / "ds1" / "keepalived.conf", tmp_path / "out" / "ds2" / "keepalived.conf"


def test_generated_pair_fails_over_and_preempts(lab: Lab, tmp_path: Path) -> None:
    ds1, ds2 = generated(tmp_path)
    lab.a.start(ds1)
    lab.b.start(ds2)
    ok, seen, _ = lab.wait_holders(VIP, {DS1}, stable=STABLE)
    assert ok, f"MASTER ds1 should hold the VIP, held by {seen}\n{lab.report()}"

    lab.a.stop()
    ok, seen, took = lab.wait_holders(VIP, {DS2}, deadline=MASTER_DOWN + SLACK, stable=1.0)
    assert ok, (f"BACKUP ds2 should take the VIP within {MASTER_DOWN:.2f} s (+{SLACK} s); held "
                f"by {seen} after {took:.2f} s\n{lab.report()}")

    lab.a.start()
    ok, seen, _ = lab.wait_holders(VIP, {DS1}, stable=STABLE)
    assert ok, f"ds1 should take the VIP back (preemption), held by {seen}\n{lab.report()}"

    # a crash sends no farewell advert: the BACKUP waits out the master-down interval
    assert lab.a.proc is not None
    os.killpg(lab.a.proc.pid, signal.SIGKILL)
    took_over = lab.wait_for(lambda: lab.b.holds(VIP), MASTER_DOWN + SLACK)
    assert took_over, f"ds2 should take the VIP after a crash\n{lab.report()}"


def test_generated_nopreempt_pair_keeps_the_vip_where_it_is(lab: Lab, tmp_path: Path) -> None:
    ds1, ds2 = generated(tmp_path, nopreempt=True)
    assert "state BACKUP" in ds1.read_text() and "nopreempt" in ds1.read_text()
    # one after the other: with nopreempt on both, two directors started together elect
    # whichever finishes starting first (a busy host can delay ds1 past ds2's timer), and
    # neither takes the VIP back from the other
    lab.a.start(ds1)
    ok, seen, _ = lab.wait_holders(VIP, {DS1})
    assert ok, f"the highest priority should take the VIP first, held by {seen}\n{lab.report()}"
    lab.b.start(ds2)
    ok, seen, _ = lab.wait_holders(VIP, {DS1}, stable=STABLE)
    assert ok, f"the highest priority should take the VIP first, held by {seen}\n{lab.report()}"

    lab.a.stop()
    ok, seen, took = lab.wait_holders(VIP, {DS2}, deadline=MASTER_DOWN + SLACK, stable=1.0)
    assert ok, f"ds2 should take the VIP, held by {seen} after {took:.2f} s\n{lab.report()}"

    lab.a.start()
    ok, seen, _ = lab.wait_holders(VIP, {DS2}, deadline=STABLE, stable=STABLE * 2)
    assert ok, f"with nopreempt ds2 should keep the VIP, held by {seen}\n{lab.report()}"


# ---------------------------------------------------------------- real servers and ARP

def _ip(*args: str) -> str:
    return subprocess.run(["ip", *args], check=True, capture_output=True, text=True,
                          timeout=10).stdout


@pytest.fixture
def hosts(lab: Lab) -> Iterator[dict[str, str]]:
    """A client and two real servers on the lab's bridge: {role: namespace}."""
    made: list[str] = []
    names = {"client": "172.17.13.200", "rs1": "172.17.13.142", "rs2": "172.17.13.173"}
    try:
        for i, (role, address) in enumerate(names.items()):
            ns = f"kg-{os.getpid()}-{role}"
            _ip("netns", "add", ns)
            made.append(ns)
            _ip("-n", lab.switch, "link", "add", f"kgh{i}", "type", "veth", "peer", "name",
                "eth0", "netns", ns)
            _ip("-n", lab.switch, "link", "set", f"kgh{i}", "master", "br0", "up")
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
            for dev in ("lo", "eth0"):
                _ip("-n", ns, "link", "set", dev, "up")
        yield {role: f"kg-{os.getpid()}-{role}" for role in names}
    finally:
        for ns in made:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=10)


def mac_of(ns: str) -> str:
    return _ip("-n", ns, "-o", "link", "show", "eth0").split("link/ether ")[1].split()[0].lower()


def arp_answers(client: str) -> set[str]:
    """The MAC addresses that answer the client's ARP requests for the VIP."""
    arping = shutil.which("arping")
    assert arping, "arping is not installed (.ci/run installs Debian's iputils-arping)"
    out = subprocess.run(["ip", "netns", "exec", client, arping, "-c", "3", "-w", "5", "-I",
                          "eth0", VIP], capture_output=True, text=True, timeout=20).stdout
    return {m.lower() for m in MAC.findall(out)}


def snapshot(ns: str) -> str:
    keys = " ".join(f"net.ipv4.conf.{d}.{k}" for d in ("all", "eth0", "lo")
                    for k in ("arp_ignore", "arp_announce", "rp_filter"))
    text = subprocess.run(["ip", "netns", "exec", ns, "sh", "-c",
                           f"ip addr; ip route; sysctl {keys}"],
                          capture_output=True, text=True, timeout=10, check=True).stdout
    # IPv6 duplicate address detection ends on its own schedule: not the script's doing
    return text.replace(" tentative", "")


def rs_script(ns: str, script: Path, state: Path, verb: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", "netns", "exec", ns, "sh", str(script), verb],
                          env={**os.environ, "KACONF_RS_STATE_DIR": str(state)},
                          capture_output=True, text=True, timeout=30)


def test_only_the_director_holding_the_vip_answers_arp(lab: Lab, hosts: dict[str, str],
                                                       tmp_path: Path) -> None:
    ds1, ds2 = generated(tmp_path)
    script = tmp_path / "out" / "realserver" / "kaconf-rs.sh"
    servers = [hosts["rs1"], hosts["rs2"]]
    before = {ns: snapshot(ns) for ns in servers}
    for ns in servers:
        result = rs_script(ns, script, tmp_path / ns, "start")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"inet {VIP}/32 scope global lo" in _ip("-n", ns, "addr", "show", "dev", "lo")
        assert rs_script(ns, script, tmp_path / ns, "status").returncode == 0

    lab.a.start(ds1)
    lab.b.start(ds2)
    ok, seen, _ = lab.wait_holders(VIP, {DS1}, stable=1.0)
    assert ok, f"ds1 should hold the VIP, held by {seen}\n{lab.report()}"
    assert arp_answers(hosts["client"]) == {mac_of(lab.a.ns)}

    lab.a.stop()
    ok, seen, _ = lab.wait_holders(VIP, {DS2}, stable=1.0)
    assert ok, f"ds2 should hold the VIP, held by {seen}\n{lab.report()}"
    assert arp_answers(hosts["client"]) == {mac_of(lab.b.ns)}

    for ns in servers:
        result = rs_script(ns, script, tmp_path / ns, "stop")
        assert result.returncode == 0, result.stdout + result.stderr
        assert snapshot(ns) == before[ns]

    # the control: the VIP on lo without the script's sysctls is answered by the real server
    _ip("-n", hosts["rs1"], "addr", "add", f"{VIP}/32", "dev", "lo")
    assert arp_answers(hosts["client"]) == {mac_of(lab.b.ns), mac_of(hosts["rs1"])}
