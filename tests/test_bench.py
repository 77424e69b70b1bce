"""bench/bench.py runs end to end and its JSON holds the figures beside keepalived -t (it
asserts nothing about speed: the benchmark is the measure, not a test)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench.py"


def test_bench_json_has_each_row_beside_keepalived(tmp_path: Path) -> None:
    keepalived = shutil.which("keepalived") or "/usr/sbin/keepalived"
    if not Path(keepalived).exists():
        pytest.skip("keepalived is not installed")
    kaconf = f"{sys.executable} -m kaconf"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "100", "--fleet", "2", "--repeat", "1",
         "--no-startup", "--json", "--out", str(tmp_path), "--kaconf", kaconf,
         "--keepalived", keepalived], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = {row["size"]: row for row in json.loads(done.stdout)["rows"]}
    assert set(rows) == {100, "fleet-2"}
    for row in rows.values():
        assert row["kaconf"]["exit"] == 0 and row["kaconf"]["samples_ms"]
        assert row["keepalived"]["samples_ms"] and row["kaconf"]["maxrss_mb"] > 0
        for key, field in (("time_ratio", "median_ms"), ("cpu_ratio", "cpu_median_ms"),
                           ("mem_ratio", "maxrss_mb")):
            assert row[key] == pytest.approx(row["kaconf"][field] / row["keepalived"][field])
    assert rows["fleet-2"]["files"] == 4
