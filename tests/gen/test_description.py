"""The cluster description: its shape, its key-path errors and the refusals."""
from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kaconf.gen.checked import checked, read_checked
from kaconf.gen.description import (
    DescriptionError,
    json_schema,
    parse_description,
    read_description,
)
from kaconf.gen.starter import STARTER

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpus" / "clusters" / "seed-dr.toml"
CLUSTERS = sorted((REPO / "corpus" / "clusters").glob("*.toml"))


def seed() -> dict[str, Any]:
    return tomllib.loads(SEED.read_text(encoding="utf-8"))


def problems(data: dict[str, Any]) -> list[str]:
    """Every problem kaconf finds in `data`, shape and refusals, as printed."""
    try:
        desc = parse_description(data, "c.toml")
        checked(desc, "c.toml")
    except DescriptionError as exc:
        return str(exc).splitlines()
    return []


def test_seed_cluster_is_expressed_exactly() -> None:
    desc, roles = read_checked(SEED)
    assert [v.address for v in desc.cluster.vips] == ["172.17.13.252/24"]
    assert [(r.name, r.director.address, r.state) for r in roles] == [
        ("ds1", "172.17.13.120", "MASTER"), ("ds2", "172.17.13.123", "BACKUP")]
    (service,) = desc.services
    assert (service.vip, service.port, service.lb_algo, service.lb_kind,
            service.persistence_timeout, service.delay_loop, service.check.type) == (
        "172.17.13.252", 80, "rr", "DR", 50, 3, "TCP_CHECK")
    assert [(r.address, r.port or service.port) for r in service.real_servers] == [
        ("172.17.13.142", 80), ("172.17.13.173", 80)]


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in CLUSTERS])
def test_every_shipped_cluster_is_accepted(path: Path) -> None:
    read_checked(path)
    jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), json_schema())


def test_starter_description_is_valid() -> None:
    desc = parse_description(tomllib.loads(STARTER))
    checked(desc, "cluster.toml")


def test_schema_is_a_valid_json_schema_that_accepts_the_seed() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(seed(), schema)
    assert json.loads(json.dumps(schema))["additionalProperties"] is False


Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return apply


SHAPE_ERRORS = [
    pytest.param(_set("cluster.virtual_rotuer_id", 5),
                 "c.toml: cluster.virtual_rotuer_id: unknown key; allowed here: name, interface, "
                 "virtual_router_id", id="unknown-key"),
    pytest.param(_set("services.0.check.type", "HTTP_GOT"),
                 "c.toml: services[0].check.type: 'HTTP_GOT' is not a check type; allowed: "
                 "TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, DNS_CHECK", id="check-type"),
    pytest.param(_set("services.0.port", "80"),
                 "c.toml: services[0].port: input should be a valid integer (got '80')",
                 id="wrong-type"),
    pytest.param(_set("services.0.check.pth", "/"),
                 "c.toml: services[0].check.pth: unknown key; allowed here: connect_timeout",
                 id="unknown-check-key"),
    pytest.param(_set("directors.1.address", "172.17.13"),
                 "c.toml: directors[1].address: '172.17.13' is not an IPv4 or IPv6 address",
                 id="bad-address"),
    pytest.param(_set("cluster.virtual_router_id", 256),
                 "c.toml: cluster.virtual_router_id: input should be less than or equal to 255",
                 id="vrid-range"),
    pytest.param(_set("directors.0.priority", 255),
                 "c.toml: directors[0].priority: input should be less than or equal to 254",
                 id="priority-range"),
    pytest.param(_set("services.0.real_servers", [{"adress": "172.17.13.142"}]),
                 "c.toml: services[0].real_servers[0].adress: unknown key; allowed here: address, "
                 "port, weight", id="real-server-typo"),
    pytest.param(_set("services.0.lb_kind", "DIRECT"),
                 "c.toml: services[0].lb_kind: input should be 'DR', 'NAT' or 'TUN' (got 'DIRECT')",
                 id="lb-kind"),
    pytest.param(_set("cluster.auth_pass", "ab cd"),
                 "c.toml: cluster.auth_pass: 'ab cd' is not a password of printable characters "
                 "without blanks, quotes, # or !", id="auth-pass-characters"),
]


@pytest.mark.parametrize(("mutate", "expected"), SHAPE_ERRORS)
def test_shape_errors_name_the_key_path(mutate: Mutation, expected: str) -> None:
    data = seed()
    mutate(data)
    found = problems(data)
    assert any(line.startswith(expected) for line in found), found


def _second_vip(data: dict[str, Any]) -> None:
    data["services"][0]["vip"] = "172.17.13.250"


def _v6_unicast(data: dict[str, Any]) -> None:
    data["cluster"]["vips"] = ["2001:db8:5::10/64"]
    data["cluster"].pop("auth_pass")
    data["services"] = []


def _weak_weights(data: dict[str, Any]) -> None:
    data["cluster"]["track_scripts"] = [{"name": "chk", "script": "/bin/true", "weight": -10}]
    data["directors"][0]["priority"] = 150
    data["directors"][1]["priority"] = 100


def _two_masters(data: dict[str, Any]) -> None:
    data["directors"][0]["state"] = "MASTER"
    data["directors"][1]["state"] = "MASTER"


