import pytest

from voicetrace.core.sources import SourceType
from voicetrace.ingest import looks_like_transcript, read_bytes

from .builders import docx_bytes, odt_bytes


def turns(parsed):  # type: ignore[no-untyped-def]
    return [(t.speaker, t.timestamp, parsed.text[t.span.start:t.span.end]) for t in parsed.turns]


def test_plain_transcript_with_roles_timestamps_and_continuations() -> None:
    raw = (
        "Interview 7, March 2023\n\n"
        "[00:00:05] Interviewer: How did the group start?\n"
        "[00:00:09] Mary (service user): We met in the waiting room.\n"
        "It was noisy, so we complained.\n\n"
        "And then we kept meeting.\n"
        "00:01:10 Dr Patel: I remember that.\n"
        "Interviewer: What changed?\n"
        "Mary (service user): A quiet room. 😀\n"
    )
    parsed = read_bytes("interview.txt", raw.encode())
    assert parsed.type is SourceType.TRANSCRIPT
    assert parsed.text == raw
    assert parsed.title == "Interview 7, March 2023"
    assert turns(parsed) == [
        ("Interviewer", "00:00:05", "How did the group start?"),
        ("Mary (service user)", "00:00:09",
         "We met in the waiting room.\nIt was noisy, so we complained.\n\nAnd then we kept meeting."),
        ("Dr Patel", "00:01:10", "I remember that."),
        ("Interviewer", None, "What changed?"),
        ("Mary (service user)", None, "A quiet room. 😀"),
    ]


@pytest.mark.parametrize(
    "raw, speakers",
    [
        ("INT: Hello.\nP3: Hi.\nINT: Ready?\nP3: Yes.\n", ["INT", "P3", "INT", "P3"]),
        ("**Facilitator:** Welcome.\n\n**Ann:** Thanks.\n\n**Facilitator:** Shall we?\n",
         ["Facilitator", "Ann", "Facilitator"]),
        ("Speaker 1 (00:01): one\nSpeaker 2 (00:05): two\nSpeaker 1 (00:09): three\n",
         ["Speaker 1", "Speaker 2", "Speaker 1"]),
    ],
)
def test_label_styles(raw: str, speakers: list[str]) -> None:
    parsed = read_bytes("t.md", raw.encode())
    assert parsed.type is SourceType.TRANSCRIPT
    assert [t.speaker for t in parsed.turns] == speakers
    for turn in parsed.turns:
        words = parsed.text[turn.span.start:turn.span.end]
        assert ":" not in words and "*" not in words


def test_looks_like_transcript() -> None:
    assert looks_like_transcript("A: hi\nB: hello\nA: bye\n")
    assert not looks_like_transcript("A: hi\nB: hello\n")  # too few turns
    assert not looks_like_transcript("Date: today\nVenue: clinic\nChair: Ann\nMinute taker: Bob\n")
    assert not looks_like_transcript("The report says: many things.\n\nAnother paragraph.\n\nAnd one more.\n")
    prose = "\n\n".join(f"Paragraph {i} about involvement and its effects on services." for i in range(20))
    assert not looks_like_transcript(prose + "\n\nNote: one\n\nNote: two\n\nAction: three\n")


def test_crlf_transcript_offsets() -> None:
    raw = "Ann: one\r\nBob: two\r\nAnn: three\r\n"
    parsed = read_bytes("t.txt", raw.encode())
    assert parsed.text == "Ann: one\nBob: two\nAnn: three\n"
    assert [w for _, _, w in turns(parsed)] == ["one", "two", "three"]


def test_webvtt_voice_tags_merge_consecutive_cues() -> None:
    vtt = (
        "WEBVTT - focus group\n\nNOTE recorded in clinic\n\nSTYLE\n::cue { color: red }\n\n"
        "1\n00:00:01.000 --> 00:00:04.000 align:start\n<v Roger Bingham>We are in the clinic\n\n"
        "00:00:04.000 --> 00:00:06.500\n<v Roger Bingham>and it&amp;s <i>busy</i>\n\n"
        "01:02:06.000 --> 01:02:08.000\n<v.loud Neil (carer)>Yes, <c.yellow>very</c></v>\n"
    )
    parsed = read_bytes("group.vtt", vtt.encode())
    assert parsed.type is SourceType.TRANSCRIPT
    assert parsed.text == "Roger Bingham: We are in the clinic and it&s busy\n\nNeil (carer): Yes, very"
    assert turns(parsed) == [
        ("Roger Bingham", "00:00:01", "We are in the clinic and it&s busy"),
        ("Neil (carer)", "01:02:06", "Yes, very"),
    ]


def test_webvtt_with_name_prefixes_and_unknown_start() -> None:
    vtt = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nhello everyone\n\n"
        "00:02.000 --> 00:03.000\nAnn: thanks for coming\n\n00:03.000 --> 00:04.000\n- Bob: glad to\n"
    )
    parsed = read_bytes("g.vtt", vtt.encode())
    assert [t.speaker for t in parsed.turns] == ["Unknown", "Ann", "Bob"]
    assert parsed.warnings


def test_bad_webvtt() -> None:
    from voicetrace.core.errors import InputError

    with pytest.raises(InputError, match="WEBVTT"):
        read_bytes("x.vtt", b"1\n00:00:01.000 --> 00:00:02.000\nhi\n")


def test_srt_speakers() -> None:
    data = (
        "1\n00:00:01,000 --> 00:00:02,000\nAnn: Hello <i>there</i>\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\nBob: Hi Ann\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n- and welcome\n"
    ).encode("cp1252")
    parsed = read_bytes("x.srt", data)
    assert turns(parsed) == [("Ann", "00:00:01", "Hello there"), ("Bob", "00:00:02", "Hi Ann and welcome")]


def test_bad_srt() -> None:
    from voicetrace.core.errors import InputError

    with pytest.raises(InputError, match="SRT"):
        read_bytes("x.srt", b"1\nnot a timing line\nhello\n")


def test_docx_transcript_rendered_with_labels() -> None:
    data = docx_bytes([
        "Interview with Mary, 12 May",
        "Interviewer: What did the group change?",
        "Mary (service user): The leaflet.",
        "And the parking, eventually.",
        "[00:12:05] Interviewer: Anything else?",
        "Mary (service user): No.",
    ])
    parsed = read_bytes("interview.docx", data)
    assert parsed.type is SourceType.TRANSCRIPT
    assert parsed.text.startswith("Interview with Mary, 12 May\n\nInterviewer: What did the group change?")
    assert "\n\n[00:12:05]" not in parsed.text  # timestamps live in Turn.timestamp
    assert turns(parsed) == [
        ("Interviewer", None, "What did the group change?"),
        ("Mary (service user)", None, "The leaflet.\n\nAnd the parking, eventually."),
        ("Interviewer", "00:12:05", "Anything else?"),
        ("Mary (service user)", None, "No."),
    ]
    for turn in parsed.turns:  # the rendered label sits right before the words
        label = f"{turn.speaker}: "
        assert parsed.text[turn.span.start - len(label):turn.span.start] == label


def test_odt_transcript() -> None:
    parsed = read_bytes("i.odt", odt_bytes(["INT: one?", "R1: two.", "INT: three?", "R1: four."]))
    assert parsed.type is SourceType.TRANSCRIPT
    assert [t.speaker for t in parsed.turns] == ["INT", "R1", "INT", "R1"]
