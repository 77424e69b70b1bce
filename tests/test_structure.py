"""Block structure as keepalived's process_stream() builds it (keepalived-language.md §2)."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest

from kaconf.api import parse_text
from kaconf.checks import NAMED_BLOCKS, check_cut_values, check_keywords
from kaconf.diagnostics import Diagnostic
from kaconf.grammar import structure
from kaconf.grammar.structure import Memo, StructureBuilder
from kaconf.keywords import DEFAULT_TARGET, parse_version, table
from kaconf.loader import load_text
from kaconf.node_checks import SECRETS
from kaconf.parse import parse_file
from kaconf.secrets import is_secret_keyword, secret_values
from kaconf.source import Span
from kaconf.tree import BLOCK, UNKNOWN, VALUE, VALUES, Node

REPO = Path(__file__).resolve().parent.parent


def codes(text: str) -> list[tuple[int, str]]:
    return [(d.span.line, d.code) for d in parse_text(dedent(text)).diagnostics]


def shape(node: Node) -> list[object]:
    """keyword, args and nesting, without spans."""
    out: list[object] = []
    for child in node.children:
        item: list[object] = [child.keyword, *[a.value for a in child.args]]
        if child.is_block:
            item.append(shape(child))
        out.append(item)
    return out


def test_braces_need_no_blanks_and_one_line_blocks_work() -> None:
    doc = parse_text(dedent("""\
        vrrp_instance VI_1
        {
            state MASTER }
        vrrp_instance VI_2{ state BACKUP
            interface eth0 } vrrp_instance VI_3 { state BACKUP
          virtual_ipaddress { 192.0.2.103/24 } interface eth0 }
        """))
    assert shape(doc.tree) == [
        ["vrrp_instance", "VI_1", [["state", "MASTER"]]],
        ["vrrp_instance", "VI_2", [["state", "BACKUP"], ["interface", "eth0"]]],
        ["vrrp_instance", "VI_3", [["state", "BACKUP"],
                                   ["virtual_ipaddress", [["192.0.2.103/24"]]],
                                   ["interface", "eth0"]]],
    ]


def test_value_block_lines_are_values_not_keywords() -> None:
    doc = parse_text("vrrp_instance V {\n virtual_ipaddress {\n 10.0.0.1/24 dev eth0\n }\n}\n")
    vips = doc.tree.children[0].children[0]
    assert vips.kind == VALUES
    assert vips.children[0].kind == VALUE
    assert [a.value for a in vips.children[0].args] == ["dev", "eth0"]


def test_brace_after_keyword_without_block_closes_the_enclosing_block_early() -> None:
    doc = parse_text(dedent("""\
        virtual_server 10.0.0.1 80 {
            real_server 10.0.0.2 80 {
                SMTP_CHEKC {}
                TCP_CHECK {
                    connect_timeout 3
                }
            }
        }
        """))
    vs = doc.tree.children[0]
    rs = vs.children[0]
    assert rs.close_span is not None and rs.close_span.line == 3
    assert [c.keyword for c in vs.children] == ["real_server", "TCP_CHECK", "connect_timeout"]
    # TCP_CHECK is read in virtual_server (where it is foreign), its '{' is ignored, and the
    # '}' meant for TCP_CHECK closes virtual_server: the last two '}' are extra
    assert [(d.span.line, d.code) for d in doc.diagnostics] == [
        (3, "KA101"), (3, "KA001"), (4, "KA102"), (4, "KA001"), (7, "KA001"), (8, "KA001")]


def test_unknown_keyword_suggests_the_close_one() -> None:
    doc = parse_text("vrrp_instance V {\n    virtual_router_idd 5\n}\n")
    (d,) = [d for d in doc.diagnostics if d.code == "KA101"]
    assert "did you mean 'virtual_router_id'" in d.message
    assert (d.span.line, d.span.column, d.span.end_column) == (2, 5, 23)


def test_missing_open_brace_is_reported_with_what_other_processes_see() -> None:
    found = codes("""\
        virtual_server 10.0.0.1 80
            delay_loop 3
            real_server 10.0.0.2 80 {
                weight 1
            }
        }
        """)
    assert (1, "KA001") in found
    # the VRRP process reads the body at the top level: every line is foreign there
    assert {(2, "KA102"), (3, "KA102"), (4, "KA102"), (6, "KA001")} <= set(found)


def test_extra_and_missing_closing_braces() -> None:
    assert codes("global_defs {\n router_id a\n}\n}\n") == [(4, "KA001")]
    assert codes("global_defs {\n router_id a\n") == [(1, "KA001")]


def test_value_blocks_end_at_the_first_closing_brace() -> None:
    doc = parse_text("vrrp_instance V {\n track_script {\n a { b }\n }\n}\n")
    inst = doc.tree.children[0]
    ts = inst.children[0]
    assert ts.close_span is not None and ts.close_span.line == 3
    assert any(d.code == "KA001" and d.span.line == 3 for d in doc.diagnostics)


def test_duplicate_instance_is_skipped_whole_like_keepalived() -> None:
    doc = parse_text(dedent("""\
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 1
        }
        vrrp_instance VI_1 {
            bogus_keyword 1
            SMTP_CHEKC { }
        }
        global_defs {
        }
        """))
    second = doc.tree.children[1]
    assert second.skipped
    assert doc.tree.children[2].keyword == "global_defs"
    assert [(d.span.line, d.code) for d in doc.diagnostics] == [(5, "KA109")]


def test_removed_and_misplaced_keywords_have_their_own_codes() -> None:
    found = codes("""\
        global_defs {
            lvs_id LVS1
            net_namespace blue
        }
        virtual_server 10.0.0.1 80 {
            nat_mask 255.255.255.0
            real_server 10.0.0.2 80 {
                TCP_CHECK {
                    nb_get_retry 3
                }
            }
        }
        """)
    assert found == [(2, "KA103"), (3, "KA102"), (6, "KA103"), (9, "KA103")]


def test_keywords_newer_than_the_target_are_unknown_to_it() -> None:
    text = "global_defs {\n json_version 2\n}\n"
    assert [d.code for d in parse_text(text).diagnostics] == ["KA101"]
    assert parse_text(text, target="2.4.3").diagnostics == []


@pytest.mark.parametrize("text, words", [
    pytest.param('state K"L M"N', ["K", "L M", "N"], id="quote-mid-word"),
    pytest.param('state "A{B}C"', ["A{B}C"], id="braces-inside-quotes"),
    pytest.param("priority 100#nospace", ["100"], id="comment-glued"),
    pytest.param('auth_pass "a b!c#d"', ["a b!c#d"], id="comment-chars-in-quotes"),
    pytest.param("auth_pass ab!cdef", ["ab"], id="bang-starts-comment"),
])
def test_words_are_split_like_keepalived(text: str, words: list[str]) -> None:
    doc = parse_text(f"vrrp_instance V {{\n{text}\n}}\n")
    node = doc.tree.children[0].children[0]
    assert [a.value for a in node.args] == words


def test_unterminated_quote_drops_the_word() -> None:
    doc = parse_text('vrrp_instance V {\n state "MASTER\n}\n')
    state = doc.tree.children[0].children[0]
    assert state.args == []
    found = [(d.span.line, d.code) for d in doc.diagnostics]
    assert (2, "KA001") in found and (2, "KA105") in found   # keepalived: missing parameter


def test_every_line_is_kept_in_the_tree() -> None:
    doc = parse_text("vrrp_instance V {\n  weird_thing 1 2\n  state BACKUP\n}\n")
    inst = doc.tree.children[0]
    assert inst.kind == BLOCK
    assert [(c.keyword, c.kind) for c in inst.children] == [("weird_thing", UNKNOWN),
                                                             ("state", "statement")]


def test_a_keyword_of_the_enclosing_block_points_at_the_missing_brace() -> None:
    doc = parse_text(dedent("""\
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            authentication {
                auth_type PASS
            virtual_ipaddress {
                192.0.2.14/24
            }
        }
        """))
    (first,) = [d for d in doc.diagnostics if d.code == "KA102"]
    assert first.span.line == 6
    assert "is a '}' missing above it? 'authentication' (line 4) is still open" in first.message


def test_a_stray_brace_names_the_brace_that_balances_it_however_far() -> None:
    doc = parse_text(dedent("""\
        vrrp_instance VI_1 {
            state MASTER {
                a 1
                b {
                }
            }
            interface eth0
        }
        global_defs {
            router_id x {
        """))
    strays = [d.message for d in doc.diagnostics if "ignores this" in d.message]
    assert strays == [
        "keepalived ignores this '{' because 'state' takes no block; the '}' on line 6 then "
        "closes 'vrrp_instance' (line 1)",
        "keepalived ignores this '{' because 'b' is not a keyword here; the '}' on line 5 then "
        "closes 'vrrp_instance' (line 1)",
        "keepalived ignores this '{' because 'router_id' takes no block"]


def test_a_repeated_line_has_its_findings_at_its_own_place() -> None:
    doc = parse_text("virtual_server 10.0.0.1 80 {\n  lb_kind DR\n}\n"
                     "virtual_server 10.0.0.2 80 {\n  lb_kind DR\n}\n"
                     "virtual_server 10.0.0.3 80 {\n    lb_kind DR\n}\n")
    found = [d for d in doc.diagnostics if d.code == "KA104"]
    assert [(d.span.line, d.span.column, d.span.end_column) for d in found] == [
        (2, 3, 10), (5, 3, 10), (8, 5, 12)]
    assert [d.fix.span if d.fix else None for d in found] == [d.span for d in found]
    assert len({d.message for d in found}) == 1


def test_a_file_read_after_another_gets_its_own_places() -> None:
    """The builders of one process share what holds for every file (Memo): a line the first
    file taught them gets its findings at the second file's places."""
    text = ("virtual_server 10.0.0.1 80 {\n  lb_kind DR\n  delay_loop x\n"
            "  real_server 10.0.0.2 80 {\n  }\n}\nvrrp_instance V {\n  priority 300\n}\n")
    first = parse_text(text, "first.conf").diagnostics
    second = parse_text("\n\n" + text, "second.conf").diagnostics
    assert {d.code for d in first} >= {"KA104", "KA106", "KA107"}
    assert [(d.span.file, d.span.line, d.span.column, d.span.end_column, d.message)
            for d in second] == [("second.conf", d.span.line + 2, d.span.column,
                                  d.span.end_column, d.message) for d in first]
    assert [d.fix.span if d.fix else None for d in second] == [
        d.span if d.fix else None for d in second]


PIECES = """\
$ADDR=10.0.0.300
$RS= \\
    real_server 10.0.0.2 80 { \\
        weight x \\
        lb_kind DR \\
    }
virtual_server 10.0.0.1 80 {
    lb_kind DR
    lb_kind DR
    real_server $ADDR 80 {
        weight x
        lb_kind DR
    }
    $RS
    $RS
}
vrrp_instance VI_1 {
    authentication {
        auth_pass ab!cdef
        auth_pass ab!cdef
    }
    virtual_ipaddress {
        $ADDR
        10.0.0.300
    }
}
vrrp_instance VI_1 {
}
"""


def structure_cases() -> list[tuple[str, str]]:
    files = sorted((REPO / "corpus").rglob("*.conf"))
    return [(p.name, p.read_bytes().decode("utf-8", "surrogateescape")) for p in files] + [
        ("pieces", PIECES)]


@pytest.mark.parametrize(("name", "text"), structure_cases(), ids=lambda v: v[:40])
def test_keyword_findings_made_while_building_are_those_of_the_finished_tree(
        name: str, text: str) -> None:
    """The builder checks each node as it makes it (a line that comes again reuses what was
    found on it); a walk over the finished tree gives the same findings in the same order. The
    keyword index it keeps for each block is the one Node.index() makes."""
    loaded = load_text(text, name)
    builder = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET,
                               loaded.sources)
    root = builder.build(loaded.lines, Node("", Span(name, 1, 1, 1, 1), [], BLOCK, ""))
    assert builder.checks.out == check_keywords(root, table())
    assert builder.checks.cut == check_cut_values(root, loaded.sources)
    for node in [root, *root.walk()]:   # the keyword index the builder keeps is Node.index()'s
        # the build loop sets the fields of the nodes and words it makes itself: all of them
        assert replace(node) == node and all(replace(word) == word for word in node.args)
        kept = node._index
        node._index = None
        assert kept is None or list(kept.items()) == list(node.index().items())


REPEATS = """\
virtual_server 10.0.0.1 80 {
    lb_kind DR
    lb_kind DR
    delay_loop 6
    delay_loop 6
    real_server 10.0.0.2 80 {
        weight 300
        weight 300
    }
}
vrrp_script chk {
    weight 300
    weight 300
}
vrrp_instance VI_1 {
    priority 100
    priority 100
    priority 300
    priority 300
    authentication {
        auth_pass ab!cdef
        auth_pass ab!cdef
    }
    notify_master /bin/x#y
    notify_master /bin/x#y
}
vrrp_instance VI_1 {
}
"""


def test_lines_known_to_need_no_check_get_the_findings_of_a_full_check() -> None:
    """A statement line its row knows to need no check is not checked again (the builder's
    fast path): a first file teaches the memo, a second and a third are read with it, and each
    gets what a walk of its finished tree finds. The same text is clean in one block and out
    of range in another; a value cut by a comment and a name defined twice come again."""
    memo = Memo()
    for name in ("first.conf", "second.conf", "third.conf"):
        loaded = load_text(REPEATS, name)
        builder = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET,
                                   loaded.sources, memo)
        root = builder.build(loaded.lines, Node("", Span(name, 1, 1, 1, 1), [], BLOCK, ""))
        assert builder.checks.out == check_keywords(root, table())
        assert builder.checks.cut == check_cut_values(root, loaded.sources)
        assert {d.code for d in builder.checks.out} >= {"KA104", "KA107", "KA108", "KA109"}
        assert len(builder.checks.cut) == 4
    quiet = {text for lines in memo.quiet.values() for text in lines}
    assert quiet == {"delay_loop 6", "weight 300", "priority 100"}
    # KeywordChecks.statement leaves the name check out: every name it checks is a block's
    assert all(spec is not None and spec.kind != "statement"
               for spec in (table().lookup("", keyword) for keyword in NAMED_BLOCKS))


