"""The command line: exit codes, formats and error handling."""
from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kaconf import lint_argv
from kaconf.cli import cli

REPO = Path(__file__).resolve().parent.parent
MASTER = REPO / "corpus" / "classic-dr" / "master.conf"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
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


# `kaconf lint` without click (kaconf.lint_argv): an argument list it takes gives what click's
# command gives; one it does not take it leaves to click, having written nothing
PLAIN = [
    ["lint", "clean.conf"], ["lint", "bad.conf"], ["lint", "bad.conf", "./bad.conf"],
    ["lint", "master.conf", "backup.conf"], ["lint", "missing.conf"], ["lint", "bin.conf"],
    ["lint", "bad.conf", "clean.conf", "missing.conf", "-q"],
    ["lint", "--format", "json", "bad.conf"], ["lint", "--format=sarif", "bad.conf"],
    ["lint", "--format", "github", "bad.conf"], ["lint", "--format", "junit", "master.conf"],
    ["lint", "--format", "xml", "--format", "text", "bad.conf"],
    ["lint", "-q", "bad.conf"], ["lint", "bad.conf", "--quiet", "--quiet"],
    ["lint", "--sort", "severity", "bad.conf"], ["lint", "--sort=file", "bad.conf"],
    ["lint", "--select", "KA1", "bad.conf"], ["lint", "--select=KA101,,KA107", "bad.conf"],
    ["lint", "--select", "KA1", "--select", "duplicate-vrid", "bad.conf"],
    ["lint", "--ignore", "unknown-keyword", "--ignore", " KA107 ", "bad.conf"],
    ["lint", "--select", "", "bad.conf"], ["lint", "--ignore=", "bad.conf"],
    ["lint", "--fail-on", "error", "bad.conf"], ["lint", "--fail-on=info", "master.conf"],
    ["lint", "--config-id", "lb1", "ids.conf"], ["lint", "--config-id=lb2", "ids.conf"],
    ["lint", "--config-id", "lb1", "--config-id", "lb2", "ids.conf"],
    ["lint", "--target-version", "2.0", "bad.conf"], ["lint", "--target-version=v2.2", "ids.conf"],
    ["lint", "--target-version", "x", "--target-version", "2.1.5", "clean.conf"],
    ["lint", "--config", "settings.toml", "bad.conf"], ["lint", "project/a.conf", "LINT"],
    ["lint", "bad.conf", "--format", "json", "-q", "--sort", "severity", "--fail-on", "error"],
    ["lint", "--stdin-filename", "x", "bad.conf"],
]
TO_CLICK = [
    [], ["lint"], ["lint", "--help"], ["lint", "-h"], ["--help"], ["--version"], ["rules"],
    ["--debug", "lint", "bad.conf"], ["lint", "--debug", "bad.conf"],
    ["lint", "--", "bad.conf"], ["lint", "--fix", "bad.conf"], ["lint", "--diff", "bad.conf"],
    ["lint", "--show-clusters", "master.conf"], ["lint", "-", "-"], ["lint", "-", "bad.conf", "-"],
    ["lint", "--stdin-filename", "site", "-"], ["lint", "--stdin-filename", "-"],
    ["lint", "--stdin-filename", "broken/a.conf", "-"], ["lint", "-", "--fix"],
    ["lint", "--include-root", ".", "bad.conf"], ["lint", "--format", "xml", "bad.conf"],
    ["lint", "--format", "bad.conf"], ["lint", "bad.conf", "--format"],
    ["lint", "--format", "-q", "bad.conf"], ["lint", "--sort", "", "bad.conf"],
    ["lint", "--quiet=1", "bad.conf"], ["lint", "-qq", "bad.conf"], ["lint", "--q", "bad.conf"],
    ["lint", "--form", "json", "bad.conf"], ["lint", "--FORMAT", "json", "bad.conf"],
    ["lint", "--select", "KA999", "bad.conf"], ["lint", "--select", "-q", "bad.conf"],
    ["lint", "--target-version", "two", "bad.conf"], ["lint", "--fail-on", "ERROR", "bad.conf"],
    ["lint", "--config", "missing.toml", "bad.conf"], ["lint", "--config", ".", "bad.conf"],
    ["lint", "--config", "broken.toml", "bad.conf"], ["lint", "site"], ["lint", "bad.conf", "."],
    ["lint", ""], ["lint", "broken/a.conf"], ["Lint", "bad.conf"], ["dump", "bad.conf"],
]


