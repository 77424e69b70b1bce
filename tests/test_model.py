"""The typed model built from the syntax tree."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from kaconf.api import parse_file, parse_text
from kaconf.emit.dump import model_data
from kaconf.grammar import to_ast
from kaconf.model import HttpGet, MiscCheck, TcpCheck
from kaconf.tree import Node

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
REAL = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared")) / "corpus" / "real"


def test_classic_cluster_master_model() -> None:
    config = parse_file(REPO / "corpus" / "classic-dr" / "master.conf").config
    (inst,) = config.vrrp_instances
    assert (inst.name, inst.state, inst.interface, inst.virtual_router_id, inst.priority) == (
        "VI_1", "MASTER", "eth0", 51, 150)
    assert inst.authentication is not None and inst.authentication.auth_type == "PASS"
    assert [v.address for v in inst.virtual_ipaddress] == ["172.17.13.252"]
    assert [p.address for p in inst.unicast_peer] == ["172.17.13.123"]
    (vs,) = config.virtual_servers
    assert (vs.address, vs.port, vs.lvs_sched, vs.lvs_method, vs.persistence_timeout,
            vs.protocol) == ("172.17.13.252", 80, "rr", "DR", 50, "TCP")
    assert [(r.address, r.port) for r in vs.real_servers] == [("172.17.13.142", 80),
                                                              ("172.17.13.173", 80)]
    assert all(isinstance(r.checkers[0], TcpCheck) for r in vs.real_servers)


def test_arg_span_points_at_the_value_and_knows_synonyms() -> None:
    config = parse_file(REPO / "corpus" / "classic-dr" / "master.conf").config
    inst, vs = config.vrrp_instances[0], config.virtual_servers[0]
    assert (inst.arg_span("priority").line, inst.arg_span("priority").column) == (14, 14)
    assert vs.arg_span("lvs_method").line == 32          # written as lb_kind
    assert vs.arg_span("quorum") == vs.span              # absent: the block itself


def test_checkers_tracks_and_unmodelled_keywords() -> None:
    config = parse_text(dedent("""\
        vrrp_script chk {
            script "/usr/local/bin/chk.sh"
            weight -20
        }
        vrrp_instance V {
            interface eth0
            virtual_router_id 7
            track_script {
                chk weight 10 reverse
            }
            garp_lower_prio_repeat 3
        }
        virtual_server fwmark 5 {
            real_server 10.0.0.2 {
                HTTP_GET {
                    url {
                        path /health
                        status_code 200 204
                    }
                }
                MISC_CHECK {
                    misc_path "/bin/check arg"
                }
            }
        }
        """)).config
    assert config.vrrp_scripts[0].weight == -20
    inst = config.vrrp_instances[0]
    assert [(t.name, t.weight, t.reverse) for t in inst.track_script] == [("chk", 10, True)]
    assert [d.keyword for d in inst.other] == ["garp_lower_prio_repeat"]
    vs = config.virtual_servers[0]
    assert vs.fwmark == 5 and vs.address is None
    http, misc = vs.real_servers[0].checkers
    assert isinstance(http, HttpGet) and http.urls[0].path == "/health"
    assert http.urls[0].status_code == ["200", "204"]
    assert isinstance(misc, MiscCheck) and misc.misc_path == "/bin/check arg"


def test_invalid_values_become_none_and_skipped_blocks_are_left_out() -> None:
    config = parse_text(dedent("""\
        vrrp_instance V {
            priority high
        }
        vrrp_instance V {
            priority 50
        }
        virtual_server fakevip 80 {
        }
        """)).config
    assert [i.priority for i in config.vrrp_instances] == [None]
    assert config.virtual_servers == []


def test_model_serialises_to_json_with_spans() -> None:
    dumped = model_data(parse_file(REPO / "corpus" / "classic-dr" / "backup.conf").config)
    inst = dumped["vrrp_instances"][0]
    assert inst["state"] == "BACKUP" and inst["span"]["line"] == 10
    assert "node" not in inst


def test_two_spellings_of_one_field_the_last_written_wins_in_either_order() -> None:
    """A block holding two spellings of one field is read by position, not from the plan
    remembered for blocks of the same keywords (Shape.plan), whichever came first before."""
    def sched(*lines: str) -> str | None:
        body = "".join(f"    {line}\n" for line in lines)
        config = parse_text(f"virtual_server 192.0.2.1 80 {{\n{body}    protocol TCP\n}}\n")
        return config.config.virtual_servers[0].lvs_sched

    for _ in range(2):     # the second round reads with what the first one remembered
        assert sched("lb_algo rr", "lvs_sched wlc") == "wlc"
        assert sched("lvs_sched wlc", "lb_algo rr") == "rr"
        # the keywords in the order of their first line, but lb_algo was written last
        assert sched("lb_algo rr", "lvs_sched wlc", "lb_algo sh") == "sh"
        assert sched("lvs_sched sh", "delay_loop 3") == "sh"


# the blocks made by Shape.build, by keyword (a track_file inside an instance is not one)
SHAPES: dict[str, to_ast.Shape[Any]] = {
    "authentication": to_ast.AUTHENTICATION, "vrrp_script": to_ast.VRRP_SCRIPT,
    "vrrp_track_process": to_ast.TRACK_PROCESS, "bfd_instance": to_ast.BFD_INSTANCE,
    "url": to_ast.URL, "real_server": to_ast.REAL_SERVER,
    "virtual_server": to_ast.VIRTUAL_SERVER, "global_defs": to_ast.GLOBAL_DEFS,
    **to_ast.CHECKERS}
ODD_VALUES = """\
global_defs {
    router_id a b
    enable_script_security yes
    vrrp_version x
}
vrrp_script chk {
    script "/bin/check 'a b'"
    interval 2 3
    weight -5 reverse
    init_fail
}
virtual_server 192.0.2.1 80 {
    persistence_timeout
    protocol
    delay_loop 1.5 2
    lb_kind DR
    ha_suspend now
    hysteresis -1
    real_server 192.0.2.2 80 {
        weight x
        notify_up "/bin/up \\"x\\""
        notify_down /bin/down
        inhibit_on_failure
        MISC_CHECK {
            misc_path "/bin/check --arg 'x'"
            misc_timeout 3s
            misc_dynamic 1
            user nobody extra
        }
        HTTP_GET {
            url {
                path /
                regex "a b"
                status_code 200 301
            }
            connect_port 99999999999
            nb_get_retry 2
        }
    }
}
virtual_server 192.0.2.1 81 {
    persistence_timeout 50 60
    unknown_keyword 1
}
"""


def _blocks(text: str) -> list[tuple[Node, to_ast.Shape[Any]]]:
    found = []
    for node in parse_text(text).tree.walk():
        shape = SHAPES.get(node.keyword)
        if shape is not None and node.kind == "block":
            found.append((node, shape))
    return found


def _same_record(fast: Any, slow: Any, where: object) -> None:
    assert type(fast) is type(slow), where
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.span = None
    for f in dataclasses.fields(fast):
        assert getattr(fast, f.name) == getattr(slow, f.name), (where, f.name)
    assert list(fast.verbatim.items()) == list(slow.verbatim.items()), where
    assert list(fast.raw_text.items()) == list(slow.raw_text.items()), where


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.conf")) + sorted(REAL.glob("*.conf"))
                         + [None], ids=lambda p: p.name if p else "odd-values")
def test_shape_build_is_read_then_make(path: Path | None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Shape.build, which does the common readers in place (its inline steps, or once a set
    of keywords is hot, the plan compiled from them), makes the record the readers make
    (Shape.read, then Shape.make): every field, the given ones included, and `verbatim` and
    `raw_text` in the same order."""
    text = path.read_text(encoding="utf-8", errors="surrogateescape") if path else ODD_VALUES
    monkeypatch.setattr(to_ast, "HOT", 10**9)    # build reads by the inline steps
    for shape in SHAPES.values():
        monkeypatch.setattr(shape, "plans", {})
        monkeypatch.setattr(shape, "last", None)
    inline = 0
    compiled: dict[tuple[int, tuple[str, ...]], Any] = {}
    for node, shape in _blocks(text):
        given = [f"given {name}" for name in shape.given]
        slow = shape.make(node, shape.read(node), **dict(zip(shape.given, given)))
        _same_record(shape.build(node, *given), slow, node.span)
        index = node.index()
        plan = shape.plan(tuple(index))
        assert plan.compiled is None and shape.last is None
        if plan.inline is None:
            continue
        inline += 1
        key = (id(shape), tuple(index))
        if key not in compiled:
            compiled[key] = shape.compile(tuple(index), plan)
        _same_record(compiled[key](node, index, tuple(given)), slow, node.span)
        # the plan compiled for another set of keywords of the shape makes no record
        for (of, keywords), other in compiled.items():
            if of == id(shape) and set(keywords) != set(index):
                assert other(node, index, tuple(given)) is None, (node.span, keywords)
    if path is None:   # the odd values are read in place, not by the general way
        assert inline >= 7


