"""A Code's identity is checked with string tests, not patterns compiled at start-up:
diagnostics.is_code and is_name answer as the patterns KA\\d{3} and
[a-z][a-z0-9]*(-[a-z0-9]+)* do."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kaconf.diagnostics import is_code, is_name

_PIECES = st.sampled_from(["KA", "ka", "K", "A", "0", "1", "9", "٣", "²", "a", "z", "b2",
                           "-", "--", "_", "A", "é", " ", "x-y", "\n", ""])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=6).map("".join))
def test_is_code_and_is_name_are_the_patterns(text: str) -> None:
    assert is_code(text) == (re.fullmatch(r"KA\d{3}", text) is not None)
    assert is_name(text) == (re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", text) is not None)


def test_known_answers() -> None:
    assert is_code("KA201") and not is_code("KA2011") and is_code("KA٣٣٣")
    assert is_name("duplicate-vrid") and is_name("a-1") and not is_name("a--b")
    assert not is_name("-a") and not is_name("a-") and not is_name("1a") and not is_name("")
