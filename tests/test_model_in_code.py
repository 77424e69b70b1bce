"""A model built in code, with no file: it answers like a parsed one, prints to a file that
lints clean as a pair, and a one-field change gives the finding on the printed line."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from kaconf.api import lint_paths, parse_text, print_config
from kaconf.model import (
    Authentication,
    Config,
    GlobalDefs,
    RealServer,
    TcpCheck,
    UnicastPeer,
    VirtualServer,
    VrrpInstance,
    effective,
)
from kaconf.model.vrrp import VipAddress

VIP = "172.17.13.252"
DIRECTORS = {"ds1": "172.17.13.120", "ds2": "172.17.13.123"}


def director(name: str, state: str, priority: int) -> Config:
    me = DIRECTORS[name]
    peer = next(a for n, a in DIRECTORS.items() if n != name)
    instance = VrrpInstance(
        name="VI_1", state=state, interface="eth0", virtual_router_id=51, priority=priority,
        advert_int=1, unicast_src_ip=me, unicast_peer=[UnicastPeer(address=peer)],
        authentication=Authentication(auth_type="PASS", auth_pass="Kx7pQ2vA"),
        virtual_ipaddress=[VipAddress.of(f"{VIP}/24", "dev", "eth0")])
    reals = [RealServer(address=a, port=80, weight=1,
                        checkers=[TcpCheck(connect_timeout=2, retry=3, delay_before_retry=1)])
             for a in ("172.17.13.142", "172.17.13.173")]
    service = VirtualServer(address=VIP, port=80, protocol="TCP", lvs_sched="rr",
                            lvs_method="DR", persistence_timeout=50, delay_loop=3,
                            real_servers=reals)
    return Config(global_defs=GlobalDefs(router_id=name, enable_script_security=True),
                  vrrp_instances=[instance], virtual_servers=[service])


def write_pair(tmp_path: Path, ds2: Config) -> tuple[Path, Path]:
    paths = []
    for name, config in (("ds1", director("ds1", "MASTER", 150)), ("ds2", ds2)):
        path = tmp_path / f"{name}.conf"
        path.write_text(print_config(config, show_secrets=True))
        paths.append(path)
    return paths[0], paths[1]


def test_a_model_built_in_code_answers_from_its_own_fields() -> None:
    service = director("ds1", "MASTER", 150).virtual_servers[0]
    assert service.has("lvs_method") and effective.lvs_method(service).value == "DR"
    assert not service.has("quorum")
    assert effective.protocol(VirtualServer(address=VIP, port=80)).value == "UDP"
    strict = VrrpInstance(name="V", strict_mode=True, priority=255)
    assert effective.strict(Config(vrrp_instances=[strict]), strict).value is True
    assert effective.initial_state(Config(), strict).value == "MASTER"


def test_the_seed_cluster_built_in_code_prints_and_lints_clean_as_a_pair(tmp_path: Path) -> None:
    ds1, ds2 = write_pair(tmp_path, director("ds2", "BACKUP", 100))
    report = lint_paths([ds1, ds2])
    assert [(d.code, d.span.line) for d in report.diagnostics] == []
    assert len(report.clusters) == 1


def test_the_printed_model_reads_back_equal() -> None:
    built = director("ds1", "MASTER", 150)
    again = parse_text(print_config(built, show_secrets=True)).config
    assert again == built


def test_ka506_points_at_the_backups_printed_priority(tmp_path: Path) -> None:
    copied = director("ds2", "BACKUP", 100)
    inst = dataclasses.replace(copied.vrrp_instances[0], priority=150)
    ds1, ds2 = write_pair(tmp_path, dataclasses.replace(copied, vrrp_instances=[inst]))
    (hit,) = [d for d in lint_paths([ds1, ds2]).diagnostics if d.code == "KA506"]
    where = Path(hit.span.file).read_text().splitlines()[hit.span.line - 1]
    assert (Path(hit.span.file).name, where.strip()) == ("ds2.conf", "priority 150")


def test_rules_judge_a_model_built_in_code() -> None:
    from kaconf.model import GENERATED
    from kaconf.rules import RULES

    service = VirtualServer(address=VIP, port=80, protocol="TCP", lvs_method="DR",
                            real_servers=[RealServer(address="10.0.0.2", port=80),
                                          RealServer(address="10.0.0.2", port=80),
                                          RealServer(address=VIP, port=80)])
    other_vip = VrrpInstance(name="V", interface="eth0", virtual_router_id=9,
                             virtual_ipaddress=[VipAddress.of("10.9.9.9")])
    config = Config(vrrp_instances=[other_vip], virtual_servers=[service])
    found = sorted({d.code for m in RULES if m.check for d in m.check(config)})
    assert {"KA301", "KA303", "KA304", "KA306"} <= set(found)
    assert all(d.span == GENERATED for m in RULES if m.check for d in m.check(config))