SECRET_PLACES = """\
vrrp_instance VI_1 {
    authentication {
        auth_type PASS
        auth_pass shortpw
        auth_pass "a long quoted secret"
    }
    auth_pass misplaced-secret
    virtual_ipaddress {
        auth_pass value-line-secret
    }
}
vrrp_instance VI_1 {
    authentication { auth_pass skipped-secret }
}
autth_pass typo-secret
"auth_pass" quoted-keyword-secret
unknown_block {
    password in-unknown-block
}
"""


def secret_cases() -> list[Path]:
    real = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared")) / "corpus" / "real"
    assert (real / "MANIFEST.tsv").exists(), f"shared corpus not found at {real}"
    return sorted(p for root in (REPO / "corpus", real) for p in root.rglob("*.conf")
                  if p.is_file())


def test_secret_values_collected_while_building_are_those_of_a_walk(tmp_path: Path) -> None:
    """The builder collects the secret values of the nodes as it makes them and the document
    takes them from it; a walk of the finished tree (the path of a tree made otherwise)
    finds the same, on the project and real corpora and on secrets in every kind of node."""
    piece = tmp_path / "secrets.conf"
    piece.write_text(SECRET_PLACES)
    found = parse_file(piece).secret_values
    assert found >= {"shortpw", "a long quoted secret", "a long q", "misplaced-secret",
                     "value-line-secret", "skipped-secret", "typo-secret",
                     "quoted-keyword-secret", "in-unknown-block"}
    for path in [piece, *secret_cases()]:
        doc = parse_file(path)
        assert "secret_values" in doc.__dict__, path     # set by parse_loaded
        assert doc.secret_values == frozenset(secret_values(doc.tree)), path


