"""Collecting from directors: a real OpenSSH server on 127.0.0.1 whose ipvsadm is a fixture,
this machine (`local`), and the folder format of --collect / --from-dir."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaconf.verify.hosts import (
    COLLECT_SCRIPT,
    Capture,
    CollectError,
    CollectOptions,
    HostFailure,
    collect,
    read_dir,
    ssh_argv,
    write_dir,
)
from kaconf.verify.ipaddr import parse_ip_addr
from kaconf.verify.ipvsadm import ListingError, parse_ipvsadm
from tests.verify.sshd_lab import CAPTURE, SshLab, free_port, ssh_lab

TIMEOUT = 5.0


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshLab]:
    with ssh_lab(tmp_path_factory.mktemp("kv-ssh") / "lab") as running:
        yield running


def options(lab: SshLab, mode: str = "ok", **extra: object) -> CollectOptions:
    ssh = extra.pop("ssh_options", None) or lab.client_options(mode)
    return CollectOptions(timeout=TIMEOUT, connect_timeout=3, ssh_options=ssh,  # type: ignore[arg-type]
                          **extra)  # type: ignore[arg-type]


def test_fixture_host_returns_the_captured_table(lab: SshLab) -> None:
    (got,) = collect([("127.0.0.1", None)], options(lab))
    assert isinstance(got, Capture), got
    assert got.ipvsadm.strip() == (CAPTURE / "ipvsadm-Sn.txt").read_text().strip()
    assert len(parse_ipvsadm(got.ipvsadm, got.ipvsadm_source).services) == 2
    assert got.stats is not None and parse_ipvsadm(got.stats).format.value.endswith("--stats")
    assert got.addresses is not None and parse_ip_addr(got.addresses).addresses
    assert got.hostname and got.check_data is None


@pytest.mark.parametrize(("mode", "reason"), [
    pytest.param("fail", "ipvsadm -Sn failed (exit 2): Can't initialize ipvs", id="remote-fails"),
    pytest.param("hang", f"no answer within {TIMEOUT:g} s", id="remote-hangs"),
    pytest.param("big", "output exceeds 1048576 bytes", id="remote-prints-100MB"),
])
def test_broken_remote_is_one_host_failure(lab: SshLab, mode: str, reason: str) -> None:
    (got,) = collect([("127.0.0.1", None)], options(lab, mode, max_output=1 << 20))
    assert isinstance(got, HostFailure)
    assert reason in got.reason


def test_unreachable_port_is_a_host_failure(lab: SshLab) -> None:
    closed = free_port()
    (got,) = collect([("127.0.0.1", None)],
                     options(lab, ssh_options=lab.client_options(port=closed)))
    assert isinstance(got, HostFailure)
    assert got.reason.startswith("ssh failed:") and "Connection refused" in got.reason


def test_host_key_mismatch_is_refused(lab: SshLab) -> None:
    wrong = lab.wrong_known_hosts()
    (got,) = collect([("127.0.0.1", None)],
                     options(lab, ssh_options=lab.client_options(known_hosts=wrong)))
    assert isinstance(got, HostFailure)
    assert "Host key verification failed" in got.reason


def test_garbage_is_collected_then_refused_by_the_reader_with_controls_escaped(
        lab: SshLab) -> None:
    (got,) = collect([("127.0.0.1", None)], options(lab, "garbage"))
    assert isinstance(got, Capture)
    with pytest.raises(ListingError) as err:
        parse_ipvsadm(got.ipvsadm, got.ipvsadm_source)
    assert "\x1b" not in str(err.value) and "\\x1b" in str(err.value)


def test_fleet_runs_in_parallel_and_one_bad_host_does_not_stop_the_others(lab: SshLab) -> None:
    closed = free_port()
    hosts = [(f"ssh://127.0.0.1:{lab.port}", None), (f"ssh://127.0.0.1:{closed}", "b.conf"),
             (f"ssh://127.0.0.1:{lab.port}", "c.conf")]
    done: list[str] = []
    got = collect(hosts, options(lab, ssh_options=lab.client_options(pin_port=False),
                                 parallel=2), on_done=lambda r: done.append(r.host))
    assert [type(g).__name__ for g in got] == ["Capture", "HostFailure", "Capture"]
    assert isinstance(got[2], Capture) and got[2].config_path == "c.conf"
    assert sorted(done) == sorted(h for h, _ in hosts)


def test_control_master_connection_is_reused(lab: SshLab) -> None:
    shared = lab.client_options(control=lab.control_socket())
    first, second = (collect([("127.0.0.1", None)], options(lab, ssh_options=shared))[0]
                     for _ in range(2))
    assert isinstance(first, Capture) and isinstance(second, Capture)
    folder = Path(lab.control_socket()).parent
    assert [p for p in folder.iterdir() if p.is_socket()], "no master socket"


def test_ssh_argv_is_a_list_with_batch_mode_and_never_the_host_in_the_script() -> None:
    argv = ssh_argv("lb1.example", CollectOptions(connect_timeout=7))
    assert argv[3:7] == ["-o", "BatchMode=yes", "-o", "ConnectTimeout=7"]
    config = Path(argv[2]).read_text()
    assert config.startswith("Include ~/.ssh/config\nInclude /etc/ssh/ssh_config\nHost *\n")
    assert "ControlMaster auto" in config
    assert argv[-2] == "lb1.example" and argv[-3] == "--"
    assert "lb1" not in argv[-1] and "ipvsadm -Sn" in argv[-1]
    with pytest.raises(CollectError):
        ssh_argv("-oProxyCommand=evil", CollectOptions())


def test_sudo_runs_the_same_script_without_prompting() -> None:
    argv = ssh_argv("lb1", CollectOptions(sudo=True))
    assert argv[-1].startswith("sudo -n sh -c ")


def test_local_host_runs_the_script_here(tmp_path: Path, lab: SshLab,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{lab.root / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (got,) = collect([("local", None)], CollectOptions(timeout=TIMEOUT))
    assert isinstance(got, Capture) and "-A -t 203.0.113.10:80" in got.ipvsadm
    monkeypatch.setenv("KV_MODE", "fail")
    (failed,) = collect([("local", None)], CollectOptions(timeout=TIMEOUT))
    assert isinstance(failed, HostFailure) and "exit 2" in failed.reason


def test_collected_folders_read_back_and_are_not_overwritten(tmp_path: Path) -> None:
    conf = tmp_path / "lb1.conf"
    conf.write_text("global_defs {\n}\n")
    caps = [Capture("lb1", "-A -t 10.0.0.1:80 -s rr\n", "x", addresses="[]", config_path=str(conf)),
            Capture("../evil/lb2", "", "y", check_data="data")]
    out = tmp_path / "fleet"
    written = write_dir(caps, out)
    assert [p.name for p in written] == ["lb1", "_evil_lb2"]
    back = read_dir(out)
    assert [b.host for b in back] == ["_evil_lb2", "lb1"]
    lb1 = back[1]
    assert isinstance(lb1, Capture)
    assert (lb1.ipvsadm, lb1.addresses, Path(lb1.config_path or "").read_text()) == (
        "-A -t 10.0.0.1:80 -s rr\n", "[]", "global_defs {\n}\n")
    with pytest.raises(CollectError, match="exists"):
        write_dir(caps, out)
    write_dir([Capture("lb1", "", "z")], out, force=True)
    assert (out / "lb1" / "ipvsadm.txt").read_text() == ""
    assert not (out / "lb1" / "keepalived.conf").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_folder_without_ipvsadm_output_is_a_host_failure(tmp_path: Path) -> None:
    (tmp_path / "lb1").mkdir()
    (got,) = read_dir(tmp_path)
    assert isinstance(got, HostFailure) and "ipvsadm.txt: no such file" in got.reason


def test_script_is_a_constant() -> None:
    assert "ipvsadm -Ln --stats" in COLLECT_SCRIPT and "ip -j addr" in COLLECT_SCRIPT
