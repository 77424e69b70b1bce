"""The whole drill, LVS half included, on a real kernel IPVS: ../shared/tools/ipvs-vm/run.sh
boots Debian's kernel under QEMU with keepalived, ipvsadm and (IPVS_VM_EXTRA_PKGS) python3;
kaconf and its pure-Python dependencies come in with --copy, and `kaconf drill` runs inside
the VM, building its own lab of namespaces there (IPVS has one table per network namespace,
so each director namespace has its own). The harness's own keepalived gets an empty
configuration and no real servers (--no-auto-rs): it only hosts the run.

* the seed cluster (`--from corpus/clusters/seed-dr.toml`) passes all three behaviours;
* tests/drill/pairs/ka510 (the BACKUP lists one real server of two, KA510) fails behaviour 2,
  naming the real server missing from the BACKUP's table.

One VM run does both (about 3-5 minutes under TCG). Needs root and the Debian mirror the
first time the image is built; IPVS_VM_CACHE keeps the image.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = REPO.parent / "shared" / "tools" / "ipvs-vm" / "run.sh"
SEED = REPO / "corpus" / "clusters" / "seed-dr.toml"
KA510 = Path(__file__).resolve().parent / "pairs" / "ka510"
# kaconf's dependencies, pure Python or built for CPython 3.11 like the VM's python3
LIBS = ("librt.so.1", "libpthread.so.0", "libdl.so.2")   # glibc's, Debian 12 like the VM
PACKAGES = ("annotated_types", "click", "lark", "pydantic", "pydantic_core", "rich",
            "typing_extensions", "typing_inspection")
IN_VM = """\
export PYTHONPATH=/src/pkg:/src/site
# pydantic_core links librt, libpthread and libdl, which the image's glibc closure may lack
export LD_LIBRARY_PATH=/src/lib
for case in seed ka510; do
    case $case in
        seed) set -- --from /src/seed-dr.toml ;;
        ka510) set -- /src/ka510/ds1.conf /src/ka510/ds2.conf ;;
    esac
    python3 -m kaconf drill "$@" --format json --slack 3 > /out/$case.json 2> /out/$case.err
    echo $? > /out/$case.rc
done
ip netns list > /out/netns-after.txt
"""


def site_packages(into: Path) -> None:
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, f"{name} is not installed"
        origin = Path(spec.origin)
        if origin.name == "__init__.py":
            shutil.copytree(origin.parent, into / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, into / origin.name)


def steps(report: dict[str, object]) -> dict[str, dict[str, object]]:
    return {str(s["step"]): s for s in report["steps"]}  # type: ignore[attr-defined]


@pytest.mark.e2e
def test_whole_drill_on_real_ipvs(tmp_path: Path) -> None:
    assert os.geteuid() == 0, "the IPVS VM harness needs root"
    assert RUN.is_file(), f"{RUN} is missing (the shared tools are part of the CI checkout)"
    site = tmp_path / "site"
    site.mkdir()
    site_packages(site)
    libs = tmp_path / "lib"
    libs.mkdir()
    for lib in LIBS:
        shutil.copy2(Path("/lib/x86_64-linux-gnu") / lib, libs / lib)
    harness = tmp_path / "harness.conf"
    harness.write_text("global_defs {\n    router_id harness\n}\n", encoding="utf-8")
    script = tmp_path / "drill.sh"
    script.write_text(IN_VM, encoding="utf-8")
    out = tmp_path / "vm"
    env = {**os.environ, "IPVS_VM_EXTRA_PKGS": "python3", "IPVS_VM_MEM": "1024",
           "IPVS_VM_TIMEOUT": "1200",
           "IPVS_VM_CACHE": os.environ.get("IPVS_VM_CACHE", "/tmp/ipvs-vm-cache")}
    done = subprocess.run(
        ["bash", str(RUN), "--quiet", "--no-auto-rs", "--settle", "1", "--script", str(script),
         "--copy", f"{REPO / 'kaconf'}:/src/pkg/kaconf", "--copy", f"{site}:/src/site",
         "--copy", f"{libs}:/src/lib", "--copy", f"{SEED}:/src/seed-dr.toml", "--copy", f"{KA510}:/src/ka510",
         "-o", str(out), str(harness)],
        capture_output=True, text=True, timeout=1500, env=env)
    assert done.returncode in (0, 4), f"the VM did not run: {done.returncode}\n{done.stdout}"

    def result(case: str) -> tuple[int, dict[str, object]]:
        rc = (out / f"{case}.rc").read_text().strip()
        err = (out / f"{case}.err").read_text()
        assert (out / f"{case}.json").stat().st_size, f"{case}: exit {rc}\n{err}"
        return int(rc), json.loads((out / f"{case}.json").read_text())

    rc, seed = result("seed")
    assert rc == 0, json.dumps(seed, indent=1)
    got = steps(seed)
    assert all(s["verdict"] == "pass" for s in got.values()), json.dumps(seed, indent=1)
    traffic = got["traffic to 172.17.13.252:80 via ds1"]
    assert "172.17.13.142: " in str(traffic["observed"])
    assert "172.17.13.173: " in str(traffic["observed"])
    assert "persistence, not imbalance" in str(traffic["observed"])
    counted = re.findall(r"(\S+): (\d+) answered, ipvsadm (\d+) conns", str(traffic["observed"]))
    assert [rs for rs, _, _ in counted] == ["172.17.13.142", "172.17.13.173"]
    assert all(heard == conns and int(heard) > 0 for _, heard, conns in counted), counted
    assert "ds2's IPVS table serves" in got
    switch = re.match(r"(\d+) of (\d+) lost", str(got["requests during the switch"]["observed"]))
    assert switch is not None and int(switch.group(2)) > 0, got["requests during the switch"]
    for rs in ("172.17.13.142", "172.17.13.173"):
        assert got[f"stop real server {rs}"]["verdict"] == "pass"
        assert got[f"start real server {rs}"]["verdict"] == "pass"

    rc, ka510 = result("ka510")
    assert rc == 1, json.dumps(ka510, indent=1)
    failed = [s for s in ka510["steps"] if s["verdict"] == "fail"]  # type: ignore[attr-defined]
    assert [s["step"] for s in failed] == ["ds2's IPVS table serves"], json.dumps(ka510,
                                                                                 indent=1)
    assert "missing on ds2: 172.17.13.173" in failed[0]["observed"]
    assert not [n for n in (out / "netns-after.txt").read_text().split() if n.startswith("kd-")]