@pytest.fixture
def lint_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of configurations and settings files, the current directory."""
    write(tmp_path, MASTER.read_text(), "clean.conf")
    write(tmp_path, MASTER.read_text(), "master.conf")
    write(tmp_path, MASTER.with_name("backup.conf").read_text(), "backup.conf")
    write(tmp_path, "global_defs {\n  router_idd x\n}\nvrrp_instance V {\n interface eth0\n"
                    " virtual_router_id 0\n priority 100\n priority 90\n}\n", "bad.conf")
    write(tmp_path, "vrrp_instance V {\n interface eth0\n virtual_router_id 5\n"
                    "@lb1 priority 150\n@lb2 priority 100\n@lb2 priority 90\n}\n", "ids.conf")
    (tmp_path / "bin.conf").write_bytes(b"global_defs {\x00}\n")
    write(tmp_path, 'ignore = ["KA107"]\nfail-on = "error"\n', "settings.toml")
    write(tmp_path, 'ignore = 3\n', "broken.toml")
    for folder in ("project", "broken", "site"):
        (tmp_path / folder).mkdir()
    write(tmp_path, 'ignore = ["KA101"]\n', "project/.kaconf.toml")
    write(tmp_path, "global_defs {\n  router_idd x\n}\n", "project/a.conf")
    write(tmp_path, 'ignore = 3\n', "broken/.kaconf.toml")
    write(tmp_path, "global_defs {\n  router_idd x\n}\n", "broken/a.conf")
    write(tmp_path / "site", MASTER.read_text())
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.endswith("_COMPLETE")]:
        monkeypatch.delenv(name)
    return tmp_path


def without_click(argv: list[str], stdin: bytes = b"") -> tuple[bool, int, str, str]:
    """kaconf.lint_argv.run(argv) with `stdin` on standard input: whether it took argv, and
    its exit code and output. What it leaves to click it must leave unread."""
    out, err = io.StringIO(), io.StringIO()
    code: object = None
    given = io.BytesIO(stdin)
    wrapper = io.TextIOWrapper(given)
    saved, sys.stdin = sys.stdin, wrapper
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                taken = lint_argv.run(argv)
            except SystemExit as exc:
                taken, code = True, exc.code
        read = given.tell()
    finally:
        sys.stdin = saved
    assert isinstance(code, int) or not taken
    assert taken or read == 0, "stdin read, then left to click"
    return taken, code if isinstance(code, int) else 0, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_a_plain_lint_without_click_is_the_click_command(lint_dir: Path, argv: list[str]) -> None:
    taken, *got = without_click(argv)
    assert taken
    assert tuple(got) == run(*argv)


@pytest.mark.parametrize("argv", TO_CLICK, ids=" ".join)
def test_what_is_not_plain_is_left_to_click_untouched(lint_dir: Path, argv: list[str]) -> None:
    assert without_click(argv, stdin=b"global_defs {\n}\n") == (False, 0, "", "")


# `-`: the buffer an editor sends, under the name --stdin-filename gives (settings found from
# it; a file given as well under the same name is read once, from stdin)
BAD = b"global_defs {\n  router_idd x\n}\n"
STDIN = [
    (["lint", "-"], BAD), (["lint", "-", "-q"], BAD), (["lint", "-"], b""),
    (["lint", "--stdin-filename", "mine.conf", "-"], BAD),
    (["lint", "--format", "json", "--stdin-filename", "project/a.conf", "-"], BAD),
    (["lint", "--stdin-filename=bad.conf", "-", "bad.conf"], MASTER.read_bytes()),
    (["lint", "clean.conf", "-", "--stdin-filename", "other.conf"],
     MASTER.with_name("backup.conf").read_bytes()),
    (["lint", "--format", "sarif", "-"], b"vrrp_instance V {\n  auth_pass s3cr3t-x\n}\n"),
    (["lint", "-"], b"global_defs {\x00}\n"), (["lint", "-"], "global_defs {\n}\n".encode("utf-16")),
    (["lint", "-"], "! caf\u00e9\nglobal_defs {\n  router_id caf\u00e9\n}\n".encode("latin-1")),
]


@pytest.mark.parametrize("argv, stdin", STDIN, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else f"{len(v)}B")
def test_stdin_without_click_is_the_click_command(lint_dir: Path, argv: list[str],
                                                  stdin: bytes) -> None:
    taken, *got = without_click(argv, stdin)
    assert taken
    assert tuple(got) == run(*argv, stdin=stdin)


def test_lint_without_click_takes_the_options_as_click_declares_them() -> None:
    options = {opt: p for p in cli.commands["lint"].params for opt in p.opts}
    for name, choices in lint_argv.CHOICES.items():
        param = options[name]
        assert isinstance(param, click.Option) and not param.is_flag, name
        assert param.multiple == (name in ("--select", "--ignore", "--config-id")), name
        declared = getattr(param.type, "choices", None)
        assert (tuple(declared) if declared else None) == choices, name
    assert all(options[q].name == "quiet" and options[q].is_flag for q in lint_argv.QUIET)


CLICK_ALONE = "from kaconf.cli import cli; cli.main(prog_name='python -m kaconf')"


@pytest.mark.parametrize("argv", [
    ["lint", "bad.conf", "--format", "json"], ["lint", "--format", "xml", "bad.conf"],
    ["lint", "site"], ["lint", "--select", "KA999", "bad.conf"], ["lint", "missing.conf"],
], ids=" ".join)
def test_the_entry_point_runs_either_path_like_click(lint_dir: Path, argv: list[str]) -> None:
    """python -m kaconf, through kaconf.__main__, against click's command alone."""
    entry = subprocess.run([sys.executable, "-m", "kaconf", *argv], capture_output=True,
                           text=True, timeout=120)
    alone = subprocess.run([sys.executable, "-c", CLICK_ALONE, *argv], capture_output=True,
                           text=True, timeout=120)
    assert (entry.returncode, entry.stdout, entry.stderr) == (
        alone.returncode, alone.stdout, alone.stderr)


@pytest.mark.parametrize("module, allowed", [
    ("lint_argv", {"kaconf.api"}), ("__main__", {"kaconf.lint_argv", "kaconf.cli"})])
def test_the_entry_point_and_lint_without_click_reach_the_library_through_the_api(
        module: str, allowed: set[str]) -> None:
    used: set[str] = set()
    for node in ast.walk(ast.parse((REPO / "kaconf" / f"{module}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "kaconf":
            used |= {f"kaconf.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            used.add(node.module or "")
        elif isinstance(node, ast.Import):
            used |= {a.name for a in node.names}
    assert {m for m in used if m.startswith("kaconf")} == allowed