def test_a_hot_set_of_keywords_is_read_by_its_compiled_plan() -> None:
    """Once to_ast.HOT blocks with one set of keywords are read, the next are read by the
    plan compiled for that set, and make the records the readers make, also when blocks of
    two sets of keywords take turns (each compiled plan answers only for its own set) and
    when one set follows itself (the plan read last is tried first)."""
    server = dedent("""\
        real_server 10.0.{high}.{low} 80 {{
            weight {n}
            {flag}
            notify_up "/bin/up '{n}'"
            TCP_CHECK {{
                connect_timeout 3
                retry x
            }}
        }}
        """)
    count = 2 * to_ast.HOT + 9     # the last 8 of one set: its plan is tried first
    servers = "".join(server.format(n=n, high=n // 200, low=n % 200 + 1,
                                     flag="inhibit_on_failure" if n % 2 or n > count - 9 else "")
                      for n in range(count))
    doc = parse_text(f"virtual_server 192.0.2.1 80 {{\n{servers}}}\n")
    nodes = [n for n in doc.tree.walk() if n.keyword in ("real_server", "TCP_CHECK")]
    models = [m for rs in doc.config.virtual_servers[0].real_servers for m in (rs, *rs.checkers)]
    assert len(models) == len(nodes) == 2 * count
    for node, model in zip(nodes, models):
        shape = SHAPES[node.keyword]
        if node.keyword == "real_server":
            assert (model.address, model.port) == (node.args[0].value, 80)
            assert len(model.checkers) == 1
        given = [getattr(model, name) for name in shape.given]
        _same_record(model, shape.make(node, shape.read(node), **dict(zip(shape.given, given))),
                     node.span)
    for node in nodes[-4:]:
        assert SHAPES[node.keyword].plan(tuple(node.index())).compiled is not None


