"""Shortcuts of the lint engine against the slow way they stand for."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kaconf.lint
from kaconf.diagnostics import Severity
from kaconf.lint import may_hold_suppressions
from kaconf.suppress import find_suppressions

_PIECES = st.sampled_from(["#", "!", "\n", " ", '"', "\\", "x", "kaconf:", "kaconf", ":",
                           " disable=KA201", "disable-file=all", "=", "KA1O1", ",", "\t"])


_LINES = st.sampled_from(["# x", "! y", "a 1", "a 1  # kaconf: disable=KA201", "# kaconf",
                          "! kaconf: disable-file=all", '"#" kaconf: disable=KA201', "a kaconf:"])
_TEXTS = st.lists(_PIECES, max_size=30).map("".join) | st.lists(_LINES, max_size=12).map("\n".join)


@settings(max_examples=1000, deadline=None)
@given(_TEXTS, st.integers(min_value=1, max_value=3))
def test_a_text_with_a_suppression_may_hold_one(text: str, few: int) -> None:
    """apply_suppressions passes over a file only when may_hold_suppressions says it holds
    none: every text in which find_suppressions finds a suppression or an unknown code gets
    True, with few comment signs looked at one by one or many."""
    sups, unknown = find_suppressions("f.conf", text)
    for limit in (few, kaconf.lint.FEW_COMMENTS):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(kaconf.lint, "FEW_COMMENTS", limit)
            if sups or unknown:
                assert may_hold_suppressions(text)
            if "kaconf:" not in text:
                assert not may_hold_suppressions(text)


def test_may_hold_suppressions_examples() -> None:
    assert may_hold_suppressions("a 1  # kaconf: disable=KA201")
    assert may_hold_suppressions("! kaconf: disable=KA201\na 1")
    assert not may_hold_suppressions("! generated\na kaconf: 1\n# kaconf\n")
    # past FEW_COMMENTS signs the whole text is searched
    assert may_hold_suppressions("#\n" * 40 + "a 1  # kaconf: disable=KA201")


def test_severities_rank_errors_first() -> None:
    """Severity.rank (read through _value_) orders errors, warnings, infos as the values."""
    assert [(s.value, s.rank) for s in Severity] == [("error", 3), ("warning", 2), ("info", 1)]
