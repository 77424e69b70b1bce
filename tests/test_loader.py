"""The loader: comments, include, @conditionals, $parameters and ~SEQ/~LST, checked on the parsed
tree and on spans that point into the file the user wrote (keepalived-language.md §1, §4-§7).

Behaviour marked "verified" was checked by hand with keepalived 2.2.7 (`keepalived -t -f`).
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaconf import api
from kaconf.api import Document
from kaconf.loader import LoadError, files, load, load_text, reader
from kaconf.loader.lines import MAX_LINE, PLAIN_LINES, decomment, has_line_of, scan_comment
from kaconf.loader.reader import TOP, Feed, Loader
from kaconf.source import MappedLine, Origin, Span
from kaconf.tree import Node

LOADER_CODES = {"KA002", "KA003", "KA004", "KA005", "KA006"}
REPO = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared")) / "corpus" / "real"


def parse(text: str, **kwargs: str) -> Document:
    return api.parse_text(textwrap.dedent(text), **kwargs)


def flat(doc: Document) -> list[tuple[str, list[str]]]:
    """(keyword, argument values) of every node, in document order."""
    return [(n.keyword, [a.value for a in n.args]) for n in doc.tree.walk()]


def node(doc: Document, keyword: str, index: int = 0) -> Node:
    return [n for n in doc.tree.walk() if n.keyword == keyword][index]


def at(span: Span) -> tuple[str, int, int, int]:
    """(file, line, column, end column) of a one-line span."""
    assert span.end_line == span.line, span
    return (span.file, span.line, span.column, span.end_column)


def where(span: Span) -> tuple[int, int, int]:
    return (span.line, span.column, span.end_column)


def found(doc: Document, codes: set[str] = LOADER_CODES) -> list[tuple[str, str, int, int]]:
    """(code, severity, line, column) of the diagnostics with these codes."""
    return [(d.code, d.severity.value, d.span.line, d.span.column)
            for d in doc.diagnostics if d.code in codes]


# -- comments, quotes, line endings (§1, §3) -----------------------------------------------
@pytest.mark.parametrize("line, value", [
    pytest.param("router_id lb1#note", "lb1", id="hash-without-blank"),
    pytest.param("router_id lb1 ! note", "lb1", id="bang"),
    pytest.param('router_id "a b!c#d"', "a b!c#d", id="inside-double-quotes"),
    pytest.param("router_id 'x!y'", "'x", id="single-quotes-do-not-protect"),
])
def test_comment_starts_anywhere_outside_double_quotes(line: str, value: str) -> None:
    doc = parse(f"global_defs {{\n    {line}\n}}\n")
    rid = node(doc, "router_id")
    assert [a.value for a in rid.args] == [value]
    assert where(rid.args[0].span)[:2] == (2, 15)


def test_comment_lines_and_trailing_comments_leave_only_the_config() -> None:
    doc = parse("""\
        # header
        ! another
        global_defs { # opens
            router_id lb1   # the name
        } ! closes
        """)
    assert flat(doc) == [("global_defs", []), ("router_id", ["lb1"])]
    assert where(node(doc, "router_id").span) == (4, 5, 14)


def test_escaped_comment_character_is_unescaped_and_keeps_its_columns() -> None:
    # verified: in global_defs `vrrp_mcast_group4 E\#F` is read as `E#F`
    doc = parse(r"""
        global_defs {
            router_id E\#F\!G
        }
        """)
    arg = node(doc, "router_id").args[0]
    assert arg.value == "E#F!G"
    assert where(arg.span) == (3, 15, 22)   # covers `E\#F\!G` as written


def test_backslash_takes_the_next_character_so_escaped_quote_opens_nothing() -> None:
    # verified: `router_id a\"#b` is read as `router_id a\"` and `E\\#F` as `E\\`
    doc = parse(r"""
        global_defs {
            router_id a\"#b
            vrrp_mcast_group4 E\\#F
        }
        """)
    assert found(doc, {"KA001"}) == [("KA001", "error", 3, 17)]   # the `"` never closes
    assert [a.value for a in node(doc, "router_id").args] == ["a\\"]
    assert [a.value for a in node(doc, "vrrp_mcast_group4").args] == ["E\\\\"]


def test_trailing_backslash_is_glued_to_the_last_word_even_inside_a_comment() -> None:
    # verified: `virtual_router_id 51 # comment \` gives `invalid number '51\'`
    doc = parse(r"""
        vrrp_instance VI_1 {
            virtual_router_id 51 # comment \
            priority 100 \
        }
        """)
    assert [a.value for a in node(doc, "virtual_router_id").args] == ["51\\"]
    assert [a.value for a in node(doc, "priority").args] == ["100\\"]
    assert where(node(doc, "priority").args[0].span) == (4, 14, 19)


def test_crlf_line_endings_are_removed() -> None:
    doc = api.parse_text("global_defs {\r\n    router_id lb1\r\n}\r\n")
    rid = node(doc, "router_id")
    assert [a.value for a in rid.args] == ["lb1"]
    assert at(rid.args[0].span) == ("<text>", 2, 15, 18)
    assert node(doc, "global_defs").close_span is not None


def test_quote_in_the_middle_of_a_word_splits_it_into_three_words() -> None:
    # verified: `state K"L M"N` gives `unknown state 'K'`
    doc = parse('vrrp_instance VI_1 {\n    state K"L M"N\n}\n')
    args = node(doc, "state").args
    assert [a.value for a in args] == ["K", "L M", "N"]
    assert [where(a.span) for a in args] == [(2, 11, 12), (2, 12, 17), (2, 17, 18)]


def test_unterminated_quote_protects_comment_characters_and_loses_the_argument() -> None:
    doc = parse('vrrp_instance VI_1 {\n    state "MASTER # not a comment\n}\n')
    assert node(doc, "state").args == []
    assert found(doc, {"KA001"}) == [("KA001", "error", 2, 11)]


# -- include (§4) ---------------------------------------------------------------------------
def test_include_is_relative_to_the_including_files_directory(write_tree, monkeypatch) -> None:
    root = write_tree({
        "etc/keepalived.conf": "include conf.d/global.conf\n",
        "etc/conf.d/global.conf": "global_defs {\n  include sub/id.conf\n}\n",
        "etc/conf.d/sub/id.conf": "router_id lb1\n",
    })
    monkeypatch.chdir(root)
    doc = api.parse_file("etc/keepalived.conf")
    assert flat(doc) == [("global_defs", []), ("router_id", ["lb1"])]
    assert at(node(doc, "global_defs").span) == ("etc/conf.d/global.conf", 1, 1, 12)
    assert at(node(doc, "router_id").args[0].span) == ("etc/conf.d/sub/id.conf", 1, 11, 14)
    assert found(doc) == []


def test_include_glob_reads_matches_in_sorted_order(write_tree) -> None:
    root = write_tree({
        "main.conf": "vrrp_instance VI_1 {\n    include parts/*.conf\n}\n",
        "parts/20-b.conf": "priority 20\n",
        "parts/10-a.conf": "state BACKUP\n",
        "parts/30-c.conf": "advert_int 3\n",
        "parts/notes.txt": "garbage\n",
    })
    doc = api.parse_file(root / "main.conf")
    assert [k for k, _ in flat(doc)] == ["vrrp_instance", "state", "priority", "advert_int"]
    assert node(doc, "priority").span.file == str(root / "parts/20-b.conf")


def test_include_brace_alternatives_are_read_in_the_order_written(write_tree) -> None:
    # verified: `include {y,x}.conf` reads y.conf, then x.conf
    root = write_tree({
        "main.conf": "global_defs {\n    include {y,x}.conf\n}\n",
        "x.conf": "router_id from_x\n",
        "y.conf": "router_id from_y\n",
    })
    doc = api.parse_file(root / "main.conf")
    values = [n.args[0].value for n in doc.tree.walk() if n.keyword == "router_id"]
    assert values == ["from_y", "from_x"]


def test_include_pattern_is_the_rest_of_the_line_blanks_included(write_tree) -> None:
    # verified: `include sp dir/a b.conf` includes `sp dir/a b.conf`
    root = write_tree({"main.conf": "include sp dir/a b.conf\n",
                       "sp dir/a b.conf": "global_defs {\n}\n"})
    doc = api.parse_file(root / "main.conf")
    assert flat(doc) == [("global_defs", [])]


def test_missing_plain_include_is_a_warning_pointing_at_the_pattern(write_tree) -> None:
    # verified: plain include of a missing file prints `Config files missing` but exit 0
    root = write_tree({"main.conf": "global_defs {\n}\ninclude  nothere.conf\n"})
    doc = api.parse_file(root / "main.conf")
    assert found(doc) == [("KA002", "warning", 3, 10)]
    assert where(doc.diagnostics[0].span) == (3, 10, 22)


@pytest.mark.parametrize("word", ["includem", "includew", "includea"])
def test_missing_file_in_a_strict_include_is_an_error(write_tree, word: str) -> None:
    root = write_tree({"main.conf": f"{word} nothere.conf\n"})
    assert found(api.parse_file(root / "main.conf")) == [("KA002", "error", 1, 10)]


def test_wildcard_in_a_missing_directory_counts_as_missing(write_tree) -> None:
    # verified (shared corpus oracle): `include /etc/rules/*.conf` without /etc/rules prints
    # `Config files missing '/etc/rules/*.conf'.`
    root = write_tree({"a.conf": "include nodir/*.conf\n", "b.conf": "includem nodir/*.conf\n"})
    assert found(api.parse_file(root / "a.conf")) == [("KA002", "warning", 1, 9)]
    assert found(api.parse_file(root / "b.conf")) == [("KA002", "error", 1, 10)]


def test_include_pattern_may_come_from_parameters(write_tree) -> None:
    # verified: `include ${_PWD}/x.conf`, `include $F` and a `$I=include x.conf` line all
    # read x.conf
    root = write_tree({
        "main.conf": "$F=x.conf\n$I=include x.conf\ninclude ${_PWD}/x.conf\ninclude $F\n$I\n",
        "x.conf": "global_defs {\n}\n",
    })
    doc = api.parse_file(root / "main.conf")
    assert flat(doc) == [("global_defs", [])] * 3
    assert found(doc) == []


def test_empty_wildcard_is_silent_unless_includew(write_tree) -> None:
    root = write_tree({"a.conf": "include none/*.conf\n", "b.conf": "includew none/*.conf\n",
                       "none/readme": "x\n"})
    assert found(api.parse_file(root / "a.conf")) == []
    assert found(api.parse_file(root / "b.conf")) == [("KA002", "error", 1, 10)]


def test_brace_alternative_without_a_file_is_an_error_only_for_includeb(write_tree) -> None:
    # verified: both print `Some config files missing`; include exits 0, includeb exits 6
    root = write_tree({"a.conf": "include {x,gone}.conf\n", "b.conf": "includeb {x,gone}.conf\n",
                       "x.conf": "global_defs {\n}\n"})
    assert found(api.parse_file(root / "a.conf")) == [("KA002", "warning", 1, 9)]
    doc = api.parse_file(root / "b.conf")
    assert found(doc) == [("KA002", "error", 1, 10)]
    assert flat(doc) == [("global_defs", [])]


def test_include_cycle_is_reported_and_does_not_hang(write_tree) -> None:
    root = write_tree({"a.conf": "global_defs {\n    include b.conf\n}\n",
                       "b.conf": "router_id b\ninclude a.conf\n",
                       "self.conf": "include self.conf\n"})
    doc = api.parse_file(root / "a.conf")
    assert flat(doc) == [("global_defs", []), ("router_id", ["b"])]
    assert [(c, s, d.span.file) for (c, s, _, _), d in zip(found(doc), doc.diagnostics)] == [
        ("KA003", "error", str(root / "b.conf"))]
    assert found(api.parse_file(root / "self.conf")) == [("KA003", "error", 1, 9)]


def test_directories_and_executable_files_are_skipped(write_tree) -> None:
    # verified: `is a directory - skipping` / `is not a regular non-executable file - skipping`
    root = write_tree({
        "main.conf": "global_defs {\n    include conf.d/*\n}\n",
        "conf.d/10-id.conf": "router_id lb1\n",
        "conf.d/20-dir.conf/inside.conf": "router_id from_dir\n",
        "conf.d/30-exec.conf": "router_id from_exec\n",
    })
    os.chmod(root / "conf.d/30-exec.conf", 0o755)
    doc = api.parse_file(root / "main.conf")
    assert flat(doc) == [("global_defs", []), ("router_id", ["lb1"])]
    assert found(doc) == [("KA004", "warning", 2, 13)]
    assert "20-dir.conf" in doc.diagnostics[0].message
    assert "30-exec.conf" in doc.diagnostics[0].message
    strict = write_tree({"strict.conf": "includer conf.d/*\n"})
    assert {s for _, s, _, _ in found(api.parse_file(strict / "strict.conf"))} == {"error"}


def test_an_included_file_may_open_a_block_that_a_later_file_closes(write_tree) -> None:
    root = write_tree({
        "main.conf": "include conf.d/*.conf\n",
        "conf.d/10-open.conf": "vrrp_instance VI_1 {\n    state MASTER\n",
        "conf.d/20-close.conf": "    priority 100\n}\n",
    })
    doc = api.parse_file(root / "main.conf")
    inst = node(doc, "vrrp_instance")
    assert [c.keyword for c in inst.children] == ["state", "priority"]
    assert at(inst.children[1].span) == (str(root / "conf.d/20-close.conf"), 1, 5, 13)
    assert inst.close_span is not None and inst.close_span.file.endswith("20-close.conf")
    assert found(doc, {"KA001", *LOADER_CODES}) == []


def test_dangling_include_is_unreadable_and_top_level_failure_raises(write_tree) -> None:
    root = write_tree({"main.conf": "include link.conf\n"})
    os.symlink(root / "gone.conf", root / "link.conf")
    assert found(api.parse_file(root / "main.conf")) == [("KA004", "warning", 1, 9)]
    with pytest.raises(LoadError) as err:
        load(root / "absent.conf")
    assert err.value.diagnostic.code == "KA004"


# -- @ conditional lines (§5) ---------------------------------------------------------------
CONDITIONAL = """\
    global_defs {
        @main router_id from_main
        @^main router_id not_main
        @main
        @mainrouter_id glued
        @ router_id empty_id
        @^ router_id empty_negated
        notification_email_from @main
    }
    """


@pytest.mark.parametrize("config_id, expected", [
    pytest.param("main", ["from_main", "empty_negated"], id="matching-id"),
    pytest.param("backup", ["not_main", "empty_negated"], id="other-id"),
])
def test_at_lines_are_kept_for_their_config_id(write_tree, config_id, expected) -> None:
    root = write_tree({"k.conf": CONDITIONAL})
    doc = api.parse_file(root / "k.conf", config_id=config_id)
    assert [n.args[0].value for n in doc.tree.walk() if n.keyword == "router_id"] == expected
    assert [k for k, _ in flat(doc)] == ["global_defs", "router_id", "router_id",
                                        "notification_email_from"]
    assert [a.value for a in node(doc, "notification_email_from").args] == ["@main"]
    kept = node(doc, "router_id")
    assert where(kept.span)[:2] == ((2, 11) if config_id == "main" else (3, 12))


def test_at_line_can_define_and_expand_parameters(write_tree) -> None:
    root = write_tree({"k.conf": r"""
        @main $PRIO=240
        @^main $PRIO=100
        $BODY=state MASTER \
              priority $PRIO
        vrrp_instance VI_1 {
            @main $BODY
        }
        """})
    on_main = load(root / "k.conf", config_id="main")
    assert [x.text for x in on_main.lines] == ["vrrp_instance VI_1 {", "state MASTER",
                                               "priority 240", "}"]
    elsewhere = load(root / "k.conf", config_id="lb2")
    assert [x.text for x in elsewhere.lines] == ["vrrp_instance VI_1 {", "}"]


# -- $ parameters (§6) ----------------------------------------------------------------------
def test_parameters_are_replaced_plain_braced_and_inside_quotes() -> None:
    doc = parse("""\
        $STATE=MASTER
        $IP=192.0.2.1
        vrrp_instance VI_1 {
            state $STATE
            notify_master "/bin/echo $STATE quoted"
            notify_backup pre${STATE}suffix
            virtual_ipaddress {
                ${IP}/24 dev eth0
            }
        }
        """)
    assert [a.value for a in node(doc, "state").args] == ["MASTER"]
    assert [a.value for a in node(doc, "notify_master").args] == ["/bin/echo MASTER quoted"]
    assert [a.value for a in node(doc, "notify_backup").args] == ["preMASTERsuffix"]
    assert node(doc, "192.0.2.1/24").keyword == "192.0.2.1/24"
    # expanded text points into the definition, the rest into the reference's line
    assert at(node(doc, "state").args[0].span) == ("<text>", 1, 8, 14)
    assert where(node(doc, "192.0.2.1/24").span)[:2] == (2, 5)
    assert found(doc) == []


def test_name_followed_by_other_characters_is_not_a_reference() -> None:
    # verified: `$NAMEsuffix` and `$NAME/24` stay literal (`unknown state '$NAME/24'`);
    # `$S2 = X` is no definition (`Unknown keyword '$S2'`)
    doc = parse("""\
        $NAME=x
        global_defs {
            router_id $NAMEsuffix
            router_id $NAME/24
        }
        $S2 = X
        """)
    assert [n.args[0].value for n in doc.tree.walk() if n.keyword == "router_id"] == [
        "$NAMEsuffix", "$NAME/24"]
    assert flat(doc)[-1] == ("$S2", ["=", "X"])


def test_substitution_is_recursive_and_late_bound() -> None:
    # verified: `$A=x${B}y` then `$B=BVAL` gives `xBVALy`; redefinition applies to later lines
    doc = parse("""\
        $A=x${B}y
        $B=BVAL
        global_defs {
            router_id $A
            $B=OTHER
            smtp_helo_name $A
        }
        """)
    assert [a.value for a in node(doc, "router_id").args] == ["xBVALy"]
    assert [a.value for a in node(doc, "smtp_helo_name").args] == ["xOTHERy"]
    assert found(doc) == []


def test_multi_line_definition_ends_at_the_first_line_without_backslash() -> None:
    doc = parse(r"""
        $INSTANCE=vrrp_instance VI_1 { \
            state MASTER \
            priority 150
        $INSTANCE
        }
        """)
    assert flat(doc) == [("vrrp_instance", ["VI_1"]), ("state", ["MASTER"]),
                         ("priority", ["150"])]
    assert at(node(doc, "vrrp_instance").span) == ("<text>", 2, 11, 24)
    assert at(node(doc, "state").span) == ("<text>", 3, 5, 10)
    assert at(node(doc, "vrrp_instance").close_span) == ("<text>", 6, 1, 2)


@pytest.mark.parametrize("separator", [
    pytest.param("", id="empty-line"),
    pytest.param("   # a comment", id="comment-only-line"),
])
def test_empty_or_comment_only_line_ends_a_multi_line_definition(separator: str) -> None:
    # verified: the child processes, which parse vrrp_instance, see `two` as a keyword in both
    # cases (they read the parent's copy, where a comment-only line is empty)
    doc = parse(f"$T=one \\\n{separator}\ntwo\n")
    assert flat(doc) == [("two", [])]


def test_multi_line_parameter_expands_only_where_its_reference_ends_the_line() -> None:
    # verified: `state X$M` expands (the reference ends the line); `state Y${M}Z` does not and
    # its braces then act as block braces
    doc = parse(r"""
        $M=MASTER \
        priority 7
        vrrp_instance VI_1 {
            state X$M
            notify_master "/bin/x $M here"
        }
        """)
    assert [a.value for a in node(doc, "state").args] == ["XMASTER"]
    assert [a.value for a in node(doc, "priority").args] == ["7"]
    assert [a.value for a in node(doc, "notify_master").args] == ["/bin/x $M here"]
    assert found(doc) == [("KA005", "error", 6, 27)]


def test_nested_multi_line_expansion_keeps_the_order_of_lines() -> None:
    # verified: the same nesting with unknown keywords reports K4, K2, K3, K5 in that order
    doc = parse(r"""
        $INNER=priority 10 \
        advert_int 2
        $OUTER=state BACKUP \
        $INNER \
        nopreempt
        vrrp_instance VI_1 {
            $OUTER
        }
        """)
    assert [k for k, _ in flat(doc)] == ["vrrp_instance", "state", "priority", "advert_int",
                                        "nopreempt"]
    assert where(node(doc, "advert_int").span) == (3, 1, 11)


def test_undefined_braced_reference_is_reported_at_the_reference() -> None:
    # verified: `state ${UNDEF}` gives `unknown state '$'`, `Unexpected '{'`, `Unknown keyword
    # 'UNDEF'` and closes the vrrp_instance
    doc = parse("vrrp_instance VI_1 {\n    state ${UNDEF}\n    priority 100\n}\n")
    assert found(doc, {"KA005"}) == [("KA005", "error", 2, 11)]
    assert [where(d.span) for d in doc.diagnostics if d.code == "KA005"] == [(2, 11, 19)]
    assert [a.value for a in node(doc, "state").args] == ["$"]
    assert [k for k, _ in flat(doc)] == ["vrrp_instance", "state", "UNDEF", "priority"]
    assert node(doc, "priority").path == ""     # the `}` of `${UNDEF}` closed the instance


def test_blank_before_closing_brace_leaves_the_brace_behind() -> None:
    # verified: `priority ${X }` with $X=abc reads `priority abc` and the `}` closes the block
    loaded = load_text("$X=abc\npriority ${X }\n")
    assert [x.text for x in loaded.lines] == ["priority abc}"]


def test_builtin_parameters(write_tree) -> None:
    root = write_tree({"etc/k.conf": "global_defs {\n    router_id ${_INSTANCE}\n"
                                     "    smtp_helo_name ${_PWD}\n    lvs_id ${_RANDOM 5 5}\n"
                                     "    notification_email_from \"a${_HASH}b\"\n}\n"})
    doc = api.parse_file(root / "etc/k.conf", config_id="lb7")
    assert [a.value for a in node(doc, "router_id").args] == ["lb7"]
    assert [a.value for a in node(doc, "smtp_helo_name").args] == [str(root / "etc")]
    assert [a.value for a in node(doc, "lvs_id").args] == ["5"]
    assert [a.value for a in node(doc, "notification_email_from").args] == ["a#b"]
    # made-up text maps onto the reference that produced it, never past the line's end
    assert where(node(doc, "smtp_helo_name").args[0].span) == (3, 20, 27)


@pytest.mark.parametrize("definitions, use", [
    pytest.param("$A=$A", "$A", id="plain"),
    pytest.param("$A=${A}${A}", "${A}", id="doubling"),
    pytest.param("$A=x $B\n$B=y $A", "$A", id="mutual"),
    pytest.param("$M=\\\n$M\n$M", "$M", id="multi-line"),
])
def test_self_referencing_parameter_terminates_with_a_diagnostic(definitions, use) -> None:
    doc = api.parse_text(f"{definitions}\n\nglobal_defs {{\n    router_id {use}\n}}\n")
    assert "KA005" in {d.code for d in doc.diagnostics}


# -- ~SEQ and ~LST (§7) ---------------------------------------------------------------------
def values(doc: Document) -> list[str]:
    return [n.keyword for n in doc.tree.walk() if n.kind == "value"]


def vips(spec: str) -> Document:
    return parse(f"vrrp_instance VI_1 {{\n    virtual_ipaddress {{\n        {spec}\n    }}\n}}\n")


@pytest.mark.parametrize("spec, expected", [
    pytest.param("~SEQ(i, 1, 2, 5) 10.0.0.$i", ["1", "3", "5"], id="start-step-end"),
    pytest.param("~SEQ(i, 3) 10.0.0.$i", ["1", "2", "3"], id="end-only"),
    pytest.param("~SEQ(i, 5, 3) 10.0.0.$i", ["5", "4", "3"], id="start-end-downwards"),
    pytest.param("~SEQ(i, -2) 10.0.0.$i", ["-1", "-2"], id="negative-end"),
    pytest.param("~SEQ(i, , 2) 10.0.0.$i", ["0", "1", "2"], id="missing-number-is-0"),
    pytest.param("~SEQ(i, 0x0a, 012) 10.0.0.$i", ["10"], id="hex-and-octal"),
    pytest.param("~SEQx(h, 10, 16, 42) 10.0.0.$h", ["a", "1a", "2a"], id="hex-output"),
    pytest.param("~LST(v, 7, 9) 10.0.0.$v", ["7", "9"], id="list"),
])
def test_sequences_repeat_the_rest_of_the_line(spec: str, expected: list[str]) -> None:
    # verified: `~SEQ(i, , 2) Z$i` gives Z0 Z1 Z2; `~SEQx(H,10,16,42)` gives a 1a 2a
    doc = vips(spec)
    assert values(doc) == [f"10.0.0.{v}" for v in expected]
    assert found(doc) == []


def test_sequence_value_spans_point_at_the_sequence_and_list_values_at_the_value() -> None:
    seq = vips("~SEQ(i, 3) 10.0.0.${i}/24")
    line = [n for n in seq.tree.walk() if n.kind == "value"][1]
    assert (line.span.line, line.span.column) == (3, 20)
    lst = vips("~LST(v, 7, 9) 10.0.0.$v")
    assert where(next(n for n in lst.tree.walk() if n.kind == "value").span)[:2] == (3, 23)


def test_list_with_several_variables_fills_missing_values_with_blanks() -> None:
    # verified: `~LST({A,B}, {1}, {2,3}) W$A.$B` gives `W$A.` and `W$A.3`
    doc = vips("~LST({A,B}, {192.0.2.1,eth0}, {192.0.2.2}) $A dev $B")
    assert flat(doc)[2:] == [("192.0.2.1", ["dev", "eth0"]), ("192.0.2.2", ["dev"])]


def test_sequences_on_one_line_nest_leftmost_outermost() -> None:
    doc = vips("~SEQ(a, 1, 2) ~SEQ(b, 1, 2) 10.${a}.0.$b")
    assert values(doc) == ["10.1.0.1", "10.1.0.2", "10.2.0.1", "10.2.0.2"]


def test_sequence_arguments_may_be_parameters_and_multi_line_values_repeat_whole() -> None:
    # verified: `~SEQ(i, $N) $BODY` with a two-line body reports KB1, KC1, KB2, KC2
    doc = parse(r"""
        $N=2
        $BODY=vrrp_instance VI_$i { \
            virtual_router_id $i \
        }
        ~SEQ(i, $N) $BODY
        """)
    assert flat(doc) == [("vrrp_instance", ["VI_1"]), ("virtual_router_id", ["1"]),
                         ("vrrp_instance", ["VI_2"]), ("virtual_router_id", ["2"])]


@pytest.mark.parametrize("spec", [
    pytest.param("~SEQ(i, 08) x", id="bad-octal"),
    pytest.param("~SEQ(i, 1, 0, 5) x", id="zero-step"),
    pytest.param("~SEQ(i, 5, 1, 1) x", id="wrong-direction"),
    pytest.param("~SEQx(h, -1, 3) x", id="negative-hex"),
    pytest.param("~SEQ i, 3) x", id="missing-open-paren"),
    pytest.param("~SEQ(i, 1, 3 x", id="missing-close-paren"),
    pytest.param("~SEQ(i) x", id="no-numbers"),
    pytest.param("~LST(A) x", id="list-without-values"),
    pytest.param("~LST({A,B}, {1,2,3}) x", id="too-many-values"),
])
def test_invalid_sequence_is_reported_on_its_line(spec: str) -> None:
    # verified: `~SEQ(i, 08) Y$i` gives `Invalid ~SEQ specification`
    doc = parse(f"global_defs {{\n  {spec}\n}}\n")
    assert found(doc) == [("KA006", "error", 2, 3)]
    assert flat(doc) == [("global_defs", [])]


def test_other_tilde_words_are_ordinary_keywords() -> None:
    doc = parse("~SEQUEL x\n~foo bar\n")
    assert found(doc) == [("KA006", "error", 1, 1)]
    assert flat(doc) == [("~foo", ["bar"])]


def test_a_line_keepalived_cannot_read_whole_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    conf = tmp_path / "long.conf"
    conf.write_text("global_defs {\n    router_id " + "A" * 1100 + "\n}\n")
    diags = [d for d in api.parse_file(conf, config_id="").diagnostics if d.code == "KA001"]
    assert [(d.span.line, d.span.column, d.severity.value) for d in diags] == [(2, 1024, "warning")]
    assert "1023" in diags[0].message


# -- the loaded lines and their source map --------------------------------------------------
def test_a_plain_line_is_one_piece_placed_where_its_text_begins() -> None:
    line = load_text("global_defs {\n\t  router_id lb1 \t\n}\n", "a.conf").lines[1]
    assert (line.text, line.file, line.line, line.column, line.more) == (
        "router_id lb1", "a.conf", 2, 4, ())
    assert line.anchor() is line
    assert line.span(10, 13) == Span("a.conf", 2, 14, 2, 17)
    assert line.span(3, 3) == Span("a.conf", 2, 7, 2, 7)
    assert line.origin_at(10) == Origin("a.conf", 2, 14)
    assert (line.starts, line.origins) == ([0], [Origin("a.conf", 2, 4)])


def test_a_line_with_an_escaped_comment_character_is_several_pieces() -> None:
    line = load_text("router_id E\\#F\n", "a.conf").lines[0]
    assert line.text == "router_id E#F" and line.anchor() is None
    assert line.starts == [0, 11]
    assert line.origins == [Origin("a.conf", 1, 1), Origin("a.conf", 1, 13)]
    assert line.span(10, 13) == Span("a.conf", 1, 11, 1, 15)     # `E\\#F` as written
    assert line.span(12, 13) == Span("a.conf", 1, 14, 1, 15)
    assert line.slice(10) == MappedLine("E#F", "a.conf", 1, 11, ((1, Origin("a.conf", 1, 13)),))
    assert line.slice(11) == MappedLine("#F", "a.conf", 1, 13)


def test_an_expanded_parameter_is_a_piece_placed_at_its_definition() -> None:
    line = load_text("$ID=lb1\nrouter_id $ID x\n", "a.conf").lines[0]
    assert line.text == "router_id lb1 x" and line.anchor() is None
    assert line.origins == [Origin("a.conf", 2, 1), Origin("a.conf", 1, 5),
                            Origin("a.conf", 2, 14)]
    assert line.span(0, 9) == Span("a.conf", 2, 1, 2, 10)
    assert line.span(10, 13) == Span("a.conf", 1, 5, 1, 8)        # the value as defined
    assert line.span(14, 15) == Span("a.conf", 2, 15, 2, 16)
    assert line.span(0, 15) == Span("a.conf", 2, 1, 2, 16)
    assert line.span(0, 13) == Span("a.conf", 2, 1, 2, 2)          # ends before it starts


def test_included_lines_are_placed_in_the_included_file(write_tree) -> None:
    root = write_tree({"main.conf": "global_defs {\ninclude sub.conf\n}\n",
                       "sub.conf": "! note\n  router_id lb1\n"})
    lines = load(root / "main.conf", "", root).lines
    assert [line.text for line in lines] == ["global_defs {", "router_id lb1", "}"]
    sub = lines[1]
    assert (sub.file, sub.line, sub.column, sub.anchor()) == (str(root / "sub.conf"), 2, 3, sub)
    assert sub.span(10, 13) == Span(str(root / "sub.conf"), 2, 13, 2, 16)
    assert (lines[2].file, lines[2].line) == (str(root / "main.conf"), 3)


def read_every_line_in_full(text: str) -> tuple[list[MappedLine], list[object]]:
    """The reader without its shortcut for plain lines: every physical line decommented and
    processed, then what it queued."""
    loader = Loader("")
    loader.files.append("<text>")
    feed = Feed()
    for number, raw in enumerate(text.split("\n"), start=1):
        loader.take(decomment(MappedLine(raw.rstrip("\r"), "<text>", number, 1)), TOP, feed)
        while (item := loader.next_queued(feed)) is not None:
            loader.take(*item, feed)
    return loader.out, list(loader.diags)


PIECES = [" ", "\t", "\r", "\v", "\f", "\n", "\r\n", "#", "!", '"', "\\", "$", "@", "~",
          "@x ", "@^x ", "include", "includes", "include_x", "x", "router_id", "{", "}",
          "$A=1", "$M=a \\\n", "$A", "${A}", "$M", "~SEQ(i, 2) $i", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), max_size=8)
       .map("\n".join))
@example("a \\\n# b \\\n#\\\\\n")      # a trailing backslash is glued to the text before it
@example("\r\v\n \r \r\r\n\f\n")    # lines of nothing but white space
@example('a"b\\"c\\d\n')              # quotes and backslashes away from a comment
@example("include\nincludes x\ninclude x\n")    # only the last is an include
def test_plain_lines_read_as_keepalived_reads_every_line(text: str) -> None:
    loaded = load_text(text, config_id="")
    assert (loaded.lines, loaded.diagnostics) == read_every_line_in_full(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), min_size=1,
                max_size=4),
       st.lists(st.integers(0, 3), max_size=16), st.sampled_from([PLAIN_LINES, 1, 2]))
@example(["  a", "a", "\ta "], [0, 1, 2, 0, 1, 2], PLAIN_LINES)   # one text, other columns
# lines remembered outside a definition, then read inside one
@example(["a", "$M=b \\", "# c", ""], [0, 2, 3, 1, 0, 0, 1, 2, 0, 1, 3, 0], PLAIN_LINES)
def test_repeated_lines_read_as_keepalived_reads_every_line(pool: list[str], picks: list[int],
                                                            remembered: int) -> None:
    """A physical line the reader remembers (and one it does not, when it remembers only one
    or two) reads as the reader without its shortcut reads it."""
    text = "\n".join(pool[i % len(pool)] for i in picks)
    with mock.patch.object(reader, "PLAIN_LINES", remembered):
        loaded = load_text(text, config_id="")
    assert (loaded.lines, loaded.diagnostics) == read_every_line_in_full(text)


@pytest.mark.parametrize("remembered", [PLAIN_LINES, 64, 2])
def test_corpus_files_read_as_keepalived_reads_every_line(
        remembered: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every file of the project's corpus and of the shared real corpus, whose lines repeat
    as real files do, reads line by line as the reader without its shortcut reads it."""
    paths = sorted((REPO / "corpus").rglob("*.conf")) + sorted(REAL.glob("*.conf"))
    assert len(paths) > 100
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(reader, "PLAIN_LINES", remembered)
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        loaded = load_text(text, config_id="")
        lines, diagnostics = read_every_line_in_full(text)
        assert loaded.lines == lines, path
        assert loaded.diagnostics == diagnostics, path


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab\n\ré", max_size=40), st.integers(0, 12))
@example("a" * (MAX_LINE - 2) + "\n" + "b" * (MAX_LINE - 1) + "\n", MAX_LINE - 1)
@example("a" * (MAX_LINE - 2) + "\n" + "b" * (MAX_LINE - 2), MAX_LINE - 1)
@example("\n" * 3000 + "é" * (MAX_LINE - 1), MAX_LINE - 1)
def test_has_line_of_answers_as_the_longest_line(text: str, width: int) -> None:
    assert has_line_of(text, width) == (max(map(len, text.split("\n"))) >= width)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=" \t#!\"\\aé", max_size=8), min_size=1, max_size=4))
