"""The drill's report: verdicts to exit codes, the table, JSON and back."""
from __future__ import annotations

import io
import json

from kaconf.drill.timeline import (
    Step,
    Timeline,
    Verdict,
    render_json,
    render_text,
    timeline_from_json,
)

START = Step("2 failover", "start ds1, then ds2", "VI_1 172.17.13.252 on ds1",
             "on ds1 after 3.41 s and stayed", 3.414, Verdict.PASS)
SPLIT = Step("2 failover", "start ds1, then ds2", "VI_1 172.17.13.252 on ds1",
             "split brain: 172.17.13.252 on ds1 and ds2 at once", None, Verdict.FAIL)
SKIP = Step("1 load balancing", "traffic through the VIPs", "a TCP virtual_server on kernel "
            "IPVS", "skipped: the kernel has no IPVS", None, Verdict.SKIP)


def test_skipped_steps_pass_and_a_failed_step_or_a_leftover_fails() -> None:
    assert Timeline([START, SKIP]).exit_code == 0
    assert Timeline([START, SPLIT]).exit_code == 1
    assert Timeline([START], left_behind=["kd-sw"]).exit_code == 1


def test_the_table_names_each_failure_and_why() -> None:
    out = io.StringIO()
    render_text(Timeline([SPLIT, SKIP], replaced=["nothing"]), out, width=200)
    text = out.getvalue()
    assert "split brain: 172.17.13.252 on ds1 and ds2 at once" in text
    assert "SKIPPED" in text and "\x1b[" not in text
    assert text.rstrip().endswith("FAIL: 1 step(s) differ from the configuration: start ds1, "
                                  "then ds2: split brain: 172.17.13.252 on ds1 and ds2 at once")


def test_json_round_trips() -> None:
    timeline = Timeline([START, SPLIT, SKIP], lab=["director ds1"], replaced=["x"],
                        skipped=["the LVS half"])
    out = io.StringIO()
    render_json(timeline, out)
    data = json.loads(out.getvalue())
    assert data["result"] == "fail" and data["exit_code"] == 1
    assert data["steps"][0]["seconds"] == 3.41
    back = timeline_from_json(data)
    assert back.as_json() == data
