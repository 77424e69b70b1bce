"""A pull request's config must not make kaconf read, print or hang on anything outside the
project: the include root, /proc, /sys and /dev, regular files only, and a size limit."""
from __future__ import annotations

import json
import os
from pathlib import Path
from textwrap import dedent

import pytest

from tests.hardening.runner import ENVIRONMENTS, LINT_FORMATS, Run, assert_clean, kaconf

CANARY = "router_id CANARY_OUTSIDE_7731"     # a line of a file outside the project
SHADOW_LIKE = "root:$6$kaconfcanary$"          # a line a runner would not want in a log
BODY = """\
    global_defs {
        router_id lb1
    }
    """


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git work tree (the default include root) next to a folder outside it."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.conf").write_text(f"{CANARY}\n{SHADOW_LIKE}\n")
    (outside / "keepalived.conf").write_text(dedent(BODY) + f"# {CANARY}\n")
    return repo


def refused_codes(run: Run) -> list[str]:
    return [d["code"] for d in json.loads(run.out) if d["code"] == "KA010"]


PATTERNS = [
    pytest.param("{outside}/secret.conf", id="absolute-path"),
    pytest.param("../outside/secret.conf", id="dot-dot"),
    pytest.param("../outside/*.conf", id="glob-outside"),
    pytest.param("link.conf", id="symlink-in-repo"),
    pytest.param("/proc/self/environ", id="proc-environ"),
    pytest.param("/etc/shadow", id="etc-shadow"),
]
ENVIRON = tuple(v for v in os.environ.values() if len(v) > 12)[:20]


def include_lines(project: Path, patterns: list[str]) -> Path:
    outside = project.parent / "outside"
    (project / "link.conf").symlink_to(outside / "secret.conf")
    conf = project / "keepalived.conf"
    conf.write_text(dedent(BODY) + "".join(f"include {p.format(outside=outside)}\n"
                                           for p in patterns))
    return conf


@pytest.mark.parametrize("pattern", PATTERNS)
def test_an_include_outside_the_root_is_refused_and_never_quoted(
        project: Path, pattern: str) -> None:
    conf = include_lines(project, [pattern])
    for fmt in ("text", "json"):
        run = kaconf("lint", "--format", fmt, conf, cwd=project)
        assert_clean(run, codes=(1,), forbidden=(CANARY, SHADOW_LIKE, *ENVIRON))
        assert "KA010" in run.text
    allowed = "never reads /proc" if pattern.startswith("/proc") else "--include-root DIR"
    assert allowed in run.text      # why, and how to allow it when it can be


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_no_format_shows_a_refused_file(project: Path, fmt: str, env: str) -> None:
    conf = include_lines(project, [p.values[0] for p in PATTERNS])
    run = kaconf("lint", "--format", fmt, conf, env=env, cwd=project)
    assert_clean(run, codes=(1,), forbidden=(CANARY, SHADOW_LIKE, *ENVIRON))
    assert "KA010" in run.text


def test_the_refusal_is_on_the_include_line_and_says_how_to_allow_it(project: Path) -> None:
    conf = project / "keepalived.conf"
    conf.write_text(dedent(BODY) + "include ../outside/secret.conf\n")
    run = kaconf("lint", "--format", "json", conf, cwd=project)
    found = [d for d in json.loads(run.out) if d["code"] == "KA010"]
    assert len(found) == 1 and found[0]["line"] == 4 and found[0]["column"] == 9
    assert "--include-root DIR" in found[0]["message"] and "include-root" in found[0]["message"]


def test_include_root_option_and_setting_allow_a_folder(project: Path) -> None:
    conf = project / "keepalived.conf"
    conf.write_text(dedent(BODY) + "include ../outside/keepalived.conf\n")
    assert refused_codes(kaconf("lint", "--format", "json", conf)) == ["KA010"]
    allowed = kaconf("lint", "--format", "json", "--include-root", project.parent, conf)
    assert refused_codes(allowed) == [] and allowed.code in (0, 1)
    (project / ".kaconf.toml").write_text('include-root = ".."\n')
    assert refused_codes(kaconf("lint", "--format", "json", conf)) == []


def test_dump_and_graph_refuse_the_same_includes(project: Path) -> None:
    conf = project / "keepalived.conf"
    conf.write_text(dedent(BODY) + "include ../outside/secret.conf\n")
    for args in (("dump",), ("dump", "--typed"), ("dump", "--format", "conf"), ("graph",),
                 ("graph", "--format", "dot")):
        run = kaconf(*args, conf, cwd=project)
        assert_clean(run, forbidden=(CANARY, SHADOW_LIKE))


