from hypothesis import given
from hypothesis import strategies as st

from voicetrace.core.segments import paragraph_spans

texty = st.text(alphabet=st.sampled_from(list("ab c\n\r\t🙂é\u0301\ufeff.")), max_size=200)


@given(texty)
def test_paragraph_spans_are_exact_trimmed_and_ordered(text: str) -> None:
    spans = paragraph_spans(text)
    last = 0
    for s in spans:
        assert last <= s.start < s.end <= len(text)
        piece = text[s.start:s.end]
        assert piece and not piece[0].isspace() and not piece[-1].isspace()
        last = s.end


@given(texty)
def test_paragraph_spans_cover_every_non_space_character(text: str) -> None:
    covered = set()
    for s in paragraph_spans(text):
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_blank_lines_split_paragraphs_single_newlines_do_not() -> None:
    text = "One\nstill one\r\n\r\nTwo 🙂\n \nThree"
    assert [text[s.start:s.end] for s in paragraph_spans(text)] == ["One\nstill one", "Two 🙂", "Three"]
