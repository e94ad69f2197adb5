"""Transcripts: speaker turns from plain text, WebVTT, SRT and paragraph lists (DOCX, ODT, ...).

A turn's span covers only the words spoken; the speaker label and any timestamp stay outside it,
so coding a whole turn quotes the speaker exactly. Plain-text transcripts keep the file's own text
as canonical text; formats we assemble (captions, word-processor paragraphs) are rendered as
"Speaker: words" blocks joined by a blank line, so a reader of the canonical text sees who speaks.
"""
from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import srt

from ..core.errors import InputError
from ..core.sources import ParsedSource, SourceType, Span, Turn
from .encodings import normalise_newlines

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# [00:12:05] / (00:12:05) / 00:12:05 (bare needs h:mm:ss or is followed by whitespace)
_LEAD_TS = rf"(?:\[(?P<ts1>{_TS})\]|\((?P<ts2>{_TS})\)|(?P<ts3>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?|\d{{1,2}}:\d{{2}}(?=\s)))"
_NAME = r"[^\W\d_][\w.'’\-]*(?:[ \t]+[\w.'’\-]+){0,3}"
_TURN = re.compile(
    rf"[ \t]*(?:{_LEAD_TS}[ \t]*(?:[-–—][ \t]*)?)?"
    r"(?P<open>\*\*|__)?"
    rf"(?P<name>{_NAME})"
    r"(?:[ \t]*[(\[](?P<role>[^()\[\]\n]{1,40})[)\]])?"
    r"(?P<close>\*\*|__)?[ \t]*:(?P=close)?(?P=open)?"
    r"(?=[ \t]|$)"
)
_ROLE_TS = re.compile(rf"{_TS}")
_MAX_LABEL = 48
_MAX_DISTINCT = 30


@dataclass(frozen=True)
class Label:
    """A speaker label found at the start of a line."""

    speaker: str
    timestamp: str | None
    words_start: int  # offset of the first character after the colon, relative to the line


def match_label(line: str) -> Label | None:
    """Recognise 'Name: ...', 'Name (role): ...', '[00:12:05] Name: ...' and '**Name:** ...'."""
    m = _TURN.match(line)
    if m is None:
        return None
    name = m.group("name")
    if not name[0].isupper():
        return None
    role = m.group("role")
    timestamp = m.group("ts1") or m.group("ts2") or m.group("ts3")
    speaker = name
    if role is not None:
        role = role.strip()
        if _ROLE_TS.fullmatch(role):
            timestamp = timestamp or role
        elif role:
            speaker = f"{name} ({role})"
    speaker = " ".join(speaker.split())
    if len(speaker) > _MAX_LABEL:
        return None
    return Label(speaker, timestamp, m.end())


def _speaker_key(speaker: str) -> str:
    return speaker.casefold()


def looks_like_transcript(text: str) -> bool:
    """True when most lines open with a recurring speaker label and the speakers alternate.

    The alternation and recurrence tests keep minutes ("Date: ...", "Present: ...", "Action: ...")
    from being mistaken for dialogue.
    """
    lines = 0
    block_starts = 0
    labelled_block_starts = 0
    speakers: list[str] = []
    previous_blank = True
    for line in text.split("\n"):
        if not line.strip():
            previous_blank = True
            continue
        lines += 1
        label = match_label(line)
        if previous_blank:
            block_starts += 1
            if label is not None:
                labelled_block_starts += 1
        previous_blank = False
        if label is not None:
            speakers.append(_speaker_key(label.speaker))
    return _is_dialogue(speakers, lines, block_starts, labelled_block_starts)


def _is_dialogue(speakers: Sequence[str], lines: int, blocks: int, labelled_blocks: int) -> bool:
    turns = len(speakers)
    if turns < 3:
        return False
    counts = Counter(speakers)
    distinct = len(counts)
    if distinct < 2 or distinct > _MAX_DISTINCT or distinct > max(3, 0.6 * turns):
        return False
    if counts.most_common(1)[0][1] < 2:  # nobody speaks twice: labelled fields, not dialogue
        return False
    changes = sum(1 for a, b in itertools.pairwise(speakers) if a != b)
    if changes < 0.5 * (turns - 1):
        return False
    line_share = turns / lines if lines else 0.0
    block_share = labelled_blocks / blocks if blocks else 0.0
    return line_share >= 0.5 or block_share >= 0.5 or (block_share >= 0.3 and turns >= 10)


