"""End to end on a real kernel IPVS: generated MASTER configurations run by
Debian's keepalived inside ../shared/tools/ipvs-vm (QEMU with Debian's kernel), which starts
the real servers, sends traffic from several client addresses, stops one real server and
starts it again. The seed's three LVS behaviours must hold:

* traffic to the VIP reaches both real servers (per-server counters of `ipvsadm -Ln --stats`);
* a stopped real server leaves the table;
* started again, it comes back.

The NAT and TUN examples' MASTERs run too: traffic reaches both real servers, the heavier
weight gets more, and (NAT) a stopped real server leaves the table.

The harness itself fails the run (exit 4) when the instance is not MASTER or traffic goes
unanswered. About 40-180 s a run, three runs. Set IPVS_VM_CACHE to keep the VM image in the
CI run's own temporary directory (.ci/run does).
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from kaconf import api

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
RUN = REPO.parent / "shared" / "tools" / "ipvs-vm" / "run.sh"
SEED = REPO / "corpus" / "clusters" / "seed-dr.toml"
VIP = "172.17.13.252:80"
SERVERS = ("172.17.13.142:80", "172.17.13.173:80")
STOPPED = SERVERS[1]
RESTART = f"""old=$(snap)
rs_start {STOPPED.replace(':', ' ')}
settle "$old" || fail "the restarted real server {STOPPED} did not come back"
capture after-start
"""
ROW = re.compile(r"^\s*->\s+(\S+)(.*)$", re.MULTILINE)   # -> RIP:PORT the rest


def servers(text: str) -> set[str]:
    """The real servers of an `ipvsadm -Ln` listing."""
    return {m.group(1) for m in ROW.finditer(text)} - {"RemoteAddress:Port"}


def connections(stats: str) -> dict[str, int]:
    """{real server: connections} from `ipvsadm -Ln --stats` (Conns is the first column)."""
    return {m.group(1): int(m.group(2).split()[0]) for m in ROW.finditer(stats)
            if m.group(1) != "RemoteAddress:Port"}


def test_generated_master_runs_on_real_ipvs(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the IPVS VM harness needs root")
    assert RUN.is_file(), f"{RUN} is missing (the shared tools are part of the CI checkout)"
    api.gen_pair(SEED, tmp_path / "gen")
    script = tmp_path / "restart.sh"
    script.write_text(RESTART, encoding="utf-8")
    out = tmp_path / "vm"
    env = {**os.environ, "IPVS_VM_CACHE": os.environ.get("IPVS_VM_CACHE", "/tmp/ipvs-vm-cache")}
    result = subprocess.run(
        ["bash", str(RUN), "--quiet", "--traffic", "20", "--clients", "8", "--stop", STOPPED,
         "--script", str(script), "-o", str(out), str(tmp_path / "gen" / "ds1" / "keepalived.conf")],
        capture_output=True, text=True, timeout=900, env=env)
    status = (out / "status").read_text().strip() if (out / "status").exists() else "(none)"
    assert result.returncode == 0, f"exit {result.returncode}, status {status}\n{result.stdout}"
    assert status == "ok"

    states = out / "states"
    traffic = connections((states / "traffic" / "ipvsadm-Ln--stats.txt").read_text())
    assert set(traffic) == set(SERVERS)
    assert all(conns > 0 for conns in traffic.values()), traffic
    assert servers((states / "after-stop" / "ipvsadm-Ln.txt").read_text()) == {SERVERS[0]}
    assert servers((states / "after-start" / "ipvsadm-Ln.txt").read_text()) == set(SERVERS)
    assert f"{VIP}: 20 of 20 requests answered" in (out / "traffic.txt").read_text()


# the harness's listeners serve only index.html: the NAT example checks /health
NAT_SETUP = ('for ip in 10.30.0.11 10.30.0.12 10.30.0.99; do mkdir -p "/www/$ip"; '
             'echo ok > "/www/$ip/health"; done\n')


@pytest.mark.parametrize(("name", "director", "heavier", "stop"), [
    # wrr, weights 3 and 1 (measured 9 and 3 of 12); NAT replies come back through the director
    pytest.param("nat", "nat1", "10.30.0.11:8080", "10.30.0.12:8080", id="nat"),
    # wlc, weights 2 and 1, over IP-in-IP (measured 6 and 4 of 10)
    pytest.param("tun", "lb-a", "10.20.0.11:443", None, id="tun"),
])
def test_generated_nat_and_tun_masters_on_real_ipvs(name: str, director: str, heavier: str,
                                                    stop: str | None, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the IPVS VM harness needs root")
    assert RUN.is_file(), f"{RUN} is missing (the shared tools are part of the CI checkout)"
    api.gen_pair(REPO / "corpus" / "clusters" / f"{name}.toml", tmp_path / "gen")
    setup = tmp_path / "setup.sh"
    setup.write_text(NAT_SETUP if name == "nat" else "", encoding="utf-8")
    out = tmp_path / "vm"
    env = {**os.environ, "IPVS_VM_CACHE": os.environ.get("IPVS_VM_CACHE", "/tmp/ipvs-vm-cache")}
    argv = ["bash", str(RUN), "--quiet", "--traffic", "12", "--clients", "4", "--setup",
            str(setup), "-o", str(out), *(["--stop", stop] if stop else []),
            str(tmp_path / "gen" / director / "keepalived.conf")]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env)
    status = (out / "status").read_text().strip() if (out / "status").exists() else "(none)"
    assert (result.returncode, status) == (0, "ok"), result.stdout
    traffic = connections((out / "states" / "traffic" / "ipvsadm-Ln--stats.txt").read_text())
    assert len(traffic) == 2 and all(conns > 0 for conns in traffic.values()), traffic
    assert traffic[heavier] == max(traffic.values()), traffic
    if stop is not None:
        left = servers((out / "states" / "after-stop" / "ipvsadm-Ln.txt").read_text())
        assert left == set(traffic) - {stop}
