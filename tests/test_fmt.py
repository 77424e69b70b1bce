"""`kaconf fmt`: canonical indentation that changes nothing keepalived reads."""
from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kaconf import fmt
from kaconf.cli import cli
from kaconf.fileio import write_atomic
from kaconf.fmt import FormatError, format_text, verify
from kaconf.loader import read_text

REPO = Path(__file__).resolve().parent.parent
REAL = Path("/work/shared/corpus/real")


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["fmt", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "keepalived.conf") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


def content(text: str) -> list[str]:
    """The non-blank lines without their surrounding blanks: what fmt must never change."""
    lines = (line.strip(" \t\r") for line in text.split("\n"))
    return [line for line in lines if line]


# -- indentation ------------------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [
    pytest.param("""
        vrrp_instance VI_1 {
        state MASTER
              virtual_ipaddress {
         192.0.2.1/24
           }
        }
        """, """
        vrrp_instance VI_1 {
            state MASTER
            virtual_ipaddress {
                192.0.2.1/24
            }
        }
        """, id="nested-blocks"),
    pytest.param("""
        vrrp_instance VI_1 {
          virtual_ipaddress { 192.0.2.1/24 }
              state MASTER
        }
        """, """
        vrrp_instance VI_1 {
            virtual_ipaddress { 192.0.2.1/24 }
            state MASTER
        }
        """, id="one-line-block"),
    pytest.param("""
        vrrp_instance VI_1
        {
        state MASTER
        }
        """, """
        vrrp_instance VI_1
        {
            state MASTER
        }
        """, id="brace-on-next-line"),
    pytest.param("""
        vrrp_instance VI_2 { state BACKUP
        interface eth0 } vrrp_instance VI_3 {
        state MASTER
        }
        """, """
        vrrp_instance VI_2 { state BACKUP
            interface eth0 } vrrp_instance VI_3 {
            state MASTER
        }
        """, id="braces-mid-line"),
    pytest.param("""
        a {
        b {
        c {
        d
        }}
        } e {
        f
        }
        """, """
        a {
            b {
                c {
                    d
            }}
        } e {
            f
        }
        """, id="closing-run-dedents-first"),
    pytest.param("""
          }
          state X
        vrrp_instance V {
        """, """
        }
        state X
        vrrp_instance V {
        """, id="unbalanced-never-below-zero"),
], )
def test_blocks_are_indented_four_spaces_per_depth(before: str, after: str) -> None:
    assert format_text(src(before)) == src(after)


def test_comments_are_kept_and_indented_to_the_current_depth() -> None:
    before = src("""
        # header
        global_defs {   # a { in a comment does not open a block
        ! bang comment
           router_id r1#nospace }
        #   }
        }
        """)
    assert format_text(before) == src("""
        # header
        global_defs {   # a { in a comment does not open a block
            ! bang comment
            router_id r1#nospace }
            #   }
        }
        """)


def test_escaped_comment_characters_are_text() -> None:
    before = "global_defs {\nrouter_id a\\#{\nx\n}\n}\n"
    assert format_text(before) == "global_defs {\n    router_id a\\#{\n        x\n    }\n}\n"


def test_a_backslash_takes_the_next_character_so_an_escaped_quote_opens_nothing() -> None:
    # decomment(): `a\"#{` is `a\"` and a comment, so the `{` opens no block
    assert format_text('a {\nb a\\"#{\nc\n}\n') == 'a {\n    b a\\"#{\n    c\n}\n'


@pytest.mark.parametrize("before, after", [
    pytest.param("$X=a # note \\ \nb {\n}\n", "$X=a # note \\ \nb {\n}\n",
                 id="backslash-ending-a-comment"),
    pytest.param("a {\nb\r \n}\n", "a {\n    b\r \n}\n", id="carriage-return-before-blanks"),
])
def test_trailing_blanks_stay_where_removing_them_would_change_the_reading(before: str,
                                                                           after: str) -> None:
    # `# note \` + newline would continue the definition onto `b {`; `b\r` + newline would
    # lose the \r, which keepalived keeps when blanks follow it
    assert format_text(before) == after
    verify(before, after, "x.conf")


