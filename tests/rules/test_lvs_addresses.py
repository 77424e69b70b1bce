"""ka3xx_lvs.normalise takes an address with no suffix that is IPv4 as written as its own
normal form; every other address goes the general way (suffix dropped, ipaddress)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kaconf.rules.ka3xx_lvs import SUFFIX_OR_IPV6, ip_normal, normalise

_PARTS = st.sampled_from(["0", "1", "01", "10", "192", "255", "256", "999", ".", "/", "-",
                          "24", ":", "::", "fe80", "a", " "])


def _general(text: str) -> str | None:
    head = text.split("/")[0]
    if ":" not in head:
        head = head.split("-")[0]
    return ip_normal(head)


_OCTETS = st.lists(st.sampled_from(["0", "1", "01", "25", "255", "256"]), min_size=3,
                  max_size=5).map(".".join)
_ADDRESSES = st.tuples(_OCTETS, st.sampled_from(["", "/24", "/x", "-9", "-", ":1"])).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PARTS, max_size=9).map("".join) | _ADDRESSES)
def test_normalise_is_the_general_way(text: str) -> None:
    normalise.cache_clear()
    assert normalise(text) == _general(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PARTS, max_size=9).map("".join) | _ADDRESSES
       | st.text(alphabet="0123456789.٣aAfF:/-% \t", max_size=20) | st.text(max_size=12))
def test_an_address_without_a_suffix_or_colon_is_its_own_normal_form(text: str) -> None:
    """KA303 keys a real server whose address has none of SUFFIX_OR_IPV6 by its text, and
    KA304 asks normalise only about one that matches: its normal form is itself, or it is
    none."""
    normalise.cache_clear()
    if not any(c in text for c in SUFFIX_OR_IPV6):
        assert normalise(text) in (text, None)


def test_normalise_examples() -> None:
    assert normalise("192.0.2.1") == "192.0.2.1"
    assert normalise("192.0.2.1/32") == "192.0.2.1"
    assert normalise("192.0.2.1-10") == "192.0.2.1"
    assert normalise("2001:db8::0001") == "2001:db8::1"
    assert normalise("192.0.2.01") is None
