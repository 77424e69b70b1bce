"""Effective values: what keepalived 2.2.7 runs with when a keyword is absent, set, or
inherited (semantics.md and keywords.tsv's default column; each case names its source)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from kaconf.api import parse_text
from kaconf.model import Config, effective


def read(text: str) -> Config:
    return parse_text(dedent(text)).config


def vs_of(body: str, head: str = "10.0.0.1 80") -> Config:
    return read(f"virtual_server {head} {{\n{body}\n    real_server 10.0.0.2 80 {{\n"
                "        TCP_CHECK {\n        }\n    }\n}\n")


def inst_of(body: str, glob: str = "") -> Config:
    return read(f"global_defs {{\n{glob}\n}}\nvrrp_instance V {{\n    interface eth0\n"
                f"    virtual_router_id 1\n{body}\n    virtual_ipaddress {{\n"
                "        10.0.0.100\n    }\n}\n")


LVS: list[Any] = [
    # (body, function, expected value, how) ------------------------------------ L1
    pytest.param("", "protocol", "UDP", effective.DEFAULT, id="protocol-absent-UDP"),
    pytest.param("protocol tcp", "protocol", "TCP", effective.WRITTEN, id="protocol-case"),
    # L2, L3
    pytest.param("", "lvs_sched", "wlc", effective.DEFAULT, id="sched-absent-wlc"),
    pytest.param("lb_algo rr", "lvs_sched", "rr", effective.WRITTEN, id="sched-synonym"),
    pytest.param("", "lvs_method", "NAT", effective.DEFAULT, id="method-absent-NAT"),
    pytest.param("lb_kind DR", "lvs_method", "DR", effective.WRITTEN, id="method-synonym"),
    pytest.param("lb_kind dr", "lvs_method", "NAT", effective.DEFAULT, id="method-invalid"),
    # L7
    pytest.param("", "persistence", None, effective.DEFAULT, id="persistence-absent"),
    pytest.param("persistence_timeout", "persistence", 360, effective.DERIVED,
                 id="persistence-alone-360"),
    pytest.param("persistence_timeout 50", "persistence", 50, effective.WRITTEN,
                 id="persistence-set"),
    pytest.param("persistence_granularity 255.255.255.0", "persistence", 360,
                 effective.DERIVED, id="granularity-turns-it-on"),
    pytest.param("", "persistence_netmask", "255.255.255.255", effective.DEFAULT,
                 id="netmask-default"),
    # L8
    pytest.param("protocol TCP\n    ops", "ops", False, effective.FORCED, id="ops-needs-UDP"),
    pytest.param("protocol UDP\n    ops", "ops", True, effective.WRITTEN, id="ops-udp"),
    # L15
    pytest.param("", "quorum", 1, effective.DEFAULT, id="quorum-default"),
    pytest.param("quorum 10", "quorum", 1, effective.FORCED, id="quorum-above-total"),
    pytest.param("quorum 1\n    hysteresis 5", "hysteresis", 0, effective.FORCED,
                 id="hysteresis-at-quorum"),
]


@pytest.mark.parametrize(("body", "name", "value", "how"), LVS)
def test_virtual_server_values(body: str, name: str, value: object, how: str) -> None:
    vs = vs_of(body).virtual_servers[0]
    found = getattr(effective, name)(vs)
    assert (found.value, found.how) == (value, how)
    twin = getattr(effective, f"{name}_value", None)
    if twin is not None:    # the value alone agrees
        assert twin(vs) == value


def test_a_service_without_port_is_made_persistent() -> None:   # L6
    vs = vs_of("protocol UDP", head="10.0.0.1 0").virtual_servers[0]
    assert (effective.persistence(vs).value, effective.persistence(vs).how) == (360,
                                                                               effective.FORCED)


def test_real_server_values_and_inheritance() -> None:
    config = read("""\
        virtual_server 10.0.0.1 80 {
            lvs_method DR
            weight 3
            delay_loop 7
            connect_timeout 4
            real_server 10.0.0.2 8080 {
                retry 5
                HTTP_GET {
                    url {
                        path /
                    }
                }
            }
            real_server 10.0.0.3 {
                lvs_method NAT
                weight 0
                MISC_CHECK {
                    misc_path /bin/true
                }
            }
        }
        """)
    vs = config.virtual_servers[0]
    dr, nat = vs.real_servers
    http, misc = dr.checkers[0], nat.checkers[0]
    assert effective.rs_method(vs, dr).how == effective.INHERITED_VS
    assert effective.rs_method(vs, nat).value == "NAT"
    # L4: a DR real server's port is rewritten to the virtual server's
    assert (effective.rs_port(vs, dr).value, effective.rs_port(vs, dr).how) == (80,
                                                                               effective.FORCED)
    assert effective.rs_port(vs, nat).value is None
    assert (effective.weight(vs, dr).value, effective.weight(vs, dr).how) == (
        3, effective.INHERITED_VS)
    assert effective.weight(vs, nat).value == 0           # weight 0 is kept
    assert effective.delay_loop(http, dr, vs).value == 7.0
    assert effective.delay_loop(http, dr, vs).how == effective.INHERITED_VS
    assert effective.connect_timeout(http, dr, vs).value == 4.0
    assert (effective.retry(http, dr, vs).value, effective.retry(http, dr, vs).how) == (
        5, effective.INHERITED_RS)
    assert effective.retry(misc, nat, vs).value == 0       # MISC_CHECK's own default
    assert effective.delay_before_retry(http, dr, vs).value == 3.0   # HTTP_GET default
    assert effective.connect_port(http, dr, vs).value == 80


def test_checker_timers_default_when_nothing_is_written() -> None:
    vs = vs_of("").virtual_servers[0]
    rs = vs.real_servers[0]
    chk = rs.checkers[0]
    assert [getattr(effective, f)(chk, rs, vs).value for f in
            ("delay_loop", "connect_timeout", "retry", "delay_before_retry")] == [60.0, 5.0, 1,
                                                                                    1.0]
    assert effective.weight(vs, rs).is_default and effective.weight(vs, rs).value == 1
    assert effective.inhibit_on_failure(vs, rs).value is False


VRRP: list[Any] = [
    # V5: priority absent -> 255 for state MASTER, else 100; state absent -> MASTER iff 255
    pytest.param("state MASTER", "", "priority", 255, id="master-without-priority-255"),
    pytest.param("", "", "priority", 100, id="priority-default-100"),
    pytest.param("priority 300", "", "priority", 100, id="priority-invalid-100"),
    pytest.param("priority 255", "", "initial_state", "MASTER", id="owner-starts-master"),
    pytest.param("priority 100", "", "initial_state", "BACKUP", id="no-state-backup"),
    # V26: strict mode forces the state to match being the owner
    pytest.param("state MASTER\n    priority 100", "vrrp_strict", "initial_state", "BACKUP",
                 id="strict-forces-backup"),
    # V27: vrrp_strict off still enables strict mode in 2.2.7
    pytest.param("", "vrrp_strict off", "strict", True, id="vrrp-strict-off-enables"),
    pytest.param("strict_mode off", "vrrp_strict", "strict", False, id="instance-wins"),
    # V6, V8: nopreempt cleared on an initial MASTER
    pytest.param("state MASTER\n    priority 150\n    nopreempt", "", "preempt", True,
                 id="nopreempt-cleared-on-master"),
    pytest.param("state BACKUP\n    priority 100\n    nopreempt", "", "preempt", False,
                 id="nopreempt-on-backup"),
    # V7, V9
    pytest.param("state BACKUP\n    preempt_delay 30", "", "preempt_delay", 30.0,
                 id="preempt-delay-backup"),
    pytest.param("state BACKUP\n    preempt_delay 30", "vrrp_strict", "preempt_delay", 0.0,
                 id="preempt-delay-strict"),
    # V14: advert_int rounding, default 1
    pytest.param("", "", "advert_int", 1.0, id="advert-default"),
    pytest.param("advert_int 2.5", "", "advert_int", 3.0, id="advert-v2-rounds"),
    pytest.param("advert_int 0.123\n    version 3", "", "advert_int", 0.12, id="advert-v3"),
    # version: instance, else global, else 2
    pytest.param("", "vrrp_version 3", "version", 3, id="version-global"),
    pytest.param("", "", "version", 2, id="version-default"),
    # garp_master_delay: global vrrp_garp_master_delay, else 5
    pytest.param("", "", "garp_master_delay", 5, id="garp-default"),
    pytest.param("", "vrrp_garp_master_delay 2", "garp_master_delay", 2, id="garp-global"),
]


@pytest.mark.parametrize(("body", "glob", "name", "value"), VRRP)
def test_vrrp_values(body: str, glob: str, name: str, value: object) -> None:
    config = inst_of(body, glob)
    inst = config.vrrp_instances[0]
    fn = getattr(effective, name)
    found = fn(inst) if name == "priority" else fn(config, inst)
    assert found.value == value
    twin = getattr(effective, f"{name}_value", None)
    if twin is not None:    # the value alone agrees
        assert (twin(inst) if name == "priority" else twin(config, inst)) == value


CORPUS = sorted((Path(__file__).parent.parent / "corpus").rglob("*.conf"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_value_functions_agree_with_the_effective_ones(path: Path) -> None:
    """Each `_value` function gives the value of its Effective twin on every instance, virtual
    and real server and checker of the corpus (it skips only finding where a value is
    written)."""
    config = parse_text(path.read_text(encoding="utf-8", errors="surrogateescape")).config
    for inst in config.vrrp_instances:
        assert effective.priority_value(inst) == effective.priority(inst).value
        assert effective.strict_value(config, inst) is effective.strict(config, inst).value
        assert (effective.initial_state_value(config, inst)
                == effective.initial_state(config, inst).value)
    for vs in config.virtual_servers:
        assert effective.protocol_value(vs) == effective.protocol(vs).value
        for rs in vs.real_servers:
            assert effective.rs_method_value(vs, rs) == effective.rs_method(vs, rs).value
            assert effective.rs_port_value(vs, rs) == effective.rs_port(vs, rs).value
            for chk in rs.checkers:
                for name in ("delay_loop", "connect_timeout", "retry", "delay_before_retry",
                             "connect_port"):
                    value = getattr(effective, f"{name}_value")(chk, rs, vs)
                    twin = getattr(effective, name)(chk, rs, vs).value
                    assert (type(value), value) == (type(twin), twin), name
