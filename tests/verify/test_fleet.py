"""Two directors checked as a fleet: VIP on both (KA610), on neither (KA611), on the backup
(KA609), and different tables (KA612)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kaconf.document import Report
from kaconf.verify.directors import Director, verify_directors
from kaconf.verify.hosts import Capture, HostFailure

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
        lvs_method DR
        real_server 10.0.1.11 80 {
            weight 1
        }
    }
"""
TABLE = "-A -t 10.0.0.10:80 -s rr\n-a -t 10.0.0.10:80 -r 10.0.1.11:80 -g -w 1\n"


def addresses(*ips: str) -> str:
    return json.dumps([{"ifname": "eth0", "flags": ["UP"], "addr_info": [
        {"family": "inet", "local": ip, "prefixlen": 24} for ip in ips]}])


def fleet(tmp_path: Path, lb1_ips: tuple[str, ...], lb2_ips: tuple[str, ...],
          lb2_table: str = TABLE) -> Report:
    directors = []
    for name, state, prio, ips, table in (("lb1", "MASTER", "150", lb1_ips, TABLE),
                                          ("lb2", "BACKUP", "100", lb2_ips, lb2_table)):
        conf = tmp_path / f"{name}.conf"
        conf.write_text(textwrap.dedent(CONF).replace("@STATE@", state).replace("@PRIO@", prio))
        directors.append(Director(Capture(name, table, f"{name}:ipvsadm",
                                          addresses=addresses(*ips), addresses_source="ip"),
                                  str(conf)))
    return verify_directors(directors)


def codes_of(report: Report) -> list[tuple[str, str]]:
    return [(d.code, d.span.file.rsplit("/", 1)[-1]) for d in report.diagnostics]


def test_master_holds_the_vip_and_tables_agree(tmp_path: Path) -> None:
    report = fleet(tmp_path, ("10.0.0.1", "10.0.0.10"), ("10.0.0.2",))
    assert report.diagnostics == [] and report.exit_code() == 0


def test_ka610_vip_on_both_directors(tmp_path: Path) -> None:
    report = fleet(tmp_path, ("10.0.0.1", "10.0.0.10"), ("10.0.0.2", "10.0.0.10"))
    assert codes_of(report) == [("KA610", "lb1.conf")]
    d = report.diagnostics[0]
    assert "10.0.0.10 is up on lb1 and lb2" in d.message and d.span.line == 7
    assert [r.note for r in d.related] == ["lb2 holds it too"]


def test_ka611_vip_on_neither_director(tmp_path: Path) -> None:
    report = fleet(tmp_path, ("10.0.0.1",), ("10.0.0.2",))
    assert codes_of(report) == [("KA611", "lb1.conf")]
    assert "on none of lb1 and lb2" in report.diagnostics[0].message


def test_ka609_vip_on_the_backup_only(tmp_path: Path) -> None:
    report = fleet(tmp_path, ("10.0.0.1",), ("10.0.0.2", "10.0.0.10"))
    assert codes_of(report) == [("KA609", "lb1.conf")]
    assert "lb2 holds it: a failover happened" in report.diagnostics[0].message


def test_ka612_tables_differ_between_master_and_backup(tmp_path: Path) -> None:
    report = fleet(tmp_path, ("10.0.0.1", "10.0.0.10"), ("10.0.0.2",),
                   lb2_table=TABLE.replace("-w 1", "-w 5"))
    assert codes_of(report) == [("KA612", "lb1.conf"), ("KA605", "lb2.conf")]
    assert "lb1 has 'rr' [10.0.1.11:80 w1], lb2 has 'rr' [10.0.1.11:80 w5]" in \
        report.diagnostics[0].message


@pytest.mark.parametrize("broken", ["lb2"])
def test_unreachable_director_is_named_and_the_other_still_checked(tmp_path: Path,
                                                                    broken: str) -> None:
    conf = tmp_path / "lb1.conf"
    conf.write_text(textwrap.dedent(CONF).replace("@STATE@", "MASTER").replace("@PRIO@", "150"))
    ok = Director(Capture("lb1", "", "lb1:ipvsadm", addresses=addresses("10.0.0.1"),
                          addresses_source="ip"), str(conf))
    report = verify_directors([ok, Director(HostFailure(broken, "no answer within 5 s"))])
    assert sorted(d.code for d in report.diagnostics) == ["KA600", "KA601", "KA609"]
    assert report.failures == ["lb2: no answer within 5 s"] and report.exit_code() == 2