def parse_plain_transcript(text: str) -> ParsedSource:
    """Turns over the text as given: labelled lines open turns, unlabelled lines continue them."""
    turns: list[Turn] = []
    current: tuple[str, str | None, int, int] | None = None  # speaker, ts, words start, words end
    preamble_lines = 0
    first_preamble: str | None = None
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        label = match_label(line)
        if label is not None:
            if current is not None:
                _close(text, current, turns)
            words_start = line_start + label.words_start
            current = (label.speaker, label.timestamp, words_start, line_start + len(line))
        elif current is not None:
            current = (current[0], current[1], current[2], line_start + len(line))
        else:
            preamble_lines += 1
            if first_preamble is None:
                first_preamble = line.strip()
    if current is not None:
        _close(text, current, turns)
    warnings: list[str] = []
    if preamble_lines:
        warnings.append(f"{preamble_lines} line(s) before the first speaker turn belong to no turn")
    title = first_preamble if first_preamble and len(first_preamble) <= 200 else None
    return ParsedSource(text=text, type=SourceType.TRANSCRIPT, turns=turns, title=title, warnings=warnings)


def _close(text: str, current: tuple[str, str | None, int, int], turns: list[Turn]) -> None:
    speaker, timestamp, start, end = current
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        turns.append(Turn(speaker, Span(start, end), timestamp))


# --- assembled transcripts -------------------------------------------------------------------


@dataclass
class Utterance:
    """One contribution before rendering: who, when, and the words (may hold inner newlines)."""

    speaker: str
    words: str
    timestamp: str | None = None


def render(
    utterances: Iterable[Utterance],
    preamble: Sequence[str] = (),
    *,
    title: str | None = None,
    metadata: dict[str, str] | None = None,
    warnings: list[str] | None = None,
) -> ParsedSource:
    """Render utterances as 'Speaker: words' blocks; each Turn span covers the words only."""
    parts: list[str] = []
    turns: list[Turn] = []
    length = 0

    def add(block: str) -> int:
        nonlocal length
        if parts:
            parts.append("\n\n")
            length += 2
        start = length
        parts.append(block)
        length += len(block)
        return start

    for line in preamble:
        line = line.strip()
        if line:
            add(line)
    for u in utterances:
        words = normalise_newlines(u.words).strip()
        speaker = " ".join(u.speaker.split())
        if not words or not speaker:
            continue
        start = add(f"{speaker}: {words}") + len(speaker) + 2
        turns.append(Turn(speaker, Span(start, start + len(words)), u.timestamp))
    return ParsedSource(
        text="".join(parts),
        type=SourceType.TRANSCRIPT,
        turns=turns,
        title=title,
        metadata=dict(metadata or {}),
        warnings=list(warnings or []),
    )


def utterances_from_paragraphs(paragraphs: Sequence[str]) -> tuple[list[str], list[Utterance]]:
    """Split word-processor paragraphs into a preamble and utterances (continuations join the turn)."""
    preamble: list[str] = []
    utterances: list[Utterance] = []
    for para in paragraphs:
        if not para.strip():
            continue
        label = match_label(para)
        if label is not None:
            utterances.append(Utterance(label.speaker, para[label.words_start:], label.timestamp))
        elif utterances:
            last = utterances[-1]
            last.words = f"{last.words.rstrip()}\n\n{para.strip()}" if last.words.strip() else para
        else:
            preamble.append(para)
    return preamble, utterances


def paragraphs_look_like_transcript(paragraphs: Sequence[str]) -> bool:
    return looks_like_transcript("\n\n".join(p.replace("\n", " ") for p in paragraphs))


# --- captions --------------------------------------------------------------------------------

_VTT_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"</?[^>\n]*>")
_DASH_LABEL = re.compile(r"^\s*[-–—]\s*")
_BRACKET_SPEAKER = re.compile(r"^\s*[\[(](?P<name>[^\[\]()\n]{1,40})[\])]\s*:?\s*")


@dataclass
class Cue:
    start: str
    text: str


