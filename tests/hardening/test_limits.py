"""Inputs that used to hang kaconf or exhaust its memory end with diagnostics. Each input is
small enough for the linear algorithms to take seconds, and large enough that the quadratic
or unbounded ones they replace took minutes (or forever): the test would time out."""
from __future__ import annotations

import json
import os
from pathlib import Path
from textwrap import dedent
from types import SimpleNamespace

import pytest

from kaconf.grammar import structure
from kaconf.keywords import KeywordTable
from kaconf.loader import load
from kaconf.loader.globs import TooManyAlternatives, expand_braces
from kaconf.rules import ka206_unused_definition as ka206
from kaconf.source import Span
from kaconf.tree import STATEMENT, Node, Word
from tests.hardening.runner import ENVIRONMENTS, LINT_FORMATS, assert_clean, kaconf


def codes(run_out: bytes) -> list[str]:
    return [d["code"] for d in json.loads(run_out)]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_100_kb_of_open_braces_is_linear_and_summarised(tmp_path: Path, env: str) -> None:
    # the old stray-brace matching scanned to the end of the file for every '{': 40 KB took
    # 30 s, 100 KB about three minutes
    conf = tmp_path / "keepalived.conf"
    conf.write_text("{" * 100_000 + "\n")
    for fmt in LINT_FORMATS:
        run = kaconf("lint", "--format", fmt, conf, env=env)
        assert_clean(run, codes=(1,))
        assert len(run.out) < 2_000_000         # summarised, and each excerpt cut short
    found = codes(kaconf("lint", "--format", "json", conf).out)
    assert found.count("KA001") == 500 and found.count("KA011") == 1


def test_a_megabyte_of_closing_braces_prints_a_summary(tmp_path: Path) -> None:
    # 1 MB of '}' took 159 s and printed 298 MB of JSON
    conf = tmp_path / "keepalived.conf"
    conf.write_text("}\n" * 300_000)
    run = kaconf("lint", "--format", "json", conf)
    assert_clean(run, codes=(1,))
    found = json.loads(run.out)
    assert len(found) == 501 and "299500 more KA001" in found[-1]["message"]


def test_a_file_of_braces_beyond_the_brace_limit_is_not_read(tmp_path: Path) -> None:
    # every brace costs memory to place and report: 10 MB of them would take gigabytes
    conf = tmp_path / "keepalived.conf"
    conf.write_text("}" * 600_000 + "\n")
    run = kaconf("lint", "--format", "json", conf)
    assert_clean(run, codes=(1,))
    found = json.loads(run.out)
    assert [d["code"] for d in found] == ["KA011"] and "600000 braces" in found[0]["message"]


def test_a_six_level_include_bomb_stops_at_the_include_budget(tmp_path: Path) -> None:
    # ten files each including the next ten times: a million reads without a budget
    for level in range(1, 7):
        (tmp_path / f"f{level}.conf").write_text(f"include f{level + 1}.conf\n" * 10)
    (tmp_path / "f7.conf").write_text("global_defs {\n    router_id lb1\n}\n")
    run = kaconf("lint", "--format", "json", tmp_path / "f1.conf")
    assert_clean(run, codes=(1,))
    found = [d for d in json.loads(run.out) if d["code"] == "KA011"]
    assert len(found) == 1 and "more than 1000 files are included" in found[0]["message"]


def test_an_include_chain_deeper_than_the_limit_stops_without_recursion_error(
        tmp_path: Path) -> None:
    for i in range(250):
        (tmp_path / f"c{i}.conf").write_text(f"include c{i + 1}.conf\n")
    (tmp_path / "c250.conf").write_text("global_defs {\n    router_id lb1\n}\n")
    run = kaconf("lint", "--format", "json", tmp_path / "c0.conf")
    assert_clean(run, codes=(1,))
    assert any("nest more than 32 deep" in d["message"] for d in json.loads(run.out))


