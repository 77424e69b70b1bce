"""kaconf drill end to end on this machine: real keepalived daemons in the drill's own lab of
network namespaces. The kernel here has no IPVS, so the VRRP half runs and the LVS half is
reported as skipped with the reason (tests/drill/test_drill_ipvs.py runs the whole drill on a
real IPVS kernel). Needs root, iproute2 and keepalived: without them these tests fail.

* the bundled classic pair and gen-pair's seed pair (--from): the VIP starts on the MASTER,
  moves to the BACKUP within 3 x advert_int + skew when keepalived stops there, and returns;
* a nopreempt pair: the VIP stays where it moved;
* a track-script pair with --fail-script ds1:chk_web: priority 150 - 60 = 90 < 100, so the
  VIP starts on ds2;
* a KA501 pair (two VRIDs): the split brain is reported, exit 1;
* SIGINT in the middle: nothing is left behind.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kaconf import api
from kaconf.drill.lab import ipvs_unavailable, preflight
from kaconf.drill.timeline import Timeline, Verdict

REPO = Path(__file__).resolve().parents[2]
PAIRS = Path(__file__).resolve().parent / "pairs"
CLASSIC = [REPO / "corpus" / "classic-dr" / "master.conf",
           REPO / "corpus" / "classic-dr" / "backup.conf"]
SEED = REPO / "corpus" / "clusters" / "seed-dr.toml"


def pair(name: str) -> list[Path]:
    return [PAIRS / name / "ds1.conf", PAIRS / name / "ds2.conf"]


@pytest.fixture(autouse=True)
def lab_tools() -> None:
    """Fail, never skip, where the lab cannot run: CI installs everything it needs."""
    try:
        preflight()
    except api.DrillError as exc:
        pytest.fail(f"the drill cannot run here: {exc}")


def leftovers() -> list[str]:
    """Namespaces and processes of a drill, and its temporary folders."""
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                           check=True).stdout.split()
    found = [n for n in names if n.startswith("kd-")]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue        # ended while we looked
        if "kaconf-drill-" in args:
            found.append(f"{cmdline.parent.name} {args}")
    found += [str(p) for p in Path("/tmp").glob("kaconf-drill-*")]
    return found


def rows(timeline: Timeline) -> dict[str, tuple[Verdict, str]]:
    return {s.step: (s.verdict, s.observed) for s in timeline.steps}


def show(timeline: Timeline) -> str:
    return json.dumps(timeline.as_json(), indent=1)


def check_lvs_half(timeline: Timeline) -> None:
    """Without kernel IPVS the LVS steps say why they were skipped; with it they pass."""
    reason = ipvs_unavailable()
    lvs = [s for s in timeline.steps if "IPVS" in s.expected or "real server" in s.step]
    if reason is None:
        assert all(s.verdict is Verdict.PASS for s in lvs), show(timeline)
    else:
        assert lvs and all(s.verdict is Verdict.SKIP and reason in s.observed for s in lvs)
        assert any(reason in line for line in timeline.skipped)


@pytest.mark.e2e
def test_classic_pair_fails_over_and_returns_as_configured() -> None:
    timeline = api.drill(CLASSIC)
    assert timeline.exit_code == 0, show(timeline)
    got = rows(timeline)
    assert got["start master, then backup"][0] is Verdict.PASS
    assert got["stop keepalived on master"] == (Verdict.PASS, got["stop keepalived on master"][1])
    assert got["stop keepalived on master"][1].startswith("on backup after ")
    assert got["start keepalived on master again"][1].startswith("on master after ")
    stop = next(s for s in timeline.steps if s.step == "stop keepalived on master")
    assert "3 x advert_int 1 + skew 0.61 = 3.61 s" in stop.expected
    check_lvs_half(timeline)
    assert leftovers() == []


@pytest.mark.e2e
def test_generated_seed_pair_from_its_description() -> None:
    timeline = api.drill(description=SEED)
    assert timeline.exit_code == 0, show(timeline)
    got = rows(timeline)
    assert got["start ds1, then ds2"][0] is Verdict.PASS
    assert got["stop keepalived on ds1"][1].startswith("on ds2 after ")
    assert got["start keepalived on ds1 again"][1].startswith("on ds1 after ")
    assert any("kaconf-rs.sh" in line and "172.17.13.142" in line for line in timeline.lab)
    check_lvs_half(timeline)


@pytest.mark.e2e
def test_nopreempt_pair_keeps_the_vip_where_it_moved() -> None:
    timeline = api.drill(pair("nopreempt"))
    assert timeline.exit_code == 0, show(timeline)
    back = next(s for s in timeline.steps if s.step == "start keepalived on ds1 again")
    assert "nopreempt on ds1: it stays" in back.expected
    assert back.observed.startswith("on ds2 after ") and back.verdict is Verdict.PASS


@pytest.mark.e2e
def test_failing_track_script_moves_the_vip_by_its_weight() -> None:
    timeline = api.drill(pair("track"), fail_scripts=["ds1:chk_web"])
    assert timeline.exit_code == 0, show(timeline)
    start = timeline.steps[0]
    assert start.step == "start ds2, then ds1"
    assert "ds1: priority 150, chk_web fails -60 = 90; ds2: priority 100" in start.expected
    assert start.observed.startswith("on ds2 after ")
    assert any("vrrp_script chk_web script '/usr/local/bin/check_web.sh' -> fail.sh" in r
               and r.startswith("ds1:") for r in timeline.replaced)


@pytest.mark.e2e
def test_different_vrids_are_reported_as_a_split_brain_with_exit_1() -> None:
    done = subprocess.run([sys.executable, "-m", "kaconf", "drill", *map(str, pair("ka501")),
                           "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["result"] == "fail"
    failed = [s for s in report["steps"] if s["verdict"] == "fail"]
    assert len(failed) == 1, report
    assert failed[0]["observed"].startswith("split brain: 172.17.13.252 on ds1 and ds2 at once")
    assert "virtual_router_id 51 on ds1, 52 on ds2 (KA501)" in failed[0]["observed"]
    assert leftovers() == []


@pytest.mark.e2e
def test_sigint_in_the_middle_leaves_nothing_behind() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kaconf", "drill", *map(str, CLASSIC)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end and not any("kaconf-drill-" in x and "keepalived" in x
                                                 for x in leftovers()):
            time.sleep(0.2)
        assert any("keepalived" in x for x in leftovers()), "the drill never started keepalived"
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, out + err
    assert "drill interrupted (SIGINT); the lab was removed" in err
    assert "Traceback" not in err
    assert leftovers() == []


def test_names_in_use_stop_the_drill_before_it_builds_anything() -> None:
    subprocess.run(["ip", "netns", "add", "kd-sw"], check=True)
    try:
        done = subprocess.run([sys.executable, "-m", "kaconf", "drill", *map(str, CLASSIC)],
                              capture_output=True, text=True, timeout=60)
        names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    finally:
        subprocess.run(["ip", "netns", "del", "kd-sw"], check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == ("kaconf: network namespace kd-sw already exists: "
                                   "another drill is running, or one was killed (remove it: "
                                   "ip netns del kd-sw)")
    assert [n for n in names.split() if n.startswith("kd-")] == ["kd-sw"]


def test_not_root_is_exit_2_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           sys.executable, "-m", "kaconf", "drill", *map(str, CLASSIC)],
                          capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("kaconf: drill needs root: it creates network namespaces "
                           "(run it with sudo)\n")


def test_one_file_without_config_ids_is_exit_2() -> None:
    done = subprocess.run([sys.executable, "-m", "kaconf", "drill", str(CLASSIC[0])],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("kaconf: drill needs two or more directors")