def _clock(stamp: str) -> str:
    """Cue times as HH:MM:SS, the same shape as plain-text transcript timestamps."""
    main = re.split(r"[.,]", stamp)[0]
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts[-3], parts[-2], parts[-1]
    return f"{h:02d}:{m:02d}:{s:02d}"


def parse_vtt(name: str, text: str) -> ParsedSource:
    """WebVTT: cues after the WEBVTT header; NOTE/STYLE/REGION blocks skipped; <v Name> gives the speaker."""
    text = text.removeprefix("\ufeff")
    if not text.lstrip(" \t").startswith("WEBVTT"):
        raise InputError(name, "not a WebVTT file (missing WEBVTT header)")
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.strip("\n").split("\n")
        timing_at = next((i for i, ln in enumerate(lines[:2]) if "-->" in ln), None)
        if timing_at is None:
            continue  # header, NOTE, STYLE, REGION or stray text
        m = _VTT_TIMING.match(lines[timing_at])
        if m is None:
            continue
        payload = "\n".join(lines[timing_at + 1:])
        cues.append(Cue(_clock(m.group("start")), payload))
    if not cues:
        raise InputError(name, "WebVTT file has no cues")
    return _captions_to_transcript(name, cues, voice_tags=True)


def parse_srt(name: str, text: str) -> ParsedSource:
    try:
        subtitles = list(srt.parse(text, ignore_errors=False))
    except (srt.SRTParseError, ValueError, OverflowError) as err:
        raise InputError(name, f"not a valid SRT file ({type(err).__name__})") from None
    if not subtitles:
        raise InputError(name, "SRT file has no subtitles")
    cues = []
    for sub in subtitles:
        seconds = int(sub.start.total_seconds())
        cues.append(Cue(f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}", sub.content))
    return _captions_to_transcript(name, cues, voice_tags=False)


def _captions_to_transcript(name: str, cues: Sequence[Cue], *, voice_tags: bool) -> ParsedSource:
    """Consecutive cues by one speaker merge into one turn; unlabelled cues continue the last speaker."""
    utterances: list[Utterance] = []
    unknown = 0
    for cue in cues:
        for speaker, words in _cue_parts(cue.text, voice_tags):
            words = " ".join(words.split())
            if not words:
                continue
            if speaker is None:
                if utterances:
                    speaker = utterances[-1].speaker
                else:
                    speaker = "Unknown"
                    unknown += 1
            if utterances and utterances[-1].speaker == speaker:
                utterances[-1].words += " " + words
            else:
                utterances.append(Utterance(speaker, words, cue.start))
    warnings = ["no speaker for the opening captions; labelled 'Unknown'"] if unknown else []
    if not utterances:
        raise InputError(name, "no text found in captions")
    return render(utterances, warnings=warnings)


def _cue_parts(payload: str, voice_tags: bool) -> list[tuple[str | None, str]]:
    """Split a cue payload into (speaker or None, words) pieces."""
    parts: list[tuple[str | None, str]] = []
    if voice_tags and _VOICE.search(payload):
        pieces = _VOICE.split(payload)  # [before, name1, text1, name2, text2, ...]
        if pieces[0].strip():
            parts.append((None, _plain(pieces[0])))
        for i in range(1, len(pieces), 2):
            parts.append((" ".join(pieces[i].split()) or None, _plain(pieces[i + 1])))
        return parts
    for line in payload.split("\n"):
        plain = _plain(line)
        if not plain.strip():
            continue
        stripped = _DASH_LABEL.sub("", plain, count=1)
        label = match_label(stripped)
        if label is not None and stripped[label.words_start:].strip():
            parts.append((label.speaker, stripped[label.words_start:]))
            continue
        bracket = _BRACKET_SPEAKER.match(stripped)
        if bracket is not None and bracket.group("name")[:1].isupper() and stripped[bracket.end():].strip():
            parts.append((bracket.group("name").strip(), stripped[bracket.end():]))
            continue
        if parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + " " + stripped)
        else:
            parts.append((None, stripped))
    return parts


def _plain(payload: str) -> str:
    """Drop cue markup (<c>, <i>, <b>, <u>, <lang>, timestamps) and decode entities."""
    text = html.unescape(_TAG.sub("", payload))
    return text.replace("\u200e", "").replace("\u200f", "")