def test_no_quiet_line_names_a_secret() -> None:
    """A quiet line (placed without a check) never names a secret, so the builder need not
    collect values there: KeywordChecks.statement refuses node_checks.SECRETS, which holds
    every keyword of the table that kaconf.secrets.is_secret_keyword names a secret."""
    keywords = {row.keyword for rows in table().by_block.values() for row in rows.values()}
    assert len(keywords) > 300
    assert {k for k in keywords if is_secret_keyword(k)} <= SECRETS
    memo = Memo()
    text = "vrrp_instance A {\n    authentication {\n        auth_pass same\n    }\n}\n"
    loaded = load_text(text * 3, "quiet.conf")
    builder = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET,
                               loaded.sources, memo)
    builder.build(loaded.lines, Node("", Span("q", 1, 1, 1, 1), [], BLOCK, ""))
    assert builder.secrets == {"same"}
    assert not any(memo.quiet.values())


SERVER_ADDRESSES = ("10.0.0.1", "10.0.0.300", "10.0.0.1/24", "10.0.0.1-9", "010.0.0.1",
                    "2001:db8::1", "2001:db8::1/64", "fe80::1-5", "fwmark", "group", "host",
                    "1.2.3", "$ADDR", "::ffff:10.0.0.1")


def test_server_blocks_are_skipped_as_the_general_skip_reason_says() -> None:
    """The builder tests a server's address once for its skip reason and its header check;
    each node gets what skip_reason says, and the findings of a walk of the finished tree."""
    text = "".join(f"virtual_server {a} 80 {{\n    real_server {a} 80 {{\n    }}\n"
                   f"    real_server {a} {{\n    }}\n}}\n" for a in SERVER_ADDRESSES)
    loaded = load_text(text, "servers.conf")
    builder = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET,
                               loaded.sources, Memo())
    root = builder.build(loaded.lines, Node("", Span("s", 1, 1, 1, 1), [], BLOCK, ""))
    assert builder.checks.out == check_keywords(root, table())
    general = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET)
    servers = [n for n in root.walk()   # those of a skipped virtual_server are lines
               if n.keyword in ("virtual_server", "real_server") and n.kind == BLOCK]
    assert len(servers) > 2 * len(SERVER_ADDRESSES)
    assert [n.skipped for n in servers] == [general.skip_reason(n.keyword, n.args)
                                            for n in servers]
    assert {n.skipped for n in servers} == {"", "its address is not an IP address"}


@pytest.mark.parametrize(("name", "text"), structure_cases(), ids=lambda v: v[:40])
def test_lines_placed_in_the_build_loop_make_the_tree_the_scanner_makes(
        name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """build() places a plain line itself (a statement in an open block without `words`);
    sending every line through scanned_line instead gives equal trees (every field, spans
    and words included), the same findings and the same secret values."""
    loaded = load_text(text, name)

    def built() -> tuple[Node, list[Diagnostic], set[str]]:
        builder = StructureBuilder(table(), parse_version(DEFAULT_TARGET), DEFAULT_TARGET,
                                   loaded.sources, Memo())
        root = builder.build(loaded.lines, Node("", Span(name, 1, 1, 1, 1), [], BLOCK, ""))
        checks = builder.checks
        return (root, builder.quote_diags + builder.diags + checks.out + checks.cut,
                builder.secrets)

    fast = built()
    monkeypatch.setattr(structure, "plain_layout", lambda text: None)
    assert built() == fast
