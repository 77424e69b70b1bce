"""secrets.without_noise takes an ASCII word through the ASCII part of the noise pattern
(the whole pattern is compiled on first use): it drops what the whole pattern drops."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kaconf.secrets import _noise, without_noise

_CHARACTERS = st.characters(codec="utf-8") | st.sampled_from(
    "\x00\t\x1f\x7f\x80\x9f\xa0#!'\"`-_aZ9 \u061c\u200b\u202e\u2066\ufeff\udcff")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_CHARACTERS, max_size=12))
def test_without_noise_is_the_whole_pattern(word: str) -> None:
    assert without_noise(word) == _noise().sub("", word)


def test_every_ascii_character() -> None:
    for code in range(128):
        word = f"a{chr(code)}b"
        assert without_noise(word) == _noise().sub("", word)
