"""What rules read from a block's `written` keywords instead of its children: over the
corpus and the rule cases, `written` agrees with the syntax nodes it stands for."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kaconf.model import Checker, Config, RealServer
from kaconf.parse import parse_file
from kaconf.rules.ka4xx_scripts import any_script_keyword, real_server_scripts

CASES = Path(__file__).parent / "cases"
CORPUS = Path(__file__).parents[2] / "corpus"


def _checkers_of(config: Config) -> Iterator[tuple[RealServer, Checker]]:
    for vs in config.virtual_servers:
        for rs in vs.real_servers:
            yield from ((rs, chk) for chk in rs.checkers)


def test_a_checker_is_written_in_its_real_servers_block() -> None:
    """KA205 passes over a real server whose block wrote no FILE_CHECK, and the script walk
    over one that wrote neither a script keyword nor a MISC_CHECK: over the corpus and the
    rule cases, a checker's keyword is among what its real server wrote."""
    paths = sorted(CASES.glob("*/*.conf")) + sorted(CORPUS.rglob("*.conf"))
    seen = set()
    for path in paths:
        for rs, chk in _checkers_of(parse_file(path).config):
            assert chk.type in rs.written, (path, rs.span)
            seen.add(chk.type)
    assert {"FILE_CHECK", "MISC_CHECK", "TCP_CHECK"} <= seen
    assert real_server_scripts() - any_script_keyword() == {"MISC_CHECK"}


def test_a_block_wrote_the_keywords_of_its_node() -> None:
    """KA305 reads whether a virtual_server wrote a real_server from its `written`: over the
    corpus and the rule cases, a block's `written` holds every keyword its node indexes."""
    paths = sorted(CASES.glob("*/*.conf")) + sorted(CORPUS.rglob("*.conf"))
    for path in paths:
        for vs in parse_file(path).config.virtual_servers:
            assert vs.node is not None
            assert ("real_server" in vs.written) == ("real_server" in vs.node.index()), path