REFUSALS = [
    pytest.param(_set("cluster.auth_pass", "Kx7pQ2vAlonger"),
                 "c.toml: cluster.auth_pass: 14 characters, but keepalived uses only the first 8",
                 id="auth-pass-too-long"),
    pytest.param(_set("cluster.vrrp_version", 3),
                 "c.toml: cluster.auth_pass: VRRP version 3 has no authentication", id="auth-v3"),
    pytest.param(_set("cluster.auth_pass", "password"),
                 "c.toml: cluster.auth_pass: 'password' is too short or too well known",
                 id="auth-pass-weak"),
    pytest.param(_second_vip,
                 "c.toml: services[0].vip: 172.17.13.250 is not one of cluster.vips",
                 id="service-vip-not-a-cluster-vip"),
    pytest.param(_v6_unicast,
                 "c.toml: directors[0].address: 172.17.13.120 cannot be the unicast_src_ip: an "
                 "IPv6 cluster with unicast needs an IPv6 source address", id="ipv6-unicast"),
    pytest.param(_weak_weights,
                 "c.toml: cluster.track_scripts: the weights (10 in all) can never move the VIP",
                 id="weights-never-move-the-vip"),
    pytest.param(_two_masters,
                 "c.toml: directors[1].state: directors[0] is already the MASTER", id="two-masters"),
    pytest.param(_set("directors.1.priority", 120),
                 "c.toml: directors[0].priority: give every director a priority, or none",
                 id="partial-priorities"),
    pytest.param(_set("services.0.real_servers", [{"address": "172.17.13.142", "port": 8080}]),
                 "c.toml: services[0].real_servers[0].port: DR forwards packets unchanged",
                 id="dr-port-mismatch"),
    pytest.param(_set("services.0.lb_kind", "NAT"),
                 "c.toml: realserver.gateway: services[0] uses NAT", id="nat-without-gateway"),
    pytest.param(_set("services.0.check.connect_timeout", 3),
                 "c.toml: services[0].check.connect_timeout: 3 s is not below delay_loop 3 s",
                 id="timeout-not-below-delay-loop"),
    pytest.param(_set("directors.1.address", "172.17.13.120"),
                 "c.toml: directors[1].address: 172.17.13.120 is already directors[0]'s",
                 id="duplicate-director-address"),
    pytest.param(_set("cluster.advert_int", 1.5),
                 "c.toml: cluster.advert_int: VRRP version 2 counts whole seconds",
                 id="v2-fractional-advert-int"),
]


@pytest.mark.parametrize(("mutate", "expected"), REFUSALS)
def test_refusals_name_the_key_path(mutate: Mutation, expected: str) -> None:
    data = copy.deepcopy(seed())
    mutate(data)
    found = problems(data)
    assert any(line.startswith(expected) for line in found), found


def test_vrid_used_by_another_cluster_on_the_same_interface_is_refused() -> None:
    desc = parse_description(seed(), "c.toml")
    with pytest.raises(DescriptionError) as info:
        checked(desc, "c.toml", [("eth0", 51, "vrrp_instance web in other.conf")])
    assert str(info.value) == ("c.toml: cluster.virtual_router_id: 51 is already used on eth0 by "
                               "vrrp_instance web in other.conf; pick another id (1-255)")
    checked(desc, "c.toml", [("eth1", 51, "vrrp_instance web in other.conf")])


def test_every_problem_is_reported_in_one_pass() -> None:
    data = seed()
    data["cluster"]["typo"] = 1
    data["services"][0]["port"] = "80"
    assert len(problems(data)) == 2


def test_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[cluster\nname = 1\n", encoding="utf-8")
    with pytest.raises(DescriptionError) as info:
        read_description(path)
    assert str(info.value).startswith(f"{path}: not valid TOML: ")
    assert "line 1" in str(info.value)


def test_nopreempt_makes_every_director_a_backup_and_refuses_a_stated_master() -> None:
    data = seed()
    data["cluster"]["nopreempt"] = True
    roles = checked(parse_description(data), "c.toml")
    assert [(r.state, r.priority) for r in roles] == [("BACKUP", 150), ("BACKUP", 100)]
    data["directors"][0]["state"] = "MASTER"
    assert problems(data)[0].startswith("c.toml: directors[0].state: with cluster.nopreempt")


def test_priority_gap_is_below_the_smallest_weight() -> None:
    data = seed()
    data["cluster"]["track_scripts"] = [{"name": "chk", "script": "/bin/true", "weight": -30}]
    roles = checked(parse_description(data), "c.toml")
    master, backup = (r.priority for r in roles)
    assert master > backup > master - 30


def test_highest_priority_is_the_master_when_no_state_is_given() -> None:
    data = seed()
    data["directors"][0]["priority"] = 100
    data["directors"][1]["priority"] = 200
    roles = checked(parse_description(data), "c.toml")
    assert [(r.name, r.state) for r in roles] == [("ds1", "BACKUP"), ("ds2", "MASTER")]


def test_a_first_director_stated_backup_leaves_the_master_role_to_the_next() -> None:
    data = seed()
    data["directors"][0]["state"] = "BACKUP"
    roles = checked(parse_description(data), "c.toml")
    assert [(r.name, r.state) for r in roles] == [("ds1", "BACKUP"), ("ds2", "MASTER")]
    assert roles[1].priority > roles[0].priority


def test_a_backup_with_the_highest_priority_is_refused() -> None:
    data = seed()
    data["directors"][0].update(state="BACKUP", priority=200)
    data["directors"][1]["priority"] = 100
    assert problems(data) == ["c.toml: directors[0].state: BACKUP, but it has the highest "
                              "priority and takes the VIP anyway; write MASTER, or give another "
                              "director a higher priority"]
    data["directors"][1]["state"] = "BACKUP"
    data["directors"][0].pop("priority")
    data["directors"][1].pop("priority")
    assert problems(data) == ['c.toml: directors: every director says state = "BACKUP"; give one '
                              'state = "MASTER", or set cluster.nopreempt']
