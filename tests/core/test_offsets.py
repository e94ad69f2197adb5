from hypothesis import given
from hypothesis import strategies as st

from voicetrace.core.offsets import Utf16Map


@given(st.text(max_size=80), st.data())
def test_utf16_roundtrip(text: str, data: st.DataObject) -> None:
    m = Utf16Map(text)
    cp = data.draw(st.integers(0, len(text)))
    u = m.to_utf16(cp)
    assert u == len(text[:cp].encode("utf-16-le")) // 2
    assert m.to_codepoint(u) == cp
    assert m.utf16_length == len(text.encode("utf-16-le")) // 2


def test_offset_inside_surrogate_pair_snaps_to_character_start() -> None:
    m = Utf16Map("a🙂b")
    assert m.to_utf16(2) == 3
    assert m.to_codepoint(2) == 1