def test_braces_and_comment_characters_in_double_quotes_are_untouched() -> None:
    before = src("""
        vrrp_script chk {
        script "/bin/check {x} # not a comment !"
        }
        vrrp_instance V {
        state "unterminated { }
        }
        """)
    assert format_text(before) == src("""
        vrrp_script chk {
            script "/bin/check {x} # not a comment !"
        }
        vrrp_instance V {
            state "unterminated { }
        }
        """)


def test_single_quotes_do_not_hide_braces() -> None:
    # keepalived-language.md §2.1: braces in single quotes still split the line
    assert format_text("a {\nnotify '/bin/echo {x}'\nb\n}\n") == (
        "a {\n    notify '/bin/echo {x}'\n    b\n}\n")


def test_blank_lines_collapse_and_the_file_ends_with_one_newline() -> None:
    before = "\n\n  \nglobal_defs {   \t\n\n\n\t\nrouter_id r1  \n}\n\n\n"
    assert format_text(before) == "global_defs {\n\n    router_id r1\n}\n"
    assert format_text("global_defs {\n}") == "global_defs {\n}\n"
    assert format_text("") == "" and format_text("\n \n") == ""


def test_words_and_inner_spacing_are_kept() -> None:
    line = "real_server   10.0.0.1\t80  {"
    assert format_text(f"virtual_server 1.2.3.4 80 {{\n{line}\n}}\n}}\n").split("\n")[1] == (
        f"    {line}")


def test_only_blanks_and_tabs_count_as_indentation() -> None:
    # keepalived strips only blanks and tabs; \f, \v and non-breaking spaces are content,
    # and \v or \f never split a line (str.splitlines would)
    text = "a {\n\fb\n\xa0c\nd\ve\n}\n"
    assert format_text(text) == "a {\n    \fb\n    \xa0c\n    d\ve\n}\n"


def test_conditional_lines_stay_in_column_0_and_keep_their_spacing() -> None:
    before = src("""
        vrrp_script chk {
          @high	script /etc/high.sh
        @^high  script /etc/low.sh
        }
        """)
    assert format_text(before) == src("""
        vrrp_script chk {
        @high	script /etc/high.sh
        @^high  script /etc/low.sh
        }
        """)


def test_multiline_definitions_hang_below_their_name_and_do_not_nest_the_file() -> None:
    before = src("""
        $INSTANCE=vrrp_instance VI_${IF} { \\
        interface ${IF} \\
        virtual_ipaddress { \\
        192.0.2.1/24 \\
        } \\
        }
        global_defs {
        $SINGLE=a { b
        router_id r1
        }
        """)
    assert format_text(before) == src("""
        $INSTANCE=vrrp_instance VI_${IF} { \\
                interface ${IF} \\
                virtual_ipaddress { \\
                    192.0.2.1/24 \\
                } \\
            }
        global_defs {
            $SINGLE=a { b
            router_id r1
        }
        """)


def test_a_comment_line_ends_a_definition() -> None:
    # the loader (and keepalived's child processes) stop collecting at a comment-only line
    before = "$X=a \\\n# note\nb {\nc\n}\n"
    assert format_text(before) == "$X=a \\\n# note\nb {\n    c\n}\n"


def test_crlf_files_stay_crlf() -> None:
    before = "global_defs {\r\nrouter_id r1   \r\n}\r\n"
    assert format_text(before) == "global_defs {\r\n    router_id r1\r\n}\r\n"


def test_undecodable_bytes_survive() -> None:
    raw = b"global_defs {\nrouter_id caf\xe9  # \xff\xfe\n}\n"
    text = raw.decode("utf-8", "surrogateescape")
    out = format_text(text).encode("utf-8", "surrogateescape")
    assert out == b"global_defs {\n    router_id caf\xe9  # \xff\xfe\n}\n"


def test_lines_too_long_for_keepalived_are_left_as_written() -> None:
    # keepalived reads 1023 bytes per line; indenting must not push a word past that
    near = "x" * (fmt.MAX_LINE_BYTES - 3)
    assert format_text(f"a {{\n{near}\n}}\n") == f"a {{\n{near}\n}}\n"
    short = "x" * 100
    assert format_text(f"a {{\n{short}\n}}\n") == f"a {{\n    {short}\n}}\n"


