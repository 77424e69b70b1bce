"""verify against a real kernel IPVS table programmed by the real keepalived, in the QEMU VM of
../shared/tools/ipvs-vm/run.sh (about a minute per run).

Corpus configurations covering fwmark, a virtual_server_group, IPv6, NAT, DR and TUN run
there, and verify of their fresh tables with keepalived's check data is clean (without it, the
only findings are warnings for real servers whose checks fail in the VM: DNS_CHECK against a
plain UDP echo, HTTP_GET of a path the VM's web server lacks). Then a --script changes the live
table of the classic DR pair's MASTER behind keepalived's back (`ipvsadm -e` a weight, `-d` a
real server, `-E` the scheduler, which also drops persistence), and verify of that capture
reports exactly KA605, KA603, KA606 and KA608 at the right lines.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kaconf.verify.directors import Director, verify_directors
from kaconf.verify.hosts import Capture

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
SHARED = HERE.parents[3] / "shared"
RUN = SHARED / "tools" / "ipvs-vm" / "run.sh"
CLASSIC = REPO / "corpus" / "classic-dr" / "master.conf"
CORPUS = ["fwmark/fwmark-web.conf", "vs-group/vsg-web.conf", "ipv6/dual-stack.conf",
          "lvs-nat/web-nat.conf", "lvs-tun/dns-tun.conf"]

DUMP = """\
sig=$(keepalived --signum=DATA)
for p in $(pidof keepalived); do kill -s "$sig" "$p" 2>/dev/null; done
sleep 2
"""
DRIFT = """\
old=$(snap)
ipvsadm -e -t 172.17.13.252:80 -r 172.17.13.142:80 -g -w 5
ipvsadm -d -t 172.17.13.252:80 -r 172.17.13.173:80
ipvsadm -E -t 172.17.13.252:80 -s wlc
settle "$old"
"""
CHECK_CMD = ("for f in /tmp/keepalived_check.data; do [ -r \"$f\" ] && "
             "{ echo '@@check'; cat \"$f\"; }; done; true")


def run_vm(tmp_path: Path, config: Path, script: str, *extra: str) -> Path:
    assert RUN.exists(), f"{RUN} is missing"
    out = tmp_path / "out"
    (tmp_path / "script.sh").write_text(script + "capture checked\n")
    env = dict(os.environ)
    env.setdefault("IPVS_VM_CACHE", str(tmp_path.parent / "ipvs-vm-cache"))
    done = subprocess.run(
        ["bash", str(RUN), "--quiet", "--script", str(tmp_path / "script.sh"), "--cmd", CHECK_CMD,
         *extra, "-o", str(out), str(config)],
        env=env, capture_output=True, text=True, timeout=900, check=False)
    status = (out / "status").read_text().strip() if (out / "status").exists() else "no status"
    assert done.returncode == 0 and status == "ok", f"{status}\n{done.stdout[-3000:]}" \
                                                    f"\n{done.stderr[-3000:]}"
    return out


def captured(out: Path, state: str, config: Path) -> list[tuple[str, str, int]]:
    folder = out / "states" / state
    cmd = next(folder.glob("cmd-*.txt")).read_text()
    check = cmd.split("@@check\n", 1)[1] if "@@check\n" in cmd else None
    cap = Capture(state, (folder / "ipvsadm-Sn.txt").read_text(), str(folder / "ipvsadm-Sn.txt"),
                  addresses=(folder / "ip-addr.txt").read_text(),
                  addresses_source=str(folder / "ip-addr.txt"), check_data=check)
    report = verify_directors([Director(cap, str(config))])
    return [(d.code, d.severity.value, d.span.line) for d in report.diagnostics]


def test_corpus_dr_is_clean_then_hand_made_drift_is_reported(tmp_path: Path) -> None:
    out = run_vm(tmp_path, CLASSIC, DRIFT + DUMP)
    assert captured(out, "initial", CLASSIC) == []
    lines = CLASSIC.read_text().splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if text in line)

    assert sorted(captured(out, "checked", CLASSIC)) == sorted([
        ("KA605", "error", line_of("weight 1")),          # the first real server's weight
        ("KA603", "error", line_of("real_server 172.17.13.173")),
        ("KA606", "error", line_of("lb_algo rr")),
        ("KA608", "error", line_of("persistence_timeout 50")),
    ])


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_config_is_clean_on_real_ipvs(tmp_path: Path, name: str) -> None:
    config = REPO / "corpus" / name
    out = run_vm(tmp_path, config, DUMP)
    assert captured(out, "checked", config) == []
    assert {(code, severity) for code, severity, _ in captured(out, "initial", config)} <= {
        ("KA603", "warning")}
