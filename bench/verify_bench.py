"""Benchmark `kaconf verify`: a fleet of 50 SSH hosts that each take 200 ms against the
slowest single host, and a 10,000-real-server table against its configuration.

Run from the repository root: `python bench/verify_bench.py [--hosts 50] [--parallel 50]
[--real-servers 10000] [--repeat 3]`. Needs openssh-server and openssh-client (the fleet is
a throwaway sshd on 127.0.0.1 from tests/verify/sshd_lab.py whose `ipvsadm` sleeps 200 ms).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kaconf.api import parse_file  # noqa: E402
from kaconf.verify.diff import Observed, diff_host  # noqa: E402
from kaconf.verify.directors import from_collected, verify_directors  # noqa: E402
from kaconf.verify.expected import expected_state  # noqa: E402
from kaconf.verify.hosts import Capture, CollectOptions, collect  # noqa: E402
from kaconf.verify.ipvsadm import parse_ipvsadm  # noqa: E402
from tests.verify.sshd_lab import CAPTURE, ssh_lab  # noqa: E402

CONFIG = CAPTURE.parents[2] / "keepalived.conf"


def fleet(hosts: int, parallel: int, repeat: int, shared: bool) -> None:
    """Every host is the same local sshd, so its 50 handshakes share this machine's CPUs
    with kaconf; kaconf's own CPU time (children excluded) is printed to show its part."""
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp, ssh_lab(Path(tmp) / "lab") as lab:
        control = lab.control_socket() if shared else "none"
        options = CollectOptions(timeout=60, parallel=parallel,
                                 ssh_options=lab.client_options("delay", control=control))

        def run(n: int) -> tuple[float, float]:
            cpu = resource.getrusage(resource.RUSAGE_SELF)
            start = time.perf_counter()
            got = collect([("127.0.0.1", str(CONFIG))] * n, options)
            verify_directors(from_collected(got, str(CONFIG), "lb1"))
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_SELF)
            bad = [g for g in got if not isinstance(g, Capture)]
            if bad:
                raise SystemExit(f"a host failed: {bad[0]}")
            return elapsed, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime

        if shared:
            run(1)   # open the shared connection: later runs measure reuse
        else:
            # the floor on this machine: the same number of bare `ssh HOST true`, no kaconf
            argv = ["ssh", *lab.client_options("ok"), "-o", "BatchMode=yes", "127.0.0.1", "true"]
            start = time.perf_counter()
            procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(hosts)]
            for proc in procs:
                proc.wait()
            print(f"[baseline] {hosts} bare `ssh 127.0.0.1 true` at once (no kaconf, no delay): "
                  f"{time.perf_counter() - start:.3f} s")
        singles = [run(1)[0] for _ in range(max(repeat, 5))]
        fleets = [run(hosts) for _ in range(repeat)]
    slowest = max(singles)
    median = statistics.median(t for t, _ in fleets)
    label = "one shared ControlMaster connection (warm)" if shared else "a new connection each"
    print(f"[{label}] single host (200 ms remote delay): median "
          f"{statistics.median(singles):.3f} s, slowest {slowest:.3f} s over {len(singles)} runs")
    print(f"[{label}] {hosts} hosts, {parallel} at a time: median {median:.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t, _ in fleets)}); {median / slowest:.2f}x the "
          f"slowest single host; kaconf's own CPU {statistics.median(c for _, c in fleets):.3f} s")


STUB_SSH = """#!/bin/sh
# stands in for ssh: 200 ms of "network", then the collection script run here, whose ipvsadm
# is the lab's fixture (prints a captured table)
sleep 0.2
for last; do :; done
exec sh -c "$last"
"""


def stub_fleet(hosts: int, parallel: int, repeat: int) -> None:
    """The same fleet with ssh replaced by a local stub that waits 200 ms: what kaconf's pool
    and parsing cost when the transport is not this machine's own sshd."""
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp:
        stub = Path(tmp) / "ssh"
        stub.write_text(STUB_SSH)
        stub.chmod(0o755)
        fixture = Path(tmp) / "bin"
        fixture.mkdir()
        (fixture / "ipvsadm").write_text(
            f"#!/bin/sh\nif [ \"$1\" = -Sn ]; then cat {CAPTURE / 'ipvsadm-Sn.txt'}; "
            f"else cat {CAPTURE / 'ipvsadm-Ln--stats.txt'}; fi\n")
        (fixture / "ipvsadm").chmod(0o755)
        os.environ["PATH"] = f"{fixture}:{os.environ['PATH']}"
        options = CollectOptions(timeout=60, parallel=parallel, ssh=str(stub))

        def run(n: int) -> float:
            start = time.perf_counter()
            got = collect([(f"lb{i}", str(CONFIG)) for i in range(n)], options)
            verify_directors(from_collected(got, str(CONFIG), "lb1"))
            assert all(isinstance(g, Capture) for g in got), got[0]
            return time.perf_counter() - start

        singles = [run(1) for _ in range(max(repeat, 5))]
        fleets = [run(hosts) for _ in range(repeat)]
    slowest, median = max(singles), statistics.median(fleets)
    print(f"[stub transport, 200 ms per host] single host: slowest {slowest:.3f} s; "
          f"{hosts} hosts, {parallel} at a time: median {median:.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t in fleets)}); {median / slowest:.2f}x")


def big_table(real_servers: int, repeat: int) -> None:
    per_vs = 100
    services = real_servers // per_vs
    conf: list[str] = []
    table: list[str] = []
    for s in range(services):
        vip = f"10.{s // 250}.{s % 250}.1"
        conf += [f"virtual_server {vip} 80 {{", "    protocol TCP", "    lvs_sched wrr",
                 "    lvs_method NAT"]
        table.append(f"-A -t {vip}:80 -s wrr")
        for r in range(per_vs):
            rip = f"172.{16 + s // 250}.{s % 250}.{r + 1}"
            conf += [f"    real_server {rip} 8080 {{", f"        weight {r % 5 + 1}",
                     "        TCP_CHECK {", "            connect_timeout 2", "        }",
                     "    }"]
            table.append(f"-a -t {vip}:80 -r {rip}:8080 -m -w {r % 5 + 1}")
        conf.append("}")
    with tempfile.TemporaryDirectory(prefix="kv-bench-") as tmp:
        path = Path(tmp) / "keepalived.conf"
        path.write_text("\n".join(conf) + "\n")
        text = "\n".join(table) + "\n"
        start = time.perf_counter()
        config = parse_file(path, "lb1").config
        parsed = time.perf_counter() - start
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            found = diff_host(expected_state(config), Observed("lb1", parse_ipvsadm(text)))
            times.append(time.perf_counter() - start)
            assert not found, found[:3]
    print(f"{services * per_vs} real servers in {services} services ({len(conf)} config lines): "
          f"table read + expected state + diff median {statistics.median(times):.3f} s "
          f"(runs: {', '.join(f'{t:.3f}' for t in times)}); reading the configuration "
          f"itself (kaconf's parser and model, not verify's) {parsed:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--parallel", type=int, default=50)
    ap.add_argument("--real-servers", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-fleet", action="store_true")
    args = ap.parse_args()
    big_table(args.real_servers, args.repeat)
    stub_fleet(args.hosts, args.parallel, args.repeat)
    if not args.skip_fleet:
        fleet(args.hosts, args.parallel, args.repeat, shared=False)
        fleet(args.hosts, args.parallel, args.repeat, shared=True)


if __name__ == "__main__":
    main()
