"""The pre-commit hooks (.pre-commit-hooks.yaml): which files they take, and a real
`pre-commit try-repo` run of kaconf-lint on a bad and a good configuration.

try-repo on a working tree uses the committed HEAD plus changes to tracked files (`git add
-u`), but not untracked files, so a half-finished working tree (a tracked module importing a
new, not yet added one) would install a broken kaconf. The run therefore uses a commit of the
whole working tree (tracked and untracked, minus what .gitignore ignores) in a scratch repo:
the hooks are tested against exactly the code on disk. pre-commit then builds a virtualenv
and pip-installs kaconf into it, which needs the package index; there are two runs, sharing
one pre-commit cache.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOOKS = REPO / ".pre-commit-hooks.yaml"
GIT = ["git", "-c", "user.name=kaconf tests", "-c", "user.email=tests@kaconf.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

BAD = """\
    vrrp_script chk_haproxy {
        script "/usr/bin/killall -0 haproxy"
    }
    vrrp_instance VI_1 {
        interface eth0
        virtual_router_id 51
        track_script {
            chk_haproxy
        }
    }
    """
# the bundled example pair, which the CLI tests pin as clean (info hints only)
GOOD = {f"keepalived/{name}": (REPO / "corpus" / "classic-dr" / name).read_text()
        for name in ("master.conf", "backup.conf")}


def hook_patterns() -> dict[str, str]:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a pre-commit dependency) is not installed")
    return {hook["id"]: hook["files"] for hook in yaml.safe_load(HOOKS.read_text())}


@pytest.mark.parametrize("path, taken", [
    pytest.param("keepalived.conf", True, id="top-level"),
    pytest.param("etc/keepalived/keepalived.conf", True, id="etc"),
    pytest.param("keepalived/conf.d/web.conf", True, id="under-keepalived-folder"),
    pytest.param("roles/lb/files/site.keepalived", True, id="keepalived-suffix"),
    pytest.param("nginx/nginx.conf", False, id="other-conf"),
    pytest.param("notkeepalived.conf", False, id="name-suffix"),
    pytest.param("keepalived.conf.bak", False, id="backup-copy"),
    pytest.param("keepalived/README.md", False, id="other-file-in-folder"),
])
def test_hooks_take_keepalived_files_only(path: str, taken: bool) -> None:
    patterns = hook_patterns()
    assert set(patterns) == {"kaconf-lint", "kaconf-fmt"}
    for pattern in patterns.values():
        assert bool(re.search(pattern, path)) is taken


def git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-commit copy of the working tree (see the module docstring)."""
    if shutil.which("pre-commit") is None:
        pytest.skip("the pre-commit command is not installed (pip install pre-commit)")
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: pre-commit try-repo needs one")
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO)
    dest = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.split("\0")):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot of the kaconf working tree", cwd=dest)
    return dest


@pytest.fixture(scope="module")
def try_repo(hook_repo: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Run `pre-commit try-repo HOOK_REPO kaconf-lint --files ...` in a scratch project."""
    project = tmp_path_factory.mktemp("project")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-cache")),
           "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    git("init", "-q", cwd=project)

    def run(files: dict[str, str]) -> subprocess.CompletedProcess[str]:
        for name, text in files.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(textwrap.dedent(text), encoding="utf-8")
        git("add", "-A", cwd=project)
        return subprocess.run(["pre-commit", "try-repo", str(hook_repo), "kaconf-lint",
                               "--files", *files], check=False, cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)

    return run


def test_lint_hook_fails_on_a_bad_config_and_names_the_code(try_repo) -> None:  # type: ignore[no-untyped-def]
    result = try_repo({"keepalived/lb1.conf": BAD})
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "kaconf lint" in out and "Failed" in out
    assert "keepalived/lb1.conf:2:5: error KA401" in out


def test_lint_hook_passes_a_good_pair(try_repo) -> None:  # type: ignore[no-untyped-def]
    result = try_repo(GOOD)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert re.search(r"kaconf lint\.+Passed", out), out
    assert "KA" not in out   # info hints are not shown when the hook passes
