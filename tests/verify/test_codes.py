"""One test (at least) per verify code, and the explanations' examples checked by verify."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kaconf.diagnostics import Severity
from kaconf.document import Report
from kaconf.rules.base import section
from kaconf.verify.codes import VERIFY_CODES
from kaconf.verify.directors import Director, verify_directors
from kaconf.verify.hosts import Capture, HostFailure

EXPLANATIONS = {c.code: c.explanation for c in VERIFY_CODES}
SINGLE = [c.code for c in VERIFY_CODES if "## Live" in EXPLANATIONS[c.code]]


def run(tmp_path: Path, config: str, table: str, addresses: object = None,
        host: str = "lb1", check: str | None = None) -> Report:
    conf = tmp_path / f"{host}.conf"
    conf.write_text(textwrap.dedent(config))
    cap = Capture(host, textwrap.dedent(table), f"{host}/ipvsadm.txt",
                  addresses=None if addresses is None else json.dumps(addresses),
                  addresses_source=f"{host}/ip-addr.json", check_data=check)
    return verify_directors([Director(cap, str(conf), config_id=host)])


def found(report: Report) -> list[tuple[str, str, int]]:
    return [(d.code, d.severity.value, d.span.line) for d in report.diagnostics]


@pytest.mark.parametrize("code", SINGLE)
def test_explanation_bad_example_fires_and_good_is_quiet(tmp_path: Path, code: str) -> None:
    text = EXPLANATIONS[code]
    live = section(text, "Live")
    bad = run(tmp_path, section(text, "Bad"), live)
    assert code in [d.code for d in bad.diagnostics]
    good = run(tmp_path, section(text, "Good"), live)
    assert code not in [d.code for d in good.diagnostics]


def test_every_code_is_explained_with_why_bad_and_good() -> None:
    assert [c.code for c in VERIFY_CODES] == [f"KA6{n:02d}" for n in range(13)]
    for code in VERIFY_CODES:
        text = EXPLANATIONS[code.code]
        assert "## Why it matters" in text and "## Bad" in text and "## Good" in text


CONF = """\
    virtual_server 10.0.0.10 80 {
        protocol TCP
        lvs_sched wrr
        lvs_method DR
        persistence_timeout 300
        persistence_granularity 255.255.255.0
        real_server 10.0.1.11 80 {
            weight 3
            TCP_CHECK {
                connect_timeout 2
            }
        }
        real_server 10.0.1.12 80 {
            weight 2
            inhibit_on_failure
            TCP_CHECK {
                connect_timeout 2
            }
        }
        real_server 10.0.1.13 80 {
            weight 1
        }
    }
"""
LIVE = """\
    -A -t 10.0.0.10:80 -s wrr -p 300 -M 255.255.255.0
    -a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 3
    -a -t 10.0.0.10:80 -r 10.0.1.12:80 -g -w 2
    -a -t 10.0.0.10:80 -r 10.0.1.13:80 -g -w 1