@pytest.mark.parametrize("text", [
    pytest.param("a {\n\n\n b {\n c }\n}}\n}\n", id="unbalanced"),
    pytest.param("$X=a \\\n  b {\\\n}\n\n@h x {\n}\r\n", id="definitions-and-conditionals"),
    pytest.param("a{b\"{\"}c#}\n  d\n", id="quotes-and-comments"),
])
def test_formatting_is_idempotent(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once


# -- safety -----------------------------------------------------------------------------------

def test_verify_rejects_a_text_that_reads_differently() -> None:
    with pytest.raises(FormatError, match="'state MASTER' would become 'state MASTERX'"):
        verify("vrrp_instance V {\nstate MASTER\n}\n", "vrrp_instance V {\nstate MASTERX\n}\n",
               "x.conf")


def test_verify_checks_every_conditional_id() -> None:
    # with no config id both texts are empty; only '-i high' shows the difference
    with pytest.raises(FormatError, match="config id 'high'"):
        verify("@high priority 100\n", "@high priority 101\n", "x.conf")


PIECES = st.sampled_from([
    "{", "}", '"', "#", "!", "\\", "$", "@", "^", "=", " ", "\t", "\n", "\r\n", "\r", "\f", "\xa0",
    "\udcff", "a", "vrrp_instance", "state", "virtual_ipaddress", "$X=", "@a ", "@^a ", "${X}",
    "$X", "~SEQ(i,1,2) ", "global_defs", "real_server",
])


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(PIECES, max_size=50).map("".join))
def test_any_text_formats_stably_to_the_same_tree(text: str) -> None:
    try:
        for config_id in ["", *fmt.conditional_ids(text)]:
            fmt.tree_shape(text, "<text>", config_id)
    except FormatError:
        assume(False)   # kaconf cannot read it at all (see the report on loader.handle)
    once = format_text(text)
    assert format_text(once) == once
    verify(text, once, "<text>")


def corpus_files() -> list[object]:
    return [pytest.param(p, id=str(p.relative_to(REPO)))
            for p in sorted((REPO / "corpus").rglob("*.conf"))]


def real_files() -> list[object]:
    if not REAL.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"{REAL} does not exist: the shared real-world corpus is not on this machine"))]
    return [pytest.param(p, id=str(p.relative_to(REAL))) for p in sorted(REAL.rglob("*"))
            if p.is_file()]


def check_file(path: Path) -> None:
    text, why = read_text(str(path))
    if text is None:
        pytest.skip(f"{path} cannot be read: {why}")
    once = format_text(text)
    verify(text, once, str(path))
    assert format_text(once) == once
    assert content(once) == content(text)


@pytest.mark.parametrize("path", corpus_files())
def test_bundled_corpus_keeps_its_tree(path: Path) -> None:
    check_file(path)


@pytest.mark.parametrize("path", real_files())
def test_real_corpus_keeps_its_tree(path: Path) -> None:
    check_file(path)


def test_bundled_corpus_is_not_empty() -> None:
    assert corpus_files(), "no *.conf under corpus/: the corpus tests would run nothing"


# -- command line -----------------------------------------------------------------------------

MESSY = "vrrp_instance V {\nstate MASTER\n}\n"
TIDY = "vrrp_instance V {\n    state MASTER\n}\n"


def test_check_exits_one_and_names_the_file_without_writing(tmp_path: Path) -> None:
    path = write(tmp_path, MESSY)
    code, out, err = run("--check", str(path))
    assert (code, out) == (1, "")
    assert f"would reformat {path}\n" in err
    assert "1 file(s) would be reformatted, 0 unchanged" in err
    assert path.read_text() == MESSY


def test_check_exits_zero_on_formatted_files(tmp_path: Path) -> None:
    path = write(tmp_path, TIDY)
    code, _, err = run("--check", str(path))
    assert code == 0
    assert err == "0 file(s) would be reformatted, 1 unchanged\n"


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, MESSY)
    code, out, _ = run("--diff", str(path))
    assert code == 1
    assert out.startswith(f"--- {path}\t(original)\n+++ {path}\t(formatted)\n")
    assert "-state MASTER\n+    state MASTER\n" in out
    assert path.read_text() == MESSY
    assert run("--diff", str(write(tmp_path, TIDY, "tidy.conf")))[:2] == (0, "")


