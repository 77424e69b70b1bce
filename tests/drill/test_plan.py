"""What the drill expects and what it changes, without a lab: priorities with failing scripts,
checker timers, director names and addresses, and the commands replaced by stubs."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kaconf.drill import DrillError
from kaconf.drill.plan import build_plan, director_name, failing_on
from kaconf.drill.scripts import replace_commands
from kaconf.parse import parse_file, parse_text

REPO = Path(__file__).resolve().parents[2]
PAIRS = Path(__file__).resolve().parent / "pairs"
CLASSIC = [REPO / "corpus" / "classic-dr" / "master.conf",
           REPO / "corpus" / "classic-dr" / "backup.conf"]
TRACK = [PAIRS / "track" / "ds1.conf", PAIRS / "track" / "ds2.conf"]


def test_director_names_follow_gen_pairs_layout_and_file_names() -> None:
    assert director_name(Path("out/ds1/keepalived.conf"), []) == "ds1"
    assert director_name(Path("corpus/classic-dr/master.conf"), []) == "master"
    assert director_name(Path("a/master.conf"), ["master"]) == "master2"


def test_classic_pair_expectations_come_from_the_effective_values() -> None:
    docs = [parse_file(p) for p in CLASSIC]
    plan = build_plan(docs, ["master", "backup"], {}, set())
    master, backup = plan.instances("VI_1")
    assert (master.priority, master.initial_state, master.advert_int) == (150, "MASTER", 1.0)
    assert (backup.priority, backup.initial_state, backup.preempt) == (100, "BACKUP", True)
    assert backup.master_down == pytest.approx(3 + 156 / 256)
    assert [d.address for d in plan.directors] == ["172.17.13.120", "172.17.13.123"]
    service = plan.services()[0]
    assert (service.endpoint, service.scheduler, service.persistence) == (
        "172.17.13.252:80", "rr", 50)
    server = service.servers[0]
    # delay_loop 6 + connect_timeout 3 + retry 3 x (delay_before_retry 3 + connect_timeout 3)
    assert (server.leave_within, server.return_within) == (27.0, 9.0)
    assert set(plan.real_servers()) == {"172.17.13.142", "172.17.13.173"}
    assert not set(plan.clients) & {"172.17.13.120", "172.17.13.123", "172.17.13.252",
                                    "172.17.13.142", "172.17.13.173"}


def test_a_failing_script_lowers_the_priority_by_its_weight_on_its_director_only() -> None:
    docs = [parse_file(p) for p in TRACK]
    plan = build_plan(docs, ["ds1", "ds2"], {}, {"ds1:chk_web"})
    ds1, ds2 = plan.instances("VI_1")
    assert (ds1.running, ds2.running) == (90, 100)
    assert ds1.why == "priority 150, chk_web fails -60 = 90"
    everywhere = build_plan(docs, ["ds1", "ds2"], {}, {"chk_web"})
    assert [i.running for i in everywhere.instances("VI_1")] == [90, 40]
    assert failing_on("ds2", {"ds1:chk_web", "other"}) == {"other"}


def test_a_script_of_weight_zero_that_fails_means_fault() -> None:
    text = textwrap.dedent("""\
        vrrp_script chk { script "/bin/true" }
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 1
            priority 120
            unicast_src_ip 10.0.0.1
            virtual_ipaddress { 10.0.0.9/24 }
            track_script { chk }
        }
        """)
    doc = parse_text(text, "one.conf")
    plan = build_plan([doc, doc], ["a", "b"], {"b": "10.0.0.2"}, {"a:chk"})
    a, b = plan.instances("VI_1")
    assert a.running is None and "FAULT" in a.why
    assert b.running == 120
    assert plan.directors[1].address_from == "--address"


@pytest.mark.parametrize(("addresses", "failing", "message"), [
    pytest.param({"ds9": "10.0.0.1"}, set(), "--address ds9=...: no director of that name",
                 id="unknown-director"),
    pytest.param({}, {"chk_nothing"}, "--fail-script chk_nothing: no vrrp_script chk_nothing",
                 id="unknown-script"),
    pytest.param({"ds1": "not-an-ip"}, set(), "director ds1: address 'not-an-ip' is not",
                 id="bad-address"),
])
def test_bad_options_are_named(addresses: dict[str, str], failing: set[str],
                               message: str) -> None:
    docs = [parse_file(p) for p in TRACK]
    with pytest.raises(DrillError, match="^" + message.replace(".", r"\.")):
        build_plan(docs, ["ds1", "ds2"], addresses, failing)


def test_commands_become_stubs_and_the_rest_stays_byte_for_byte(tmp_path: Path) -> None:
    doc = parse_file(TRACK[0])
    text, done = replace_commands(doc, Path("/lab/ok.sh"), Path("/lab/fail.sh"), {"chk_web"})
    before = TRACK[0].read_text().splitlines()
    lines = {d.keyword: d.line for d in done}
    added = "    script_user root"     # only where this host has no keepalived_script user
    assert (added in text.splitlines()) == ("script_user" in lines)
    kept = [line for line in text.splitlines() if line != added]
    assert len(kept) == len(before)
    changed = [n + 1 for n, (b, a) in enumerate(zip(before, kept)) if a != b]
    assert changed == sorted([lines["script"], lines["notify_master"]])
    assert kept[lines["script"] - 1] == '    script "/lab/fail.sh"'
    assert kept[lines["notify_master"] - 1] == '    notify_master "/lab/ok.sh"'
    assert {d.where for d in done if d.keyword != "script_user"} == {
        "vrrp_script chk_web", "vrrp_instance VI_1"}


def test_one_conditional_file_is_one_director_per_config_id(tmp_path: Path) -> None:
    from kaconf import api

    api.gen_pair(REPO / "corpus" / "clusters" / "seed-dr.toml", tmp_path, single_file=True)
    conf = tmp_path / "keepalived.conf"
    docs = [parse_file(conf, cid) for cid in ("ds1", "ds2")]
    plan = build_plan(docs, ["ds1", "ds2"], {}, set())
    assert [(d.address, d.instances[0].priority) for d in plan.directors] == [
        ("172.17.13.120", 150), ("172.17.13.123", 100)]