"""


def live_without(*words: str) -> str:
    return "".join(line + "\n" for line in textwrap.dedent(LIVE).splitlines()
                   if not any(w in line for w in words))


def test_table_that_agrees_exactly_has_no_findings(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, LIVE)
    assert found(report) == [] and report.exit_code() == 0


def test_listing_format_does_not_matter(tmp_path: Path) -> None:
    listing = """\
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.0.0.10:80 wrr persistent 300 mask 255.255.255.0
          -> 10.0.1.13:80                 Route   1      0          0
          -> 10.0.1.12:80                 Route   2      0          0
          -> 10.0.1.11:80                 Local   3      4          0
        """
    assert found(run(tmp_path, CONF, listing)) == []


def test_ka601_service_missing(tmp_path: Path) -> None:
    assert found(run(tmp_path, CONF, "")) == [("KA601", "error", 1)]


def test_ka602_service_unexpected_points_at_the_same_address(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, LIVE + "-A -u 10.0.0.10:53 -s rr\n-A -t 10.9.9.9:1 -s rr\n")
    assert found(report) == [("KA602", "error", 1), ("KA602", "error", 1)]
    assert "lb1 runs UDP 10.0.0.10:53" in report.diagnostics[0].message \
        or "lb1 runs UDP 10.0.0.10:53" in report.diagnostics[1].message


@pytest.mark.parametrize(("gone", "expected"), [
    pytest.param("10.0.1.11", [("KA603", "warning", 7)], id="checked-may-have-failed"),
    pytest.param("10.0.1.12", [("KA603", "error", 13)], id="inhibit-would-keep-it"),
    pytest.param("10.0.1.13", [("KA603", "error", 20)], id="nothing-removes-it"),
])
def test_ka603_real_server_missing(tmp_path: Path, gone: str,
                                   expected: list[tuple[str, str, int]]) -> None:
    assert found(run(tmp_path, CONF, live_without(f"-r {gone}"))) == expected


def test_ka603_not_reported_when_check_data_says_it_is_down(tmp_path: Path) -> None:
    check = textwrap.dedent("""\
         VS VIP = 10.0.0.10, VPORT = 80
           protocol = TCP
           RIP = 10.0.1.11, RPORT = 80, WEIGHT = 3 EFF WEIGHT = 3
           alive = 0
        """)
    assert found(run(tmp_path, CONF, live_without("-r 10.0.1.11"), check=check)) == []


def test_ka603_is_an_error_when_check_data_says_it_is_up(tmp_path: Path) -> None:
    check = textwrap.dedent("""\
         VS VIP = 10.0.0.10, VPORT = 80
           protocol = TCP
           RIP = 10.0.1.11, RPORT = 80, WEIGHT = 3 EFF WEIGHT = 3
           alive = 1
        """)
    report = run(tmp_path, CONF, live_without("-r 10.0.1.11"), check=check)
    assert found(report) == [("KA603", "error", 7)]
    assert "behind keepalived's back" in report.diagnostics[0].message


def test_ka604_real_server_unexpected(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, LIVE + "-a -t 10.0.0.10:80 -r 10.0.1.99:80 -g -w 1\n")
    assert found(report) == [("KA604", "error", 1)]
    assert "10.0.1.99:80" in report.diagnostics[0].message


def test_ka605_weight_mismatch_points_at_the_weight(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, LIVE.replace("10.0.1.11:80 -g -w 3", "10.0.1.11:80 -g -w 7"))
    assert found(report) == [("KA605", "error", 8)]
    assert report.diagnostics[0].span.column == 16   # the "3" of `weight 3`


def test_weight_zero_under_inhibit_on_failure_is_expected(tmp_path: Path) -> None:
    live = LIVE.replace("10.0.1.12:80 -g -w 2", "10.0.1.12:80 -g -w 0")
    assert found(run(tmp_path, CONF, live)) == []
    # without inhibit_on_failure a weight 0 is drift
    live = LIVE.replace("10.0.1.11:80 -g -w 3", "10.0.1.11:80 -g -w 0")
    assert found(run(tmp_path, CONF, live)) == [("KA605", "error", 8)]


@pytest.mark.parametrize(("live", "expected"), [
    pytest.param(LIVE.replace("-s wrr", "-s rr"), [("KA606", "error", 3)], id="scheduler"),
    pytest.param(LIVE.replace("-M 255.255.255.0", "-M 255.255.255.0 -o"),
                 [("KA606", "error", 1)], id="ops"),
    pytest.param(LIVE.replace("-M 255.255.255.0", "-M 255.255.255.0 -b flag-2"),
                 [("KA606", "error", 3)], id="flags"),
])
def test_ka606_scheduler_mismatch(tmp_path: Path, live: str,
                                  expected: list[tuple[str, str, int]]) -> None:
    assert found(run(tmp_path, CONF, live)) == expected


def test_ka607_forward_mismatch(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, LIVE.replace("10.0.1.13:80 -g", "10.0.1.13:80 -m"))
    assert found(report) == [("KA607", "error", 4)]
    assert "forwarded by '-m'" in report.diagnostics[0].message


@pytest.mark.parametrize("live", [
    pytest.param(LIVE.replace("-p 300", "-p 60"), id="timeout"),
    pytest.param(LIVE.replace(" -M 255.255.255.0", ""), id="netmask"),
    pytest.param(LIVE.replace(" -p 300 -M 255.255.255.0", ""), id="not-persistent"),
])
def test_ka608_persistence_mismatch(tmp_path: Path, live: str) -> None:
    assert found(run(tmp_path, CONF, live)) == [("KA608", "error", 5)]


MASTER = """\
    vrrp_instance VI_1 {
        state MASTER
        interface eth0
        virtual_router_id 51
        priority 150
        virtual_ipaddress {
            10.0.0.10/24
        }
    }
