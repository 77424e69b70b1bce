"""Lines of a big text without holding them all: kaconf.source.lines_of and
Report.source_line (kaconf.document.LineIndex) give exactly what str.split("\\n") gives."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kaconf.document
import kaconf.source
from kaconf.document import Report
from kaconf.source import lines_of

TEXTS = st.text(alphabet=st.sampled_from("ab\n\r \t"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(min_value=1, max_value=8))
def test_lines_of_is_split(text: str, chunk: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaconf.source, "CHUNK", chunk)   # many chunk boundaries in a short text
        assert list(lines_of(text)) == text.split("\n")


def test_lines_of_a_big_text() -> None:
    text = "".join(f"line {i}\n" for i in range(30_000))
    assert list(lines_of(text)) == text.split("\n")


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(min_value=1, max_value=8))
def test_source_line_is_the_split_line(text: str, step: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaconf.document, "STEP", step)   # many pieces in a short text
        report = Report(sources={"f.conf": text})
        lines = text.split("\n")
        for number in range(-1, len(lines) + 2):
            expected = lines[number - 1] if 1 <= number <= len(lines) else None
            assert report.source_line("f.conf", number) == expected
        assert report.source_line("other.conf", 1) is None


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(min_value=1, max_value=8),
       st.lists(st.integers(min_value=-1, max_value=25), max_size=30))
def test_source_line_in_any_order(text: str, step: int, asked: list[int]) -> None:
    """Lines asked for in any order, again, past the end and back (the index grows as far as
    the lines asked for, and keeps the last piece split)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaconf.document, "STEP", step)
        report = Report(sources={"f.conf": text})
        lines = text.split("\n")
        for number in asked:
            expected = lines[number - 1] if 1 <= number <= len(lines) else None
            assert report.source_line("f.conf", number) == expected


def test_source_line_of_a_big_text() -> None:
    text = "".join(f"line {i}{' ' * (i % 3000)}\n" for i in range(3_000)) + "last"
    lines = text.split("\n")
    report = Report(sources={"f.conf": text})
    assert [report.source_line("f.conf", n) for n in range(1, len(lines) + 1)] == lines
    assert report.source_line("f.conf", len(lines) + 1) is None