@example(["  a b  # c ! d  "])
@example(["  a b  ! c # d  "])
@example(["\t", " #", "a"])
def test_decomment_answers_as_reading_every_character(pieces: list[str]) -> None:
    """A line in pieces written at other places (as an expanded parameter is): decomment()
    without a quote or a backslash gives what reading every character gives."""
    line = MappedLine(pieces[0], "a.conf", 1, 1)
    for number, piece in enumerate(pieces[1:], start=2):
        line = line + MappedLine(piece, "a.conf", number, 7)
    assert decomment(line) == scan_comment(line)


@pytest.mark.parametrize("size", [0, 1, 100, (1 << 20) * 2 + 3])
@pytest.mark.parametrize("told", [None, 0, 40])
def test_read_bytes_reads_the_whole_file_whatever_its_size_was_said_to_be(
        size: int, told: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One read of the size fstat gives, then more for a file that grew since (here: one whose
    size fstat gives short), up to the limit."""
    path = tmp_path / "a.conf"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    if told is not None:
        fstat = os.fstat

        def short(fd: int) -> os.stat_result:
            fields = list(fstat(fd))
            fields[6] = min(told, fields[6])    # st_size
            return os.stat_result(fields)
        monkeypatch.setattr(files.os, "fstat", short)
    assert files.read_bytes(str(path), size) == data
    if size > (told or 0):
        with pytest.raises(files.Refused, match="larger than"):
            files.read_bytes(str(path), max(size - 1, told or 0))
