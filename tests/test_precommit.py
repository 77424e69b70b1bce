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


def hooks() -> dict[str, dict[str, object]]:
    yaml = pytest.importorskip("yaml", reason="PyYAML (a pre-commit dependency) is not installed")
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}


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
def test_fmt_hook_takes_keepalived_files_by_name(path: str, taken: bool) -> None:
    found = hooks()
    assert set(found) == {"kaconf-lint", "kaconf-fmt"}
    assert bool(re.search(str(found["kaconf-fmt"]["files"]), path)) is taken


def test_lint_hook_takes_every_text_file_and_decides_by_content() -> None:
    lint = hooks()["kaconf-lint"]
    assert "files" not in lint and lint["types"] == ["text"]
    assert lint["entry"] == "kaconf pre-commit" and lint["require_serial"] is True


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
    written: list[str] = []

    def run(files: dict[str, str]) -> subprocess.CompletedProcess[str]:
        # each run starts from an empty project: the hook pairs every keepalived file of the
        # repository, so an earlier run's file would become a peer of this one's
        for name in written:
            (project / name).unlink()
        written[:] = list(files)
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


# -- the hook in a project repository, as README.md tells a user to set it up ---------------

SEED = (REPO / "corpus" / "classic-dr" / "master.conf").read_text()
COPIED = SEED.replace("state MASTER", "state BACKUP")        # the tutorial's copy: same priority
CORRECTED = (REPO / "corpus" / "classic-dr" / "backup.conf").read_text()


def readme_snippet(hook_repo: Path) -> str:
    """The README's .pre-commit-config.yaml, as written, with the repository URL pointing
    at the scratch copy of kaconf."""
    readme = (REPO / "README.md").read_text()
    block = re.search(r"```yaml\n(repos:\n.*?)```", readme, re.DOTALL)
    assert block is not None, "README.md has no pre-commit snippet starting with repos:"
    text = block.group(1)
    assert "rev: v0.1.0" in text
    return re.sub(r"(- repo: )\S+.*", lambda m: m.group(1) + str(hook_repo), text, count=1)


@pytest.fixture(scope="module")
def project(hook_repo: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A project with the README's snippet installed as a git pre-commit hook; `commit`
    writes files, stages them and runs `git commit`, which runs kaconf-lint."""
    git("tag", "-f", "v0.1.0", cwd=hook_repo)
    root = tmp_path_factory.mktemp("directors")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    git("init", "-q", cwd=root)
    (root / ".pre-commit-config.yaml").write_text(readme_snippet(hook_repo))
    subprocess.run(["pre-commit", "install"], cwd=root, env=env, check=True,
                   capture_output=True, timeout=300)
    git("add", ".pre-commit-config.yaml", cwd=root)
    git("commit", "-q", "--no-verify", "-m", "hooks", cwd=root)

    def commit(files: dict[str, str]) -> subprocess.CompletedProcess[str]:
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        git("add", *files, cwd=root)
        return subprocess.run([*GIT, "commit", "-m", "directors"], cwd=root, env=env,
                              capture_output=True, text=True, check=False, timeout=900)

    return commit


def test_committing_the_copied_priority_pair_fails(project) -> None:  # type: ignore[no-untyped-def]
    done = project({"ds1.conf": SEED, "ds2.conf": COPIED})
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "ds2.conf:14:14: error KA506" in out


def test_the_corrected_pair_is_committed(project) -> None:  # type: ignore[no-untyped-def]
    done = project({"ds1.conf": SEED, "ds2.conf": CORRECTED})
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"kaconf lint\.+Passed", out), out


def test_a_vrid_changed_on_one_director_fails_against_the_other_in_the_repository(
        project) -> None:  # type: ignore[no-untyped-def]
    # the corrected pair in the repository, whatever ran before (nothing to commit when the
    # test above did it)
    first = project({"ds1.conf": SEED, "ds2.conf": CORRECTED})
    assert first.returncode == 0 or "nothing to commit" in first.stdout, first.stdout
    # ds1.conf is not part of this commit: the hook finds it in the repository
    done = project({"ds2.conf": CORRECTED.replace("virtual_router_id 51", "virtual_router_id 52")})
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "error KA501" in out and "ds1.conf" in out

