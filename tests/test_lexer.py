"""The line scanner kaconf runs gives exactly what Lark's parser gives over keepalived.lark."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaconf.grammar.lexer import scan_lines
from kaconf.grammar.parser import parse_lines_lark
from kaconf.loader import load_text

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KACONF_SHARED", REPO.parent / "shared")) / "corpus" / "real"
BUILD = REPO / "scripts" / "build_lexer.py"


def logical_lines(text: str) -> list[str]:
    return [line.text for line in load_text(text, "t.conf").lines]


def corpus_files() -> list[Path]:
    files = sorted((REPO / "corpus").rglob("*.conf"))
    if SHARED.is_dir():
        files += sorted(SHARED.glob("*.conf"))
    return files


def test_lexer_table_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_lexer", BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (REPO / "kaconf" / "grammar" / "lexer_table.py").read_text()
    assert module.render() == current, "run: python scripts/build_lexer.py"


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_scanner_agrees_with_lark_on_real_files(path: Path) -> None:
    lines = logical_lines(path.read_bytes().decode("utf-8", "surrogateescape"))
    assert scan_lines(lines) == parse_lines_lark(lines)


ALPHABET = st.sampled_from(list('ab {}"#!\t\x0b\x0c\x1c\xa0\u2028;$@~=') + ["state", "vrrp_instance"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(ALPHABET, max_size=30).map("".join), max_size=12))
def test_scanner_agrees_with_lark_on_any_text(rows: list[str]) -> None:
    lines = logical_lines("\n".join(rows))
    assert scan_lines(lines) == parse_lines_lark(lines)