def test_brace_alternatives_and_deep_nesting_in_a_pattern_are_bounded(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text("include " + "{a,b}" * 30 + ".conf\n"
                    "include " + "{" * 5000 + "x" + "}" * 5000 + "\n")
    run = kaconf("lint", "--format", "json", conf)
    assert_clean(run, codes=(1,))
    found = [d for d in json.loads(run.out) if d["code"] == "KA011"]
    assert [d["line"] for d in found] == [1, 2]
    with pytest.raises(TooManyAlternatives):
        expand_braces("{a,b}" * 30)
    assert expand_braces("x{a,b{c,d}}y") == ["xay", "xbcy", "xbdy"]


def test_a_glob_over_a_symlink_loop_is_bounded(tmp_path: Path) -> None:
    loop = tmp_path / "d"
    loop.mkdir()
    for name in "abcdefgh":
        (loop / name).symlink_to(".")
    conf = tmp_path / "keepalived.conf"
    conf.write_text("include " + "d/" + "*/" * 12 + "x.conf\n")
    loaded = load(conf, "lb1")
    assert [d.code for d in loaded.diagnostics] == ["KA011"]


def test_sequences_beyond_the_expansion_budget_stop_with_a_diagnostic(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text("~SEQ(i, 1, 100000000) vrrp_script s$i { }\n")
    loaded = load(conf, "lb1")
    assert [d.code for d in loaded.diagnostics] == ["KA011"]
    assert len(loaded.lines) <= 20_000


def test_unused_definition_counts_names_once() -> None:
    # KA206 counted each name with list.count: 100,000 vrrp_script blocks took 223 s (this
    # input would take hours); with one count per name it is a single pass
    n = 100_000
    scripts = [SimpleNamespace(name=f"s{i}") for i in range(n)]
    span = Span("k.conf", 1, 1, 1, 2)
    track = Node("track_script", span, [Word(f"s{i}", span) for i in range(n)], STATEMENT, "")
    top = Node("vrrp_instance", span, [], STATEMENT, "", children=[track])
    config = SimpleNamespace(missing_includes=False, node=SimpleNamespace(children=[top]),
                             vrrp_scripts=scripts, virtual_server_groups=[])
    assert list(ka206.check(config)) == []   # type: ignore[arg-type]


def test_did_you_mean_is_asked_for_a_bounded_number_of_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = KeywordTable.suggest

    def counted(self: KeywordTable, block: str, keyword: str) -> str | None:
        asked.append(keyword)
        return real(self, block, keyword)

    monkeypatch.setattr(KeywordTable, "suggest", counted)
    from kaconf.api import parse_text

    words = "\n".join(f"wordno{i} x" for i in range(3000)) + "\n" + "y" * 500 + "\n"
    doc = parse_text(words)
    assert len([d for d in doc.diagnostics if d.code == "KA101"]) == 500
    assert len(asked) == structure.MAX_SUGGESTIONS


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    with conf.open("w") as fh:
        fh.write("global_defs {\n    router_id lb1\n}\n")
        fh.truncate(11 * 1024 * 1024)       # sparse: 11 MB without writing them
    run = kaconf("lint", conf)
    assert_clean(run, codes=(2,))
    assert "limit of 10.0 MB" in run.text


def test_included_files_share_a_total_budget(tmp_path: Path) -> None:
    from kaconf.loader import Limits

    (tmp_path / "big.conf").write_text(dedent("""\
        global_defs {
            router_id lb1
        }
        """) * 100)
    conf = tmp_path / "keepalived.conf"
    conf.write_text("include big.conf\n" * 5)
    loaded = load(conf, "lb1", limits=Limits(total_bytes=10_000))
    assert [d.code for d in loaded.diagnostics] == ["KA011"]
    assert "at most 10000 bytes" in loaded.diagnostics[0].message
    assert os.path.getsize(tmp_path / "big.conf") * 3 > 10_000   # the third one is refused
