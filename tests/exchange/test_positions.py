"""Offset resolution under vendor counting schemes, checked against independent arithmetic."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from voicetrace.exchange.positions import CODE_POINTS, CountingScheme, PositionResolver, choose_scheme

_chars = st.sampled_from(["a", "b", " ", "\r\n", "\n", "\r", "😀", "e\u0301", "ü", "𝔘"])


@given(parts=st.lists(_chars, min_size=0, max_size=40), utf16=st.booleans(), crlf_one=st.booleans(), data=st.data())
def test_resolve_inverts_to_raw_on_lf_text(parts: list[str], utf16: bool, crlf_one: bool, data: st.DataObject) -> None:
    raw = "".join(parts)
    r = PositionResolver(raw)
    assert r.text == raw.replace("\r\n", "\n").replace("\r", "\n")
    scheme = CountingScheme(utf16, crlf_one)
    lf_pos = data.draw(st.integers(0, len(r.text)))
    assert r.resolve(r.to_raw(lf_pos, scheme), scheme) == lf_pos


@given(parts=st.lists(_chars, min_size=1, max_size=40), data=st.data())
def test_code_point_positions_over_crlf_text(parts: list[str], data: st.DataObject) -> None:
    """Independent check: strip CRs from the prefix to find the LF position."""
    raw = "".join(parts)
    r = PositionResolver(raw)
    pos = data.draw(st.integers(0, len(raw)))
    prefix = raw[:pos]
    if prefix.endswith("\r") and raw[pos:pos + 1] == "\n":
        prefix = prefix[:-1]  # a cut between CR and LF snaps to the line break
    assert r.resolve(pos, CODE_POINTS) == len(prefix.replace("\r\n", "\n"))


def test_out_of_range_and_split_surrogates_are_rejected() -> None:
    r = PositionResolver("a😀b")
    assert r.resolve(5, CODE_POINTS) is None
    assert r.resolve(-1, CODE_POINTS) is None
    assert r.resolve(2, CountingScheme(utf16=True)) is None  # between the two halves of 😀
    assert r.resolve(3, CountingScheme(utf16=True)) == 2


def test_choose_scheme_prefers_the_standard_on_ties() -> None:
    r = PositionResolver("plain words\r\nonly here")
    assert choose_scheme(r, [(0, 5)], "") == CODE_POINTS
    assert choose_scheme(r, [(0, 5)], "ATLAS.ti 9") == CountingScheme(crlf_as_one=True)
    assert choose_scheme(r, [], "NVivo 12") == CountingScheme(utf16=True)
    assert choose_scheme(PositionResolver("😀 x"), [(3, 4)], "voicetrace 0.1") == CODE_POINTS