def test_the_shapes_built_compile_their_hot_plans() -> None:
    """A shape compiles its hot plans when its record can be made in place (records.swapped)
    and every field taking a default_factory's new value is given: every shape that
    Shape.build reads; not vrrp_instance's, whose lists are read, not given."""
    assert all(shape.in_place() is not None for shape in SHAPES.values())
    assert to_ast.VRRP_INSTANCE.in_place() is None and to_ast.SYNC_GROUP.in_place() is None
    plan = to_ast.VRRP_INSTANCE.plan(("state", "priority"))
    assert plan.inline is not None and to_ast.VRRP_INSTANCE.compile(("state", "priority"),
                                                                    plan) is None


def test_a_checker_class_says_its_keyword() -> None:
    """to_ast.checker leaves `type` to the checker class's default: its block's keyword."""
    for keyword, cls in to_ast.CHECKER_MODELS.items():
        assert cls().type == keyword


def test_numbers_answer_as_their_converter() -> None:
    """Shape.build types numbers through to_ast.Numbers: the converter's answer, remembered
    up to MAX_NUMBERS words and computed afresh after that."""
    words = ["3", "03", "-1", "1.5", "x", "", "99999999999", "1e3", " 4", "4s"]
    for numbers, convert in ((to_ast.INTEGERS, to_ast.as_int), (to_ast.SECONDS, to_ast.as_float)):
        assert [numbers[w] for w in words] == [convert(w) for w in words]
    full = to_ast.Numbers(to_ast.as_int)
    full.update({str(n): n for n in range(to_ast.MAX_NUMBERS)})
    assert full["-7"] is None and full["12345"] == 12345 and len(full) == to_ast.MAX_NUMBERS
