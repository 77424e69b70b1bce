"""`kaconf graph`: the cluster picture in text, mermaid, DOT and SVG; findings marked on it;
label escaping; writing files without overwriting them."""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaconf import api
from kaconf.cli import cli
from kaconf.emit import graph as g
from kaconf.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CLASSIC = ["corpus/classic-dr/master.conf", "corpus/classic-dr/backup.conf"]
# snapshots pin the picture with the cluster rules only: what new single-file rules find in the
# example is the corpus census's business, not the picture's
CLUSTER_ONLY = Settings(select=["KA5"])
needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's dot is not installed (apt-get install graphviz)")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["graph", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Relative paths, so labels and snapshots do not depend on where the checkout is."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture
def classic(in_repo: Path) -> g.Graph:
    return g.build_graph(api.lint_paths(CLASSIC, settings=CLUSTER_ONLY))


def copy_master_as_backup(folder: Path, *, swap_unicast: bool) -> None:
    """master.conf and a copy of it as backup.conf with state BACKUP: priority 150 on both."""
    master = (REPO / CLASSIC[0]).read_text()
    backup = master.replace("state MASTER", "state BACKUP").replace("router_id lb1", "router_id lb2")
    if swap_unicast:
        backup = (backup.replace("unicast_src_ip 172.17.13.120", "unicast_src_ip 172.17.13.123")
                  .replace("        172.17.13.123\n", "        172.17.13.120\n"))
    (folder / "master.conf").write_text(master)
    (folder / "backup.conf").write_text(backup)


@pytest.fixture
def inverted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> g.Graph:
    """The shipped pair with the backup's priority left at the master's 150 (the unicast
    addresses swapped, as in the real backup.conf), so KA506 is the only cluster finding."""
    copy_master_as_backup(tmp_path, swap_unicast=True)
    monkeypatch.chdir(tmp_path)
    return g.build_graph(api.lint_paths(["master.conf", "backup.conf"], settings=CLUSTER_ONLY))


@pytest.mark.parametrize("render", [pytest.param(g.to_mermaid, id="mermaid"),
                                   pytest.param(g.to_dot, id="dot")])
def test_picture_shows_directors_vip_roles_service_and_real_servers(classic: g.Graph,
                                                                    render) -> None:  # type: ignore[no-untyped-def]
    out = render(classic)
    for text in ("lb1 · 172.17.13.120", "lb2 · 172.17.13.123", "corpus/classic-dr/master.conf",
                 "corpus/classic-dr/backup.conf", "VIP 172.17.13.252/24", "VI_1 · vrid 51",
                 "MASTER · priority 150", "BACKUP · priority 100", "MASTER 150", "BACKUP 100",
                 "virtual_server 172.17.13.252:80 TCP", "rr · DR",
                 "real_server 172.17.13.142:80", "real_server 172.17.13.173:80",
                 "weight 1 · TCP_CHECK"):
        assert text in out, text


def test_the_graph_links_both_instances_to_one_vip_with_the_master_first(classic: g.Graph) -> None:
    (group,) = classic.groups
    assert group.vips == ("172.17.13.252/24",)
    assert [(i.director, i.state, i.priority) for i in group.instances] == [
        ("lb1", "MASTER", 150), ("lb2", "BACKUP", 100)]
    assert [d.virtual_servers[0].on_instance for d in classic.directors] == ["d1_i1", "d2_i1"]
    assert not classic.findings and not group.marked


def test_mermaid_highlights_the_master_and_draws_its_link_thick(classic: g.Graph) -> None:
    out = g.to_mermaid(classic)
    assert out.startswith("flowchart TB\n")
    assert "    class d1_i1 master\n" in out
    assert '    vip1 ==>|"MASTER 150"| d1_i1\n' in out
    assert '    vip1 -.->|"BACKUP 100"| d2_i1\n' in out
    assert "linkStyle" not in out and "finding" not in out.split("classDef vipfinding")[1]


