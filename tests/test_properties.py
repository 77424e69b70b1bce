"""Property tests: any text reads without a Python exception, every span lies inside the text,
and the CLI answers every text with exit code 0, 1 or 2 and no traceback."""
from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaconf import api
from kaconf.api import Document
from kaconf.cli import cli
from kaconf.source import Span

CORPUS = [p.read_text(encoding="utf-8")
          for p in sorted((Path(__file__).parent.parent / "corpus").rglob("*.conf"))]

SYMBOLS = list('{}"#!$@~\n\t \\,()=^\r') + list("abxyz0129_./*-")
FRAGMENTS = [
    "vrrp_instance VI_1", "global_defs", "virtual_server 10.0.0.1 80", "real_server", "state",
    "virtual_ipaddress", "track_script", "notify_master", "TCP_CHECK", "priority", "include ",
    "includem ", "includeb {a,b}", "~SEQ(i, 3) ", "~SEQx(h,", "~LST({A,B},{1,2}) ", "~LST(",
    "$X=", "$X", "${X}", "${_PWD}", "${_RANDOM 1 2}", "$M=a \\\n", "@main ", "@^main ",
    "\\#", "\\\n", "\r\n", '"a b"', "{ ", " }", "\n}\n",
]
TEXT = st.lists(st.one_of(st.sampled_from(SYMBOLS), st.sampled_from(FRAGMENTS),
                          st.characters(codec="utf-8", exclude_characters="\x00")),
                max_size=80).map("".join)
INSERTS = ["{", "}", "{ ", " }", '"', "#", "!", "$X", "${X}", "@main ", "\n", "\\", "~SEQ(i,2) "]


@st.composite
def mutated_corpus(draw: st.DrawFn) -> str:
    """A corpus file with a few deletions, duplications and insertions."""
    text = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 60)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + draw(st.sampled_from(INSERTS)) + text[start:]
    return text


ANY_TEXT = st.one_of(TEXT, mutated_corpus())
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def empty_dir() -> Iterator[Path]:
    """Includes in generated text resolve here, so they cannot reach real files."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def spans_of(doc: Document) -> Iterator[Span]:
    for diag in doc.diagnostics:
        yield diag.span
        yield from (r.span for r in diag.related)
    for node in doc.tree.walk():
        yield node.span
        yield from (a.span for a in node.args)
        yield from (s for s in (node.open_span, node.close_span) if s is not None)


def assert_inside(span: Span, sources: dict[str, str]) -> None:
    assert span.file in sources, span
    lines = sources[span.file].split("\n")
    assert 1 <= span.line <= span.end_line <= len(lines), span
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, span
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, span
    if span.end_line == span.line:
        assert span.column <= span.end_column, span


@SETTINGS
@given(text=ANY_TEXT)
def test_any_text_parses_and_every_span_lies_inside_it(text: str, empty_dir: Path) -> None:
    with contextlib.chdir(empty_dir):
        doc = api.parse_text(text, config_id="main")
    assert doc.sources["<text>"] == text
    for span in spans_of(doc):
        assert_inside(span, doc.sources)


@SETTINGS
@given(text=ANY_TEXT)
def test_cli_lint_exits_0_1_or_2_without_a_traceback(text: str, empty_dir: Path) -> None:
    path = empty_dir / "keepalived.conf"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", str(path)])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
