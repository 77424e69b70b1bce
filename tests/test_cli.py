"""The command line: exit codes, formats and error handling."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaconf.cli import cli

REPO = Path(__file__).resolve().parent.parent
MASTER = REPO / "corpus" / "classic-dr" / "master.conf"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "keepalived.conf") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_clean_pair_exits_zero_with_only_info_hints() -> None:
    code, out, _ = run("lint", str(MASTER), str(MASTER.with_name("backup.conf")))
    assert code == 0
    assert "info KA104" in out and "error" not in out


def test_findings_exit_one_and_show_the_source_line(tmp_path: Path) -> None:
    path = write(tmp_path, "vrrp_instance V {\n    interface eth0\n    virtual_router_id 0\n}\n")
    code, out, _ = run("lint", path)
    assert code == 1
    assert f"{path}:3:23: error KA107" in out
    assert "    virtual_router_id 0\n" in out and "^" in out


def test_json_format_lists_objects_with_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "global_defs {\n  router_idd x\n}\n")
    code, out, _ = run("lint", "--format", "json", path)
    assert code == 1
    (item,) = json.loads(out)
    assert {k: item[k] for k in ("code", "name", "severity", "file", "line", "column",
                                 "end_line", "end_column")} == {
        "code": "KA101", "name": "unknown-keyword", "severity": "error", "file": path,
        "line": 2, "column": 3, "end_line": 2, "end_column": 13}
    assert "did you mean 'router_id'" in item["message"]


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, "vrrp_instance V {\n interface eth0\n virtual_router_id 5\n"
                           " priority 100\n priority 90\n}\n")
    assert run("lint", path)[0] == 1
    assert run("lint", "--fail-on", "error", path)[0] == 0


@pytest.mark.parametrize("target, why", [
    pytest.param("missing.conf", "no such file", id="missing"),
    pytest.param(".", "is a directory", id="directory"),
])
def test_unreadable_files_exit_two(tmp_path: Path, target: str, why: str) -> None:
    code, out, _ = run("lint", str(tmp_path / target))
    assert code == 2
    assert "KA004" in out and why in out and "Traceback" not in out


def test_binary_file_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "k.conf"
    path.write_bytes(b"global_defs {\x00}\n")
    code, out, _ = run("lint", str(path))
    assert code == 2 and "not a text file" in out


def test_bad_target_version_is_a_usage_error() -> None:
    code, _, err = run("lint", "--target-version", "two", str(MASTER))
    assert code == 2 and "not a keepalived version" in err


def test_dump_gives_the_tree_with_spans() -> None:
    code, out, _ = run("dump", str(MASTER))
    assert code == 0
    data = json.loads(out)
    top = [n["keyword"] for n in data["config"]]
    assert top == ["global_defs", "vrrp_instance", "virtual_server"]
    inst = data["config"][1]
    assert inst["args"][0]["value"] == "VI_1" and inst["span"]["line"] == 10
    state = inst["block"][0]
    assert (state["keyword"], state["args"][0]["span"]["column"]) == ("state", 11)


def test_dump_typed_gives_the_model() -> None:
    code, out, _ = run("dump", "--typed", str(MASTER))
    assert code == 0
    assert json.loads(out)["config"]["virtual_servers"][0]["lvs_method"] == "DR"


def test_dump_of_missing_file_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("dump", str(tmp_path / "nope.conf"))
    assert code == 2 and err.strip().count("\n") == 0 and "nope.conf" in err


def test_config_id_selects_conditional_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "vrrp_instance V {\n interface eth0\n virtual_router_id 5\n"
                           "@lb1 priority 150\n@lb2 priority 100\n@lb2 priority 90\n}\n")
    assert run("lint", "--config-id", "lb1", path)[0] == 0
    code, out, _ = run("lint", "--config-id", "lb2", path)
    assert code == 1 and "KA108" in out


def test_dump_masks_secrets_unless_asked() -> None:
    for args in (["dump", str(MASTER)], ["dump", "--typed", str(MASTER)]):
        code, out, _ = run(*args)
        assert code == 0 and "Kx7pQ2vA" not in out and "********" in out
    code, out, _ = run("dump", "--show-secrets", str(MASTER))
    assert code == 0 and "Kx7pQ2vA" in out
