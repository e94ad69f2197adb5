"""The span invariant every reader promises, checked on arbitrary text."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetrace.core.errors import InputError
from voicetrace.core.sources import ParsedSource, SourceType
from voicetrace.ingest import read_bytes
from voicetrace.ingest.blocks import from_blocks
from voicetrace.ingest.transcripts import Utterance, render

PIECES = st.sampled_from([
    "Ann: ", "Mary (service user): ", "[00:12:05] ", "00:01:02 ", "INT: ", "**Bob:** ", "# ", "\r\n", "\r",
    "\n", "\n\n", " ", "\t", "\ufeff", "😀", "e\u0301", "\u0301", "£", "“quoted”", "word", "Words here.",
    "\u2028", "\x85", "\u00a0", ":", "-", "\x0c",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def check(parsed: ParsedSource) -> None:
    text = parsed.text
    spans = [s for s, _ in parsed.segment_spans()]
    assert spans
    previous_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end
        previous_end = span.end
        piece = text[span.start:span.end]
        assert piece and not piece[0].isspace() and not piece[-1].isspace()
    if parsed.type is SourceType.TRANSCRIPT:
        assert parsed.turns and all(t.speaker.strip() for t in parsed.turns)
    assert "\r" not in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.booleans(), st.sampled_from(["x.txt", "x.md"]))
def test_plain_text_spans(raw: str, bom: bool, name: str) -> None:
    data = (("\ufeff" if bom else "") + raw).encode("utf-8", "surrogatepass")
    try:
        parsed = read_bytes(name, data)
    except InputError:
        return
    check(parsed)
    expected = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not bom:  # exactly one leading BOM is dropped
        expected = expected.removeprefix("\ufeff")
    assert parsed.text == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=12))
def test_assembled_blocks_spans(blocks: list[str]) -> None:
    parsed = from_blocks(blocks)
    if parsed.segment_spans():
        check(parsed)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ann", "Bob (carer)", " P3 "]), TEXT), max_size=10))
def test_rendered_turns_quote_words(items: list[tuple[str, str]]) -> None:
    parsed = render([Utterance(s, w) for s, w in items])
    expected = [w.replace("\r\n", "\n").replace("\r", "\n").strip() for s, w in items]
    expected = [w for w, (s, _) in zip(expected, items) if w and s.strip()]
    assert [parsed.text[t.span.start:t.span.end] for t in parsed.turns] == expected
    if parsed.turns:
        check(parsed)


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_vtt_and_html_never_crash(payloads: list[str]) -> None:
    vtt = "WEBVTT\n\n" + "".join(
        f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n{p}\n\n" for i, p in enumerate(payloads)
    )
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in payloads) + "</body></html>"
    for name, data in (("x.vtt", vtt), ("x.html", html)):
        try:
            parsed = read_bytes(name, data.encode("utf-8", "surrogatepass"))
        except InputError:
            continue
        check(parsed)