"""


def addrs(*ips: str) -> list[dict[str, object]]:
    return [{"ifname": "eth0", "flags": ["UP"],
             "addr_info": [{"family": "inet", "local": ip, "prefixlen": 24} for ip in ips]}]


def test_ka609_lone_master_without_its_vip(tmp_path: Path) -> None:
    assert found(run(tmp_path, MASTER, "", addrs("10.0.0.2"))) == [("KA609", "warning", 7)]
    assert found(run(tmp_path, MASTER, "", addrs("10.0.0.2", "10.0.0.10"))) == []
    backup = MASTER.replace("MASTER", "BACKUP").replace("150", "100")
    assert found(run(tmp_path, backup, "", addrs("10.0.0.2"))) == []


def test_ka600_unreadable_director_is_a_failure_naming_it(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, "TCP  10.0.0.10:80 rr\x1b[2J\n")
    assert found(report) == [("KA600", "error", 1)]
    assert report.exit_code() == 2 and "\x1b" not in report.diagnostics[0].message
    assert report.diagnostics[0].message.startswith("cannot verify lb1: lb1/ipvsadm.txt:1: ")
    failed = verify_directors([Director(HostFailure("lb9", "ssh failed: refused"))])
    assert failed.exit_code() == 2 and failed.diagnostics[0].span.file == "lb9"


def test_severity_of_every_finding_is_one_the_code_declares(tmp_path: Path) -> None:
    report = run(tmp_path, CONF, live_without("-r 10.0.1.11"))
    assert report.diagnostics[0].severity is Severity.WARNING


def test_drift_table_shows_configuration_against_live_without_markup(tmp_path: Path) -> None:
    import io

    from kaconf.verify.directors import VerifyReport
    from kaconf.verify.table import render_drift_table

    live = LIVE.replace("10.0.1.11:80 -g -w 3", "10.0.1.11:80 -g -w 7") + \
        "-a -t 10.0.0.10:80 -r 10.0.1.99:80 -g -w 1\n"
    report = run(tmp_path, CONF, live)
    assert isinstance(report, VerifyReport)
    assert [(f.subject, f.expected, f.live) for f in report.findings] == [
        ("10.0.0.10:80 -> 10.0.1.99:80", "absent", "weight 1"),
        ("10.0.0.10:80 -> 10.0.1.11:80", "weight 3", "weight 7")]
    out = io.StringIO()
    render_drift_table(report.findings, out, width=120)
    text = out.getvalue()
    assert "KA605" in text and "weight 3" in text and "weight 7" in text and "lb1" in text


def test_drift_table_never_interprets_live_text_as_markup() -> None:
    import io

    from kaconf.diagnostics import Diagnostic
    from kaconf.source import Span
    from kaconf.verify.codes import FORWARD_MISMATCH
    from kaconf.verify.diff import Finding
    from kaconf.verify.table import render_drift_table

    d: Diagnostic = FORWARD_MISMATCH.at(Span("f", 1, 1, 1, 2), "m")
    out = io.StringIO()
    render_drift_table([Finding(d, "lb\x1b[2J", "x", "Route", "[red]evil[/red]")], out, 120)
    assert "[red]evil[/red]" in out.getvalue() and "\x1b[2J" not in out.getvalue()
