"""`fmt` and `lint --fix` rewrite only what the user may write, inside the root, keeping mode,
owner and hard links, and never over an edit made while kaconf ran."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kaconf.fileio import WriteRefused, write_atomic
from tests.hardening.runner import ENVIRONMENTS, assert_clean, kaconf

MESSY = "global_defs {\nrouter_id lb1\n}\n"
TIDY = "global_defs {\n    router_id lb1\n}\n"
FIXABLE = ("virtual_server 10.0.0.1 80 {\n    lvs_method dr\n"
           "    real_server 10.0.0.2 80 {\n        weight 1\n    }\n}\n")


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("args, text", [
    pytest.param(("fmt",), MESSY, id="fmt"),
    pytest.param(("lint", "--fix"), FIXABLE, id="lint-fix"),
])
def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path, args: tuple[str, ...],
                                                   text: str, env: str) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(text)
    conf.chmod(0o444)
    run = kaconf(*args, conf, env=env)
    assert_clean(run, codes=(2,))
    assert "not writable (mode 0444)" in run.text
    assert conf.read_text() == text and stat.S_IMODE(conf.stat().st_mode) == 0o444


def test_mode_owner_and_hard_links_are_kept(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(MESSY)
    conf.chmod(0o640)
    os.chown(conf, 65534, 65534)
    twin = tmp_path / "twin.conf"
    os.link(conf, twin)
    before = conf.stat()
    assert_clean(kaconf("fmt", conf), codes=(0,))
    after = conf.stat()
    assert conf.read_text() == TIDY and twin.read_text() == TIDY
    assert (after.st_ino, after.st_nlink, after.st_uid, after.st_gid) == (
        before.st_ino, 2, 65534, 65534)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keepalived.conf", "twin.conf"]


def test_lint_fix_keeps_hard_links(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(FIXABLE)
    os.link(conf, tmp_path / "twin.conf")
    assert_clean(kaconf("lint", "--fix", conf))
    assert "lvs_method DR" in (tmp_path / "twin.conf").read_text()


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(MESSY)
    read = conf.read_text()
    conf.write_text(MESSY + "# edited meanwhile\n")
    with pytest.raises(WriteRefused, match="changed since kaconf read it"):
        write_atomic(conf, TIDY, expected=read)
    assert conf.read_text().endswith("# edited meanwhile\n")
    os.link(conf, tmp_path / "twin.conf")       # the in-place path checks too
    with pytest.raises(WriteRefused):
        write_atomic(conf, TIDY, expected=read)


def test_fmt_and_fix_never_write_outside_the_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    outside = tmp_path / "outside.conf"
    outside.write_text(MESSY)
    (repo / "keepalived.conf").symlink_to(outside)
    run = kaconf("fmt", repo / "keepalived.conf")
    assert_clean(run, codes=(2,))
    assert "outside the include root" in run.text and outside.read_text() == MESSY
    outside.write_text(FIXABLE)
    (repo / "main.conf").write_text(f"include {outside}\n")
    assert_clean(kaconf("lint", "--fix", repo / "main.conf"), codes=(1,))
    assert outside.read_text() == FIXABLE
    with pytest.raises(WriteRefused, match="outside the include root"):
        write_atomic(outside, TIDY, root=str(repo))


def test_a_write_that_fails_is_one_line_and_exit_two(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(FIXABLE)
    (tmp_path / "keepalived.conf").chmod(0o400)
    run = kaconf("lint", "--fix", conf)
    assert_clean(run, codes=(2,))
    assert run.text.strip().splitlines()[-1].startswith("kaconf: cannot fix")


def test_a_folder_where_no_temporary_file_can_be_made_is_one_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    conf = tmp_path / "keepalived.conf"
    conf.write_text(MESSY)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(WriteRefused) as caught:
        write_atomic(conf, TIDY, expected=MESSY)
    assert caught.value.filename == str(conf) and "temporary file" in str(caught.value)
    assert conf.read_text() == MESSY
