"""`kaconf verify` through click's CliRunner: sources, formats, exit codes, --collect."""
from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kaconf.cli import cli
from tests.verify.sshd_lab import SshLab, ssh_lab

REAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ipvsadm" / "real"
DR_NAT = REAL / "dr-nat"

CONF = """\
    vrrp_instance VI_1 {
        state @STATE@
        interface eth0
        virtual_router_id 51
        priority @PRIO@
        virtual_ipaddress {
            10.0.0.10/24
        }
    }
    virtual_server 10.0.0.10 80 {
        protocol TCP
        lvs_sched rr
        real_server 10.0.1.11 80 {
            weight 2
        }
    }
"""
TABLE = "-A -t 10.0.0.10:80 -s rr\n-a -t 10.0.0.10:80 -r 10.0.1.11:80 -m -w 2\n"


def kaconf(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["verify", *args], input=stdin)


def director(folder: Path, state: str, prio: str, table: str, *ips: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "keepalived.conf").write_text(
        textwrap.dedent(CONF).replace("@STATE@", state).replace("@PRIO@", prio))
    (folder / "ipvsadm.txt").write_text(table)
    (folder / "ip-addr.json").write_text(json.dumps([{"ifname": "eth0", "flags": ["UP"],
        "addr_info": [{"family": "inet", "local": ip, "prefixlen": 24} for ip in ips]}]))
    return folder


def test_clean_table_exits_0(tmp_path: Path) -> None:
    d = director(tmp_path / "lb1", "MASTER", "150", TABLE, "10.0.0.10")
    result = kaconf("--config", str(d / "keepalived.conf"), "--ipvsadm-output",
                    str(d / "ipvsadm.txt"), "--addr-output", str(d / "ip-addr.json"))
    assert (result.exit_code, result.stdout) == (0, "no problems in 1 file\n")


def test_real_capture_from_stdin_reports_the_stopped_server(tmp_path: Path) -> None:
    table = (DR_NAT / "states" / "after-stop" / "ipvsadm-Sn.txt").read_text()
    result = kaconf("--config", str(DR_NAT / "keepalived.conf"), "--ipvsadm-output", "-",
                    "--format", "json", stdin=table)
    assert result.exit_code == 1
    found = [(d["code"], d["line"], d["severity"]) for d in json.loads(result.stdout)]
    assert found == [("KA603", 38, "warning"), ("KA603", 71, "warning")]


def test_unparsable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "ipvsadm.txt"
    bad.write_text("-A -t 10.0.0.10:80 -s rr\nsomething else\n")
    result = kaconf("--config", str(DR_NAT / "keepalived.conf"), "--ipvsadm-output", str(bad))
    assert result.exit_code == 2
    assert result.stderr == (f"kaconf: {bad}:2: expected an -A (service) or -a (real server) "
                             "line of ipvsadm -Sn: 'something else'\n")


@pytest.mark.parametrize("args", [
    pytest.param([], id="no-source"),
    pytest.param(["--ipvsadm-output", "x", "--from-dir", "y"], id="two-sources"),
    pytest.param(["--collect", "--host", "lb1"], id="collect-without-o"),
    pytest.param(["--collect", "-o", "out", "--ipvsadm-output", "x"], id="collect-without-host"),
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = kaconf(*args)
    assert result.exit_code == 2 and result.stderr.startswith("kaconf: ")


def test_from_dir_fleet_with_vip_on_both(tmp_path: Path) -> None:
    director(tmp_path / "fleet" / "lb1", "MASTER", "150", TABLE, "10.0.0.1", "10.0.0.10")
    director(tmp_path / "fleet" / "lb2", "BACKUP", "100", TABLE, "10.0.0.2", "10.0.0.10")
    result = kaconf("--from-dir", str(tmp_path / "fleet"), "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "KA610" in result.stdout and "10.0.0.10 is up on lb1 and lb2" in result.stdout


@pytest.mark.parametrize("fmt", ["sarif", "junit", "text"])
def test_every_format_renders_the_findings(tmp_path: Path, fmt: str) -> None:
    d = director(tmp_path / "lb1", "MASTER", "150", TABLE.replace("-w 2", "-w 9"), "10.0.0.10")
    result = kaconf("--config", str(d / "keepalived.conf"), "--ipvsadm-output",
                    str(d / "ipvsadm.txt"), "--format", fmt)
    assert result.exit_code == 1 and "KA605" in result.stdout


def test_missing_folder_is_exit_2(tmp_path: Path) -> None:
    result = kaconf("--from-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "not a folder" in result.stderr


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshLab]:
    with ssh_lab(tmp_path_factory.mktemp("kv-cli-ssh") / "lab") as running:
        yield running


def ssh_config(lab: SshLab, path: Path) -> Path:
    options = lab.client_options()
    pairs = dict(zip(options[2::2], options[3::2], strict=False))
    lines = ["Host lb1 lbdown", "  HostName 127.0.0.1", f"  Port {lab.port}", "  User root",
             f"  IdentityFile {lab.root / 'user_key'}", "  IdentitiesOnly yes",
             f"  UserKnownHostsFile {lab.root / 'known_hosts'}", "  StrictHostKeyChecking yes",
             "  ControlPath none", "Host lbdown", "  SetEnv KV_MODE=fail"]
    assert pairs["-o"]  # the lab's own options name the same files
    path.write_text("\n".join(lines) + "\n")
    return path


def test_collect_then_verify_offline(tmp_path: Path, lab: SshLab) -> None:
    cfg = ssh_config(lab, tmp_path / "ssh_config")
    out = tmp_path / "fleet"
    conf = str(DR_NAT / "keepalived.conf")
    result = kaconf("--collect", "--host", f"lb1={conf}", "--host", f"lbdown={conf}",
                    "-o", str(out), "--ssh-config", str(cfg), "--timeout", "10")
    assert result.exit_code == 2, result.output
    assert "lbdown: ipvsadm -Sn failed (exit 2)" in result.stderr
    assert result.stdout == f"collected 1 of 2 directors into {out}\n"
    assert sorted(p.name for p in (out / "lb1").iterdir()) == [
        "ip-addr.json", "ipvsadm-stats.txt", "ipvsadm.txt", "keepalived.conf"]
    offline = kaconf("--from-dir", str(out), "--format", "json", "--config-id", "lb1")
    live = kaconf("--host", f"lb1={conf}", "--ssh-config", str(cfg), "--format", "json",
                  "--config-id", "lb1")
    # the fixture prints dr-nat's after-stop table; the VIPs are not on this machine
    codes = sorted(d["code"] for d in json.loads(live.stdout))
    assert codes == ["KA603", "KA603", "KA609", "KA609"]
    assert sorted(d["code"] for d in json.loads(offline.stdout)) == codes
    assert (live.exit_code, offline.exit_code) == (1, 1)
