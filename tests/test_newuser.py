"""What a new user hits (issue 11), each through the command line as a user runs it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaconf.cli import cli

REPO = Path(__file__).resolve().parent.parent
MASTER = (REPO / "corpus" / "classic-dr" / "master.conf").read_text()
BACKUP = (REPO / "corpus" / "classic-dr" / "backup.conf").read_text()
COPIED = MASTER.replace("state MASTER", "state BACKUP")   # a tutorial's copy of the MASTER
FIXABLE = textwrap.dedent("""\
    virtual_server 192.0.2.10 80 {
        lb_algo rr
        lb_kind dr
        protocol TCP
        real_server 198.51.100.11 80 {
            TCP_CHECK {
                nb_get_retry 3
            }
        }
    }
    """)


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="kaconf")
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def fixable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "lb.conf"
    path.write_text(FIXABLE)
    return path


# -- --fix and --diff -----------------------------------------------------------------------

ERRORS_FIXED = FIXABLE.replace("lb_kind dr", "lb_kind DR").replace("nb_get_retry", "retry")
ALL_FIXED = ERRORS_FIXED.replace("lb_algo", "lvs_sched").replace("lb_kind", "lvs_method")


@pytest.mark.parametrize("flags, written, diff, fixes, code", [
    pytest.param([], FIXABLE, False, 0, 1, id="plain-lint"),
    pytest.param(["--diff"], FIXABLE, True, 2, 1, id="diff"),
    pytest.param(["--fix", "--diff"], FIXABLE, True, 2, 1, id="fix-then-diff"),
    pytest.param(["--diff", "--fix"], FIXABLE, True, 2, 1, id="diff-then-fix"),
    # what is left after --fix is two info hints, below the default --fail-on warning
    pytest.param(["--fix"], ERRORS_FIXED, False, 2, 0, id="fix"),
    pytest.param(["--fix", "--fail-on", "info"], ALL_FIXED, False, 4, 0, id="fix-fail-on-info"),
    pytest.param(["--fix-all"], ALL_FIXED, False, 4, 0, id="fix-all"),
    pytest.param(["--fix-all", "--diff"], FIXABLE, True, 4, 1, id="fix-all-diff"),
    pytest.param(["--fix", "--format", "json"], ERRORS_FIXED, False, 2, 0, id="fix-json"),
    pytest.param(["--fix", "--select", "KA103"], FIXABLE.replace("nb_get_retry", "retry"),
                 False, 1, 0, id="fix-selected-only"),
])
def test_fix_and_diff_write_and_print_what_they_promise(fixable: Path, flags: list[str],
                                                        written: str, diff: bool,
                                                        fixes: int, code: int) -> None:
    status, out, err = run("lint", *flags, "lb.conf")
    assert fixable.read_text() == written
    assert ("--- lb.conf\t(original)" in out) is diff
    said = [line for line in err.splitlines() if re.match(r"lb\.conf:\d+:\d+: (would )?fix", line)]
    assert len(said) == fixes
    if flags and (diff or "--fix" in flags or "--fix-all" in flags):
        plural = "fix" if fixes == 1 else "fixes"
        assert f"{fixes} {plural} {'to apply' if diff else 'applied'} in " in err
    if "--format" in flags:
        assert out.lstrip().startswith("[")     # stdout stays JSON; the fixes go to stderr
    assert status == code


def test_each_fix_is_one_line_naming_before_and_after(fixable: Path) -> None:
    _, _, err = run("lint", "--fix-all", "lb.conf")
    assert "lb.conf:7:13: fixed KA103 'nb_get_retry' -> 'retry'" in err
    assert "lb.conf:3:13: fixed KA106 'dr' -> 'DR'" in err
    assert "lb.conf:2:5: fixed KA104 'lb_algo' -> 'lvs_sched'" in err
    assert err.rstrip().endswith("4 fixes applied in 1 file")


def test_diff_and_fmt_diff_share_one_header_style(fixable: Path) -> None:
    _, lint_diff, _ = run("lint", "--diff", "lb.conf")
    Path("fmt.conf").write_text("global_defs {\nrouter_id a\n}\n")
    _, fmt_diff, _ = run("fmt", "--diff", "fmt.conf")
    assert lint_diff.startswith("--- lb.conf\t(original)\n+++ lb.conf\t(fixed)\n")
    assert fmt_diff.startswith("--- fmt.conf\t(original)\n+++ fmt.conf\t(formatted)\n")


# -- codes ----------------------------------------------------------------------------------

def test_lower_case_codes_are_accepted_everywhere(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text(COPIED)
    assert run("explain", "ka506")[1] == run("explain", "KA506")[1]
    code, out, _ = run("lint", "--select", "ka506", "--config-id", "x", str(tmp_path / "a.conf"))
    assert code == 0 and "no problems" in out
    _, out, _ = run("lint", "--ignore", "ka104", str(tmp_path / "a.conf"))
    assert "KA104" not in out


def test_rules_lists_every_severity_a_code_takes() -> None:
    _, out, _ = run("rules")
    line = next(x for x in out.splitlines() if x.startswith("KA104 "))
    assert "warning/info" in line


def test_explain_shows_a_cluster_rule_as_two_files_first() -> None:
    _, out, _ = run("explain", "KA506")
    bad = out[out.index("## Bad"):out.index("## Good")]
    assert bad.index("lb1.conf:") < bad.index("lb2.conf:") < bad.index("@lb1")
    lb2 = bad[bad.index("lb2.conf:"):bad.index("or one file")]
    assert "state BACKUP" in lb2 and "@" not in lb2


# -- reading ----------------------------------------------------------------------------------

def test_lint_reads_stdin_under_the_stdin_filename(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".kaconf.toml").write_text('ignore = ["KA104"]\n')
    monkeypatch.chdir(tmp_path)
    text = "vrrp_instance V {\n    interface eth0\n    virtual_router_id 0\n    lb_algo x\n}\n"
    code, out, _ = run("lint", "-", "--stdin-filename", "site/lb1.conf", stdin=text)
    assert code == 1
    assert "site/lb1.conf:3:23: error KA107" in out
    code, out, _ = run("lint", "-", stdin=MASTER)
    assert code == 0 and "<stdin>:" in out


def test_a_file_given_twice_is_counted_once(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.conf").write_text(MASTER)
    _, out, _ = run("lint", "--select", "KA5", "a.conf", "a.conf", "./a.conf")
    assert out.strip() == "no problems in 1 file"
    _, out, _ = run("lint", "--select", "KA101", "--config-id", "lb1", "--config-id", "lb2",
                    "a.conf")
    assert out.strip() == "no problems in 1 file"


@pytest.mark.parametrize("command", ["lint", "graph", "dump"])
def test_the_directory_hint_names_the_command_that_was_run(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("adir").mkdir()
    Path("adir/keepalived.conf").write_text(MASTER)
    code, _, err = run(command, "adir")
    assert code == 2
    assert f"run: kaconf {command} adir/keepalived.conf" in err
    assert not (command != "lint" and "(lint " in err)


def test_a_cluster_peer_is_shown_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lb1").mkdir()
    (tmp_path / "lb2").mkdir()
    (tmp_path / "lb1" / "keepalived.conf").write_text(MASTER)
    (tmp_path / "lb2" / "keepalived.conf").write_text(COPIED)
    (tmp_path / ".kaconf.toml").write_text(
        '[[cluster]]\nfiles = ["lb1/keepalived.conf", "lb2/keepalived.conf"]\n')
    monkeypatch.chdir(tmp_path / "lb1")
    code, out, _ = run("lint", "keepalived.conf")
    assert code == 1
    assert "\n../lb2/keepalived.conf:14:14: error KA506" in "\n" + out
    assert str(tmp_path) not in out


# -- output ---------------------------------------------------------------------------------

def test_kaconf_alone_prints_help_and_exits_zero() -> None:
    code, out, _ = run()
    assert code == 0 and "Usage:" in out and "lint" in out


def test_quiet_leaves_out_info_hints_and_sort_puts_errors_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.conf").write_text(MASTER)
    Path("b.conf").write_text(COPIED)
    files = ["a.conf", "b.conf"]
    _, loud, _ = run("lint", *files)
    _, quiet, _ = run("lint", "--quiet", *files)
    assert "info KA104" in loud and "info KA" not in quiet and "error KA506" in quiet
    _, ordered, _ = run("lint", "--sort", "severity", *files)
    severities = re.findall(r"^\S+:\d+:\d+: (\w+) KA", ordered, re.MULTILINE)
    rank = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=rank.__getitem__) and severities[0] == "error"


def test_ka106_says_what_keepalived_does_instead(tmp_path: Path) -> None:
    path = tmp_path / "k.conf"
    path.write_text("vrrp_instance V {\n    interface eth0\n    virtual_router_id 5\n"
                    "    state master\n}\nvirtual_server 192.0.2.1 80 {\n    lb_kind dr\n}\n")
    _, out, _ = run("lint", "--select", "KA106", str(path))
    assert "keepalived says unknown state and starts the instance as BACKUP" in out
    assert "keepalived says unknown routing method and falls back to NAT" in out


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o"), ("zsh", "compdef"),
                                           ("fish", "complete --no-files --command kaconf")])
def test_completion_scripts(shell: str, marker: str) -> None:
    code, out, _ = run("completion", shell)
    assert code == 0 and marker in out and "_KACONF_COMPLETE" in out


@pytest.mark.parametrize("words", ["kaconf explain ka50", "kaconf lint --select KA50",
                                   "kaconf lint --ignore ka50"])
def test_codes_complete_after_explain_select_and_ignore(words: str) -> None:
    env = {"_KACONF_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="kaconf")
    offered = [line.split(",", 1)[1] for line in result.stdout.splitlines()]
    assert "KA506" in offered and "KA201" not in offered


# -- graph ----------------------------------------------------------------------------------

@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("ds1.conf").write_text(MASTER)
    Path("ds2.conf").write_text(COPIED)
    return ["ds1.conf", "ds2.conf"]


def test_graph_counts_and_marks_by_severity_and_exits_like_lint(pair: list[str]) -> None:
    code, out, _ = run("graph", *pair)
    assert code == 1
    ds2 = next(line for line in out.splitlines() if "ds2.conf" in line and "director" in line)
    assert "2 errors · 1 warning" in ds2 and "⚠ KA511" in ds2
    assert "✖ KA506 priority-inversion" in out and "⚠ KA506" not in out
    Path("ds2.conf").write_text(BACKUP)
    assert run("graph", *pair)[0] == 0


@pytest.mark.parametrize("name, starts", [
    pytest.param("g.mmd", b"flowchart TB", id="mermaid"),
    pytest.param("g.dot", b"digraph", id="dot"),
    pytest.param("g.txt", b"2 directors", id="text"),
    pytest.param("g.svg", b"<?xml", id="svg"),
    pytest.param("g.png", b"\x89PNG", id="png"),
])
def test_graph_output_format_follows_the_extension(pair: list[str], name: str,
                                                   starts: bytes) -> None:
    Path("ds2.conf").write_text(BACKUP)
    code, out, err = run("graph", *pair, "-o", name)
    assert (code, out, err) == (0, "", "")
    assert Path(name).read_bytes().startswith(starts)


def test_graph_refuses_an_extension_that_contradicts_the_format(pair: list[str]) -> None:
    code, _, err = run("graph", *pair, "--format", "text", "-o", "g.png")
    assert code == 2 and "a .png file would not hold --format text" in err
    assert not Path("g.png").exists()
    code, _, err = run("graph", *pair, "-o", "picture.out")
    assert code == 2 and "cannot tell the format" in err


def test_graph_png_needs_a_file(pair: list[str]) -> None:
    code, out, err = run("graph", *pair, "--format", "png")
    assert (code, out) == (2, "") and "-o FILE.png" in err


# -- pre-commit -----------------------------------------------------------------------------

def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_pre_commit_says_when_nothing_is_a_keepalived_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("vrrp_instance is explained elsewhere\n")
    code, out, err = run("pre-commit", "notes.txt")
    assert (code, out) == (0, "")
    assert "none of the 1 file(s) is a keepalived configuration" in err


def test_pre_commit_recognises_configs_by_content_and_pairs_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    git("init", "-q", cwd=tmp_path)
    Path("ds1.conf").write_text(MASTER)
    Path("ds2.conf").write_text(BACKUP.replace("virtual_router_id 51", "virtual_router_id 52"))
    Path("README.md").write_text("# directors\n")
    git("add", ".", cwd=tmp_path)
    code, out, err = run("pre-commit", "ds2.conf", "README.md")
    assert code == 1
    assert "other configurations of the repository: ds1.conf" in err
    assert "ds2.conf:13:23: error KA501" in out
    assert not re.search(r"^ds1\.conf:", out, re.MULTILINE)   # ds1's own hints are not shown


# -- CI -------------------------------------------------------------------------------------

def test_ci_runs_pytest_with_the_venv_on_path_and_skips_failing() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert 'export PATH="$PWD/.venv/bin:$PATH" KACONF_CI=1' in script
    readme = (REPO / "README.md").read_text()
    assert 'if [ "$(id -u)" = 0 ]; then bash .ci/run; else sudo bash .ci/run; fi' in readme


def test_a_skip_for_a_missing_tool_fails_under_ci(tmp_path: Path) -> None:
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_tools.py").write_text(textwrap.dedent("""\
        import pytest

        def test_needs_a_tool():
            pytest.skip("ruff is not installed")

        def test_needs_data():
            pytest.skip("shared corpus not found at /nowhere")
        """))
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_tools.py"]
    env = {k: v for k, v in os.environ.items() if k != "KACONF_CI"}
    local = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                           check=False)
    ci = subprocess.run(argv, cwd=tmp_path, env={**env, "KACONF_CI": "1"},
                        capture_output=True, text=True, check=False)
    assert local.returncode == 0 and "2 skipped" in local.stdout
    assert ci.returncode == 1 and "1 failed, 1 skipped" in ci.stdout
    assert "skipped in CI" in ci.stdout


def test_ci_refuses_to_run_as_a_user_and_says_how() -> None:
    if os.geteuid() != 0:
        done = subprocess.run(["bash", str(REPO / ".ci" / "run")], capture_output=True,
                              text=True, check=False)
    else:
        setpriv = shutil.which("setpriv")
        assert setpriv is not None, "setpriv (util-linux) is needed to run as a user"
        done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                               "bash", str(REPO / ".ci" / "run")], capture_output=True,
                              text=True, check=False)
    assert done.returncode == 2
    assert "sudo bash .ci/run" in done.stderr
