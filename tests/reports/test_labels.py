"""The words a reader sees: quotations nest their own quotation marks."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from voicetrace.reports.labels import quotation


def test_a_quote_opening_with_a_title_keeps_one_pair_of_double_quotes_outside() -> None:
    assert quotation('"Breast Clinic: What to Expect" has been rewritten.') == \
        "‘Breast Clinic: What to Expect’ has been rewritten."
    assert quotation("She said “not a priority” and left.") == "She said ‘not a priority’ and left."
    assert quotation("No quotes   here,\nat all.") == "No quotes here, at all."


def test_a_quote_cut_inside_a_title_is_left_with_its_open_mark() -> None:
    out = quotation('We wrote "A very long leaflet title that goes on" and more', limit=30)
    assert out.endswith("…") and '"' in out  # an unpaired mark is not guessed at


_QUOTES = str.maketrans("", "", '"“”‘’')


@given(st.text(alphabet=st.sampled_from(list('ab "\n')), max_size=80))
def test_straight_quotes_pair_into_single_ones_leaving_at_most_one_unpaired(text: str) -> None:
    out = quotation(text, limit=1000)
    assert out.count('"') == text.count('"') % 2
    assert out.count("‘") == out.count("’") == text.count('"') // 2


@given(st.text(alphabet=st.sampled_from(list('ab "“”\n')), max_size=80))
def test_a_quotation_changes_only_quotation_marks_and_spacing(text: str) -> None:
    out = quotation(text, limit=1000)
    assert out.translate(_QUOTES) == " ".join(text.split()).translate(_QUOTES)