def test_diff_marks_a_missing_final_newline(tmp_path: Path) -> None:
    _, out, _ = run("--diff", str(write(tmp_path, "a {\n}")))
    assert "-}\n\\ No newline at end of file\n+}\n" in out


def test_rewrite_in_place_keeps_the_mode(tmp_path: Path) -> None:
    path = write(tmp_path, MESSY)
    path.chmod(0o640)
    code, out, err = run(str(path))
    assert (code, out) == (0, "")
    assert path.read_text() == TIDY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert f"reformatted {path}\n" in err and "1 file(s) reformatted, 0 unchanged" in err
    assert sorted(os.listdir(tmp_path)) == ["keepalived.conf"]   # no temporary file left


def test_unchanged_files_are_not_written(tmp_path: Path) -> None:
    path = write(tmp_path, TIDY)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    code, _, err = run(str(path))
    after = path.stat()
    assert code == 0 and err == "0 file(s) reformatted, 1 unchanged\n"
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_rewrite_keeps_crlf_and_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "k.conf"
    path.write_bytes(b"a {\r\nb \xff\r\n}\r\n")
    assert run(str(path))[0] == 0
    assert path.read_bytes() == b"a {\r\n    b \xff\r\n}\r\n"


def test_rewrite_through_a_symlink_rewrites_the_target(tmp_path: Path) -> None:
    real = write(tmp_path, MESSY, "real.conf")
    link = tmp_path / "link.conf"
    link.symlink_to(real.name)
    assert run(str(link))[0] == 0
    assert link.is_symlink() and real.read_text() == TIDY


def test_stdin_is_formatted_to_stdout() -> None:
    result = CliRunner().invoke(cli, ["fmt", "-"], input=b"a {\nb \xff\n}")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"a {\n    b \xff\n}\n"
    assert "reformatted -" in result.stderr


def test_stdin_check_writes_nothing_to_stdout() -> None:
    code, out, err = run("--check", "-", input=MESSY.encode())
    assert (code, out) == (1, "") and "would reformat -" in err


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: p / "missing.conf", id="missing"),
    pytest.param(lambda p: p, id="directory"),
])
def test_unreadable_file_is_one_line_and_exit_two(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    tidy = write(tmp_path, MESSY, "other.conf")
    code, out, err = run(str(path), str(tidy))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"kaconf: cannot read '{path}': ")
    assert "Traceback" not in err
    assert tidy.read_text() == TIDY                      # the other files are still done
    assert lines[-1] == "1 file(s) reformatted, 0 unchanged, 1 failed"


def test_a_result_that_reads_differently_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "format_text", lambda text: text.replace("MASTER", "BACKUP"))
    path = write(tmp_path, MESSY)
    code, _, err = run(str(path))
    assert code == 2
    assert err.startswith(f"kaconf: refusing to reformat '{path}': formatting would change")
    assert path.read_text() == MESSY


def test_a_failed_write_is_one_line_and_exit_two(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: str, text: str, **checks: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kaconf.fileio.write_atomic", full)
    path = write(tmp_path, MESSY)
    code, _, err = run(str(path))
    assert code == 2
    assert err.splitlines()[0] == f"kaconf: cannot write '{path}': No space left on device"


def test_write_atomic_cleans_up_when_the_write_fails(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, MESSY)

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(path, TIDY)
    assert sorted(os.listdir(tmp_path)) == ["keepalived.conf"] and path.read_text() == MESSY


def test_check_over_the_corpora_finds_no_failure() -> None:
    paths = [str(p) for p in sorted((REPO / "corpus").rglob("*.conf"))]
    if REAL.is_dir():
        paths += [str(p) for p in sorted(REAL.glob("*.conf"))]
    code, _, err = run("--check", *paths)
    assert code in (0, 1), err
    assert "kaconf:" not in err
