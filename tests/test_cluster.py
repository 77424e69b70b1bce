"""Which files form a cluster, and the pair checks as a user runs them."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from click.testing import CliRunner

from kaconf.api import lint_paths
from kaconf.cli import cli
from kaconf.model import effective
from kaconf.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
MASTER = REPO / "corpus" / "classic-dr" / "master.conf"
BACKUP = REPO / "corpus" / "classic-dr" / "backup.conf"


def codes(paths: list[Path], **kw: object) -> list[tuple[str, str, int]]:
    report = lint_paths(paths, settings=Settings(select=["KA5"]), **kw)  # type: ignore[arg-type]
    return [(Path(d.span.file).name, d.code, d.span.line) for d in report.diagnostics]


def test_the_bundled_pair_is_one_clean_cluster() -> None:
    report = lint_paths([MASTER, BACKUP], settings=Settings(select=["KA5"]))
    assert report.diagnostics == []
    (cluster,) = report.clusters
    assert {m.label for m in cluster.members} == {str(MASTER), str(BACKUP)}
    (s,) = cluster.instance_sets
    assert [(i.state, effective.priority(i).value) for _, i in s.entries] == [("MASTER", 150),
                                                                       ("BACKUP", 100)]


def test_copying_the_master_and_changing_only_state_is_a_priority_inversion(tmp_path: Path) -> None:
    copy = tmp_path / "backup.conf"
    copy.write_text(MASTER.read_text().replace("state MASTER", "state BACKUP"))
    found = codes([MASTER, copy])
    assert ("backup.conf", "KA506", 14) in found
    lower = tmp_path / "lower" / "backup.conf"
    lower.parent.mkdir()
    lower.write_text(copy.read_text().replace("priority 150", "priority 100"))
    assert [c for c in codes([MASTER, lower]) if c[1] == "KA506"] == []


def test_one_conditional_file_is_read_once_per_director(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(dedent("""\
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
        @lb1 state MASTER
        @lb2 state BACKUP
            priority 100
            virtual_ipaddress {
                192.0.2.10/24
            }
        }
        """))
    assert codes([conf], config_ids=["lb1", "lb2"]) == [("keepalived.conf", "KA506", 6)]
    result = CliRunner().invoke(cli, ["lint", "--show-clusters", "--config-id", "lb1",
                                      "--config-id", "lb2", str(conf)])
    assert f"cluster 1 (matching VRRP instances): {conf}@lb1, {conf}@lb2" in result.stderr


def test_instances_that_share_only_a_tutorial_name_are_not_paired(tmp_path: Path) -> None:
    a, b = tmp_path / "a.conf", tmp_path / "b.conf"
    a.write_text(MASTER.read_text())
    b.write_text(BACKUP.read_text().replace("virtual_router_id 51", "virtual_router_id 77")
                 .replace("172.17.13.252/24", "198.51.100.9/24"))
    report = lint_paths([a, b], settings=Settings(select=["KA5"]))
    assert report.clusters == []


def test_a_settings_group_brings_in_the_peer_that_was_not_given(tmp_path: Path) -> None:
    (tmp_path / "lb1").mkdir()
    (tmp_path / "lb2").mkdir()
    (tmp_path / "lb1" / "keepalived.conf").write_text(MASTER.read_text())
    (tmp_path / "lb2" / "keepalived.conf").write_text(
        BACKUP.read_text().replace("virtual_router_id 51", "virtual_router_id 52"))
    (tmp_path / ".kaconf.toml").write_text(
        '[[cluster]]\nfiles = ["lb1/keepalived.conf", "lb2/keepalived.conf"]\n')
    settings = load_settings(tmp_path / ".kaconf.toml")
    report = lint_paths([tmp_path / "lb1" / "keepalived.conf"], settings=settings)
    found = [(Path(d.span.file).parent.name, d.code) for d in report.diagnostics
             if d.code.startswith("KA5")]
    assert ("lb2", "KA501") in found
    assert report.clusters[0].reason == "listed in the settings"
    # the peer's own single-file findings are not reported: only the file given is linted
    assert all(Path(d.span.file).parent.name == "lb1" or d.code.startswith("KA5")
               for d in report.diagnostics)


def test_show_clusters_says_why_a_file_was_not_paired(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--show-clusters", str(MASTER)])
    assert "alone:" in result.stderr and "no VRRP instance matches another file" in result.stderr