def test_mermaid_snapshot(classic: g.Graph, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert g.to_mermaid(classic) == snapshot


def test_dot_snapshot(classic: g.Graph, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert g.to_dot(classic) == snapshot


def test_text_tree_snapshot(classic: g.Graph, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert g.render(classic, "text") == snapshot


def test_priority_inversion_is_marked_on_the_backup(inverted: g.Graph, snapshot) -> None:  # type: ignore[no-untyped-def]
    assert [m.code for m in inverted.findings] == ["KA506"]
    master, backup = (d.instances[0] for d in inverted.directors)
    assert not master.marks and [m.code for m in backup.marks] == ["KA506"]
    mermaid, dot = g.to_mermaid(inverted), g.to_dot(inverted)
    assert "✖ KA506 priority-inversion" in mermaid and "    class d2_i1 finding\n" in mermaid
    assert "    class vip1 vipfinding\n" in mermaid
    assert "    linkStyle 7 stroke:#c62828,stroke-width:3px\n" in mermaid
    links = [line for line in mermaid.splitlines() if "|" in line and "-" in line]
    assert links[-1] == '    vip1 -.->|"BACKUP 150"| d2_i1'
    assert "✖ KA506 priority-inversion" in dot
    assert 'tooltip="KA506 priority 150 on BACKUP backup.conf' in dot
    assert 'vip1 -> d2_i1 [label="BACKUP 150", style=dashed, color="#c62828", penwidth=3];' in dot
    text = g.render(inverted, "text")
    assert "backup.conf:14:14: KA506 priority 150 on BACKUP backup.conf" in text
    assert (mermaid, dot, text) == snapshot


def test_a_plain_copy_of_the_master_marks_the_inversion_among_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_master_as_backup(tmp_path, swap_unicast=False)
    monkeypatch.chdir(tmp_path)
    code, mermaid, _ = run("master.conf", "backup.conf", "--format", "mermaid")
    assert code == 1  # the inversion is an error: graph exits like lint
    backup_node = next(line for line in mermaid.splitlines() if line.startswith("        d2_i1["))
    assert "✖ KA506 priority-inversion" in backup_node
    assert "class d2_i1 finding" in mermaid or "class d1_i1,d2_i1 finding" in mermaid
    code, dot, _ = run("master.conf", "backup.conf", "--format", "dot")
    assert "✖ KA506 priority-inversion" in dot and 'vip1 -> d2_i1 [label="BACKUP 150"' in dot


def test_the_mermaid_link_style_index_points_at_the_marked_link(inverted: g.Graph) -> None:
    lines = g.to_mermaid(inverted).splitlines()
    links = [line for line in lines if line.startswith("    ") and (
        " --> " in line or " -.- " in line or "==>|" in line or "-.->|" in line)]
    (style,) = [line for line in lines if line.startswith("    linkStyle")]
    index = int(style.split()[1])
    assert links[index].endswith(" d2_i1") and "BACKUP 150" in links[index]


def test_a_file_read_per_config_id_marks_only_the_director_at_fault(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keepalived.conf").write_text(textwrap.dedent("""\
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        @lb1    state MASTER
        @lb2    state BACKUP
        @lb1    priority 100
        @lb2    priority 150
            virtual_ipaddress {
                10.0.0.10/24
            }
        }
        """))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("keepalived.conf", "--config-id", "lb1", "--config-id", "lb2",
                       "--format", "mermaid")
    assert code == 1  # the inversion is an error: graph exits like lint
    assert 'subgraph d1["lb1<br/>keepalived.conf@lb1"]' in out
    assert 'subgraph d2["lb2<br/>keepalived.conf@lb2<br/>1 error"]' in out
    assert "class d1_i1 master" in out and "class d2_i1 finding" in out
    assert out.count("✖ KA506") == 1


def test_other_findings_are_counted_per_director(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    master = (REPO / CLASSIC[0]).read_text()
    (tmp_path / "a.conf").write_text(master)
    (tmp_path / "b.conf").write_text(master.replace("state MASTER", "state BACKUP")
                                     .replace("priority 150", "priority 100")
                                     .replace("advert_int 1", "advert_int 1\n    bogus_keyword 1"))
    monkeypatch.chdir(tmp_path)
    graph = g.build_graph(api.lint_paths(["a.conf", "b.conf"],
                                         settings=Settings(select=["KA101", "KA5"])))
    # the bogus keyword, and the cluster findings marked on b.conf (KA506 error, KA511 warning)
    assert [d.problems for d in graph.directors] == [(), (("error", 2), ("warning", 1))]
    assert "lb1 · 172.17.13.120<br/>b.conf<br/>2 errors · 1 warning" in g.to_mermaid(graph)


@needs_dot
@pytest.mark.parametrize("fixture", ["classic", "inverted"])
def test_dot_output_is_accepted_by_graphviz(fixture: str, request: pytest.FixtureRequest) -> None:
    graph = request.getfixturevalue(fixture)
    done = subprocess.run(["dot", "-Tsvg"], input=g.to_dot(graph), capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert "<svg" in done.stdout and "172.17.13.252" in done.stdout


@needs_dot
def test_svg_format_runs_graphviz(in_repo: Path) -> None:
    code, out, err = run(*CLASSIC, "--format", "svg")
    assert code == 0 and err == ""
    assert out.lstrip().startswith("<?xml") and "</svg>" in out
    assert "real_server 172.17.13.173:80" in out


def test_svg_without_graphviz_is_one_line_and_exit_2(in_repo: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    code, out, err = run(*CLASSIC, "--format", "svg")
    assert (code, out) == (2, "")
    assert err == "kaconf: graph --format svg needs Graphviz's 'dot' (apt-get install graphviz)\n"


def test_text_format_piped_has_no_colour(in_repo: Path) -> None:
    code, out, _ = run(*CLASSIC)
    assert code == 0 and "\x1b[" not in out
    assert out.startswith("2 directors, 0 cluster findings\n├── director lb1 · 172.17.13.120")


def test_output_file_is_written_and_never_overwritten_without_force(in_repo: Path,
                                                                   tmp_path: Path) -> None:
    target = tmp_path / "cluster.mmd"
    assert run(*CLASSIC, "--format", "mermaid", "-o", str(target))[:2] == (0, "")
    first = target.read_text()
    assert first.startswith("flowchart TB\n")
    target.write_text("keep me\n")
    code, out, err = run(*CLASSIC, "-o", str(target))
    assert (code, out) == (2, "")
    assert err == f"kaconf: {target}: already exists; add --force to overwrite it\n"
    assert target.read_text() == "keep me\n"
    assert run(*CLASSIC, "--format", "mermaid", "-o", str(target), "--force")[0] == 0
    assert target.read_text() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.mmd"]  # no temp files left


def test_output_into_a_missing_folder_is_one_line_and_exit_2(in_repo: Path, tmp_path: Path) -> None:
    code, _, err = run(*CLASSIC, "-o", str(tmp_path / "nope" / "x.txt"))
    assert code == 2 and err.startswith("kaconf: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_unreadable_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "missing.conf"))
    assert (code, out) == (2, "")
    assert err.startswith("kaconf: ") and "missing.conf" in err and err.count("\n") == 1


def test_cli_formats_match_the_library() -> None:
    (command,) = [c for name, c in cli.commands.items() if name == "graph"]
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert tuple(option.type.choices) == g.FORMATS  # type: ignore[attr-defined]


@pytest.mark.parametrize("text, label", [
    pytest.param('say "hi"', '"say #quot;hi#quot;"', id="quotes"),
    pytest.param("a<b>&c", '"a#lt;b#gt;#amp;c"', id="html"),
    pytest.param("#1 | `x`", '"#35;1 #124; #96;x#96;"', id="hash-pipe-backtick"),
])
def test_mermaid_labels_escape_what_would_end_or_confuse_them(text: str, label: str) -> None:
    assert g.mermaid_label([text]) == label


@pytest.mark.parametrize("text, label", [
    pytest.param('say "hi"', r'"say \"hi\""', id="quotes"),
    pytest.param("C:\\new\\N", r'"C:\\new\\N"', id="backslashes"),
    pytest.param('end\\"', r'"end\\\""', id="backslash-before-quote"),
])
def test_dot_strings_escape_quotes_and_backslashes(text: str, label: str) -> None:
    assert g.dot_string([text]) == label


def _tricky_graph() -> g.Graph:
    inst = g.InstanceNode('d1_i1', 'we"ird\\name', "MASTER", 150, True, 51, "eth0",
                          ("10.0.0.1/24",), (), 'lb "one"')
    real = g.RealNode("d1_vs1_rs1", "10.0.0.5:80", "weight 1", ("MISC_CHECK",), ())
    vs = g.VirtualNode("d1_vs1", "10.0.0.1:80", "TCP", "wrr", "DR", (real,), (), "d1_i1")
    director = g.Director("d1", 'lb "one"', 'C:\\conf\\"x".conf', None, (inst,), (vs,), (), ())
    return g.Graph((director,), (g.VipGroup("vip1", inst.name, 51, inst.vips, (inst,)),), ())


def test_tricky_names_stay_inside_their_labels() -> None:
    mermaid = g.to_mermaid(_tricky_graph())
    assert 'd1_i1["vrrp_instance we#quot;ird\\name<br/>' in mermaid
    assert all(line.count('"') % 2 == 0 for line in mermaid.splitlines())
    dot = g.to_dot(_tricky_graph())
    assert r'label="vrrp_instance we\"ird\\name\nMASTER' in dot
    assert r'label="lb \"one\"\nC:\\conf\\\"x\".conf";' in dot


@needs_dot
def test_tricky_names_render_with_graphviz() -> None:
    svg = g.run_dot(g.to_dot(_tricky_graph()))
    assert "we&quot;ird\\name" in svg or 'we"ird\\name' in svg


def test_docs_picture_is_the_current_output(classic: g.Graph) -> None:
    """docs/classic-dr.mmd and the README's mermaid block are what `kaconf graph` prints;
    regenerate them with the commands in the README's "See the cluster" section."""
    mermaid = g.to_mermaid(classic)
    assert (REPO / "docs" / "classic-dr.mmd").read_text() == mermaid
    assert f"```mermaid\n{mermaid}```\n" in (REPO / "README.md").read_text()
    svg = (REPO / "docs" / "classic-dr.svg").read_text()
    assert svg.rstrip().endswith("</svg>")
    for text in ("lb1 · 172.17.13.120", "MASTER 150", "BACKUP 100", "real_server 172.17.13.173:80"):
        assert text in svg, text


@pytest.mark.parametrize("path", sorted(str(p.relative_to(REPO))
                                        for p in REPO.glob("corpus/**/*.conf")))
def test_every_corpus_file_draws_in_every_format(path: str, in_repo: Path) -> None:
    graph = g.build_graph(api.lint_paths([path], config_ids=["lb1"]))
    assert g.to_mermaid(graph).startswith("flowchart TB\n")
    assert g.render(graph, "text")
    dot = g.to_dot(graph)
    if shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0 and not done.stderr, done.stderr


def test_a_virtual_server_without_protocol_is_labelled_udp(tmp_path: Path) -> None:
    # keepalived 2.2.7: "no protocol set - defaulting to UDP"; the label says what runs
    conf = tmp_path / "keepalived.conf"
    conf.write_text(textwrap.dedent("""\
        virtual_server 10.0.0.1 53 {
            lvs_sched rr
            lvs_method DR
            real_server 10.0.0.2 53 {
                TCP_CHECK {
                }
            }
        }
        """))
    _, out, _ = run("--format", "text", str(conf))
    assert "virtual_server 10.0.0.1:53 UDP" in out
    assert "TCP" not in out.replace("TCP_CHECK", "")