def test_a_symlink_named_on_the_command_line_that_leaves_the_root_is_refused(
        project: Path) -> None:
    link = project / "keepalived.conf"
    link.symlink_to(project.parent / "outside" / "secret.conf")
    for fmt in LINT_FORMATS:
        run = kaconf("lint", "--format", fmt, link, cwd=project)
        assert_clean(run, codes=(2,), forbidden=(CANARY, SHADOW_LIKE))
    assert_clean(kaconf("dump", link, cwd=project), codes=(2,), forbidden=(CANARY,))


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_a_fifo_on_the_command_line_does_not_block(tmp_path: Path, env: str) -> None:
    fifo = tmp_path / "keepalived.conf"
    os.mkfifo(fifo)
    run = kaconf("lint", fifo, env=env)
    assert_clean(run, codes=(2,))
    assert "not a regular file (it is a FIFO)" in run.text
    assert_clean(kaconf("fmt", "--check", fifo, env=env), codes=(2,))


def test_an_included_fifo_and_devices_are_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.conf")
    (tmp_path / "zero.conf").symlink_to("/dev/zero")
    conf = tmp_path / "keepalived.conf"
    conf.write_text(dedent(BODY) + "include pipe.conf\ninclude zero.conf\ninclude /proc/kmsg\n"
                    "include /sys/kernel/*\ninclude /dev/zero\ninclude /proc/1/cwd\n")
    run = kaconf("lint", "--format", "json", "--include-root", "/", conf)
    assert_clean(run, codes=(1,))
    found = json.loads(run.out)
    assert [d["line"] for d in found if d["code"] == "KA010"] == [5, 6, 7, 8, 9]
    assert any("not a regular" in d["message"] for d in found if d["line"] == 4)


def test_a_symlink_to_dev_zero_and_stdin_from_dev_zero_end(tmp_path: Path) -> None:
    (tmp_path / "keepalived.conf").symlink_to("/dev/zero")
    assert_clean(kaconf("lint", "--include-root", "/", tmp_path / "keepalived.conf"),
                 codes=(2,))
    with open("/dev/zero", "rb") as zero:
        endless = zero.read(11 * 1024 * 1024)   # more than the limit is all it could read
    assert_clean(kaconf("fmt", "-", stdin=endless), codes=(2,))


def test_a_file_over_the_size_limit_is_refused_with_a_message(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_text(dedent(BODY) * 200)
    (tmp_path / ".kaconf.toml").write_text("max-file-size = 1000\n")
    run = kaconf("lint", conf)
    assert_clean(run, codes=(2,))
    assert "limit of 1000 bytes" in run.text and "max-file-size" in run.text
    (tmp_path / ".kaconf.toml").write_text("max-file-size = 100000\n")
    assert_clean(kaconf("lint", conf))


@pytest.mark.parametrize("encoding, name", [
    ("utf-16", "UTF-16 (little-endian)"), ("utf-16-be", "UTF-16 (big-endian)"),
    ("utf-32", "UTF-32 (little-endian)"),
])
def test_utf16_and_utf32_files_name_their_encoding(tmp_path: Path, encoding: str,
                                                   name: str) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_bytes(dedent(BODY).encode(encoding))
    for env in ENVIRONMENTS:
        run = kaconf("lint", conf, env=env)
        assert_clean(run, codes=(2,))
        assert name in run.text and "convert it to UTF-8" in run.text


def test_a_utf8_byte_order_mark_is_named(tmp_path: Path) -> None:
    conf = tmp_path / "keepalived.conf"
    conf.write_bytes(b"\xef\xbb\xbf" + dedent(BODY).encode())
    run = kaconf("lint", "--format", "json", conf)
    assert_clean(run, codes=(1,))
    assert any("byte order mark" in d["message"] for d in json.loads(run.out))


@pytest.mark.parametrize("name", ["/proc/self/environ", "/proc/1/cwd", "/sys/kernel/notes"])
def test_proc_and_sys_named_on_the_command_line_are_not_read(name: str) -> None:
    run = kaconf("lint", "--format", "json", name)
    assert_clean(run, codes=(2,), forbidden=ENVIRON)
    assert "never reads as configuration" in run.text
