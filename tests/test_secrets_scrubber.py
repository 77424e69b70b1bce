"""secrets.scrubber passes over findings none of whose texts holds a secret (one search of
them all joined) only when scrubbing each would change none of them."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kaconf.secrets import scrub, scrubber

_CHARACTERS = st.sampled_from(["a", "b", "1", "_", " ", "'", '"', ":", "-", "\n"])
_VALUES = st.sets(st.text(alphabet=st.sampled_from(["a", "b", "1", "_", ":"]), min_size=1,
                          max_size=7), max_size=4)
_TEXTS = st.lists(st.text(alphabet=_CHARACTERS, max_size=14), max_size=5)


@settings(max_examples=2000, deadline=None)
@given(_VALUES, _TEXTS)
def test_scrubber_is_none_only_when_no_text_changes(values: set[str], texts: list[str]) -> None:
    clean = scrubber(values, texts)
    if clean is None:
        assert all(scrub(t, values) == t for t in texts)
    else:
        assert [clean(t) for t in texts] == [scrub(t, values) for t in texts]


def test_scrubber_examples() -> None:
    assert scrubber({"hunter22"}, ["no secret", "here"]) is None
    assert scrubber({"ab"}, ["x ab", "y"]) is not None
    assert scrubber({"ab"}, ["xab", "aby"]) is None
    assert scrubber({"a"}, ["'b'"]) is not None      # one character: never searched
