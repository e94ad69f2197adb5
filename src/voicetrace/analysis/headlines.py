"""A claim's headline: the change itself, in one clause a board member can read.

A passage coded as a claim is rarely a headline as it stands. Interview turns open with an answer
("Yes, I'm a volunteer driver now."), a filler, an attribution ("Oh, Trevor will have told you."),
or a question back; minutes open with who reported what; annual reports open with a heading. So the
headline is chosen, not cut: every sentence of the claim's supporting passages is a candidate, and
the one that states *what changed* wins — it has an outcome verb ("introduced", "agreed", "now
has", "declined"), names the things the passages agree on (the words several sources share), and
comes from a written record rather than speech. Fillers and back-channel at its start are dropped,
and a long sentence is shortened at a clause, never inside a word.

Rules only, no language model: the same passages always give the same headline.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .claims.similarity import change_terms

HEADLINE_MAX_CHARS = 160

STAGE_DIRECTION = re.compile(r"\[[^\]]{1,30}\]\s*")
LIST_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]|[-•*])\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9£])")

FILLER = re.compile(
    r"^(?:(?:yes|yeah|yep|no|oh|ah|well|erm+|um+|er|mm+(?:-hm)?|right|okay|ok|so|and|but|now|look|see|aye|"
    r"oh yes|oh no|oh well|yes well|well yes|i mean|you know|to be fair|to be honest|i'll be honest(?: with you)?|"
    r"i'm going to be honest(?: with you)?|i'd put it like this|i'd say|as i say|like i say|of course|"
    r"absolutely|definitely|certainly|exactly|indeed|sorry|anyway|basically|actually|honestly|eventually|"
    r"at the moment|in the end|to start with)\b[,.;:!…-]*\s+)+",
    re.IGNORECASE)
"""Back-channel and fillers that open a spoken turn before the statement proper."""

OUTCOME = re.compile(
    r"\b(?:introduc|agreed|approv|decid|fund|commission|replac|install|open(?:ed|s)\b|launch|start(?:ed|s)\b|"
    r"went live|goes live|now (?:has|have|had|gives?|sends?|offers?|runs?|includes?|carr(?:y|ies)|get|is|are)|"
    r"rewr(?:ote|itten)|revis|reprint|print(?:ed)?\b|translat|produc|publish|extend|added|adopt|appoint|"
    r"refurbish|repaint|redesign|set up|made permanent|permanent|secur|declin|turn(?:ed)? down|refus|"
    r"rejected|said no|not (?:adopted|funded|a priority)|deferr|stall|postpon|chang(?:ed|ing)\b|"
    r"changes? (?:has|have|had|were|was) been made|made (?:the |some |all the |a few )?changes|improv|created?|built|"
    r"new\b|moved\b(?! away)|put (?:in|on|up)\b|fitted|bought|ordered|cho(?:se|sen)\b|replaced|allocated|awarded|employ|recruit|stopped|"
    r"cut\b|withdr|agreed|included|reflected|listened|took (?:up|on)|seats? (?:on|for)|\bsat on|"
    r"could not be (?:accommodated|fitted|funded|offered|met)|(?:cannot|can't|could not|couldn't) (?:offer|fund|afford)|"
    r"no power to|not able to|unable to|"
    r"(?:^|[,;] )(?:from|since) (?:\d{1,2} )?(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b)",
    re.IGNORECASE)
"""Words of a sentence that reports a change made, under way, or turned down."""

ASK = re.compile(
    r"\b(?:we recommend|recommend(?:ed|s)? that|call(?:s|ed)? for|ask(?:s|ed|ing)? (?:for|that)|"
    r"ask(?:s|ed|ing)? (?:[\w'’-]+ ){1,4}for (?:a|an|the|more|extra|funding)\b|"
    r"ask(?:s|ed|ing)? (?:[\w'’-]+ ){1,6}to (?:fund|stop|provide|include|make|change|put|give|move|allow|keep|"
    r"create|open|run|pay|host|consider|review|introduce|extend|add|let)|"
    r"request(?:s|ed)? (?:that|a|an|the)|propos(?:e|es|ed) that|(?:a|our|the|its|their) proposal (?:for|to)|"
    r"appl(?:y|ies|ied|ying) (?:to [^,.;]{2,60} )?for|put in (?:for|a bid)|bid(?:s|ding)? for|"
    r"petition(?:ed|ing)? (?:for|to)|(?:campaign|lobb(?:y|ie)|press)(?:s|es|ed|ing)? for|consult(?:s|ed|ing)? (?:[\w'’-]+ ){0,3}(?:about|on))\b", re.IGNORECASE)
"""Words of a sentence that states a change asked for: the claim, when the change is only proposed."""

OPINION = re.compile(
    r"\b(?:i think|i'd say|i'd like|i feel|i felt|i know|i'm sure|i suppose|i guess|i believe|i reckon|"
    r"i wonder|i'd want|i'd see|if i'm honest|to be honest|i'm not sure|i couldn't|i can't|i don't know|"
    r"i'll give them|draw your own|i'd be the first|will have told you|i won't say|you'd find|have you seen|"
    r"i wouldn't (?:call|say)|i would say|i'm aware|i gather|you know|blah|and so on|etc)\b",
    re.IGNORECASE)
"""A speaker's stance or aside rather than the change."""

ACTION = re.compile(
    r"\b(?:agreed to|will|would|to|asked (?:\w+ )?to) (?:write|ask|send|contact|raise|look (?:into|at)|find out|"
    r"follow (?:it )?up|chase|discuss|meet|report back|invite|circulate|consider)\b", re.IGNORECASE)
"""A meeting's next step ("Members agreed to write to …"), not a change that was made or refused."""

MEETING_BUSINESS = re.compile(
    r"^(?:the )?(?:chair(?:man|woman|person)?|convenor|members|everyone|the group)\s+"
    r"(?:welcomed|thanked|toured|introduced|opened the meeting|sent (?:their )?apologies|noted the minutes)\b",
    re.IGNORECASE)
"""The running of a meeting ("The Chair welcomed members to the first meeting in the new suite, which
opened …"): the change, if any, is in a clause hanging off it, and another passage states it better."""

VAGUE_START = re.compile(
    r"^(?:(?:it|that|this|they|there|those|these|he|she|which|what)\b(?!\s+(?:trust|pct|board|group))|"
    r"(?:all|most|some|many|none|each|both)(?: of)? (?:the |their |our |its |these |those )?(?:\w+ )?"
    r"(?:changes|suggestions|points|comments|recommendations|ideas|amendments)\b)",
    re.IGNORECASE)
"""A sentence that leans on what came before it ("That was one the group took up.", "All the suggested
changes have been made …": which changes, to what, is said elsewhere)."""

BACKGROUND = re.compile(
    r"\b(?:before|by the time) (?:the group|members|we|they|the members|patients)\b[^.;]{0,40}?"
    r"\b(?:involved|invited|came in|got near|joined)\b|"
    r"\b(?:was|were|had been|had already been) (?:all )?(?:fixed|settled|decided|drawn|planned) "
    r"(?:well )?(?:before|in \d{4}|already)\b",
    re.IGNORECASE)
"""What was settled before involvement began ("the layout had been decided before the group became
involved"): the limit of a change, which the claim's contradictions say, not the change itself."""

FUTURE = re.compile(r"\b(?:will|is to|are to|is due to|are due to|is going to|are going to) (?:be |now )?\w+",
                    re.IGNORECASE)
DECIDED_THAT = re.compile(r"\b(?:agreed|decided|approved|confirmed|resolved)\b[^.;]{0,20}?\bthat\b", re.IGNORECASE)
"""A change stated as still to come ("… which will open in summer 2008"), unless a decision made is what
the sentence states ("The network has agreed that Malcolm will be the group's representative …")."""

MADE_STATUSES = frozenset({"implemented", "sustained"})
"""Statuses of a change that happened: a sentence that states it as still to come is not its headline."""

ASKED_STATUSES = frozenset({"proposed", "not_adopted"})
"""Statuses of a claim whose change is the thing asked for: its headline is the ask ("We asked the PCT to
fund a centre on Fore Street"), not the reply turning it down or the account of a meeting."""

LEAD_CLAUSE = re.compile(
    r"^(?:after|following|as a result of|because of|thanks to|in response to|since|once|when)\b[^,]{8,160},\s+",
    re.IGNORECASE)
"""A leading clause about what came before; dropped when the headline would otherwise be too long."""

MIN_WORDS = 5

ASIDE_LEAD = re.compile(
    r"^(?:i'm aware|i am aware|i gather|i know|i believe|i think|i'd say|i would say|i must say|i have to say|"
    r"i'm told|i hear|i'm pleased to say|i'm glad to say|as far as i know|if you ask me|to my knowledge|"
    r"you know|mind you|i suppose|i reckon|i'd imagine|i understand)(?: that)?\b[,;:]?\s+",
    re.IGNORECASE)
"""A speaker's stance opening the clause that carries the change ("I'm aware the colorectal group has had
a user member added …"): the headline is the clause after it."""

ASIDE_CLAUSE = re.compile(
    r"^((?:that's|that is|it's|it is|fair enough|true|funnily enough|sadly|luckily|happily|frankly|"
    r"the thing is|the good news is|credit where it's due)\b[^,;:]{0,30}|[A-Z][^,;:]{1,40}:)[,;:]?\s+(?=\S)",
    re.IGNORECASE)
"""A short remark or a label before the clause that states the change ("That's fair, we've started …",
"Radiotherapy leaflet: the bilingual leaflet was printed …"): dropped when it states nothing and the rest does."""

_ASIDES = (r"you know|i think|i'd say|i suppose|i mean|i believe|i gather|as i say|like i say|mind you|"
           r"sort of|kind of|to be fair|to be honest")
EMBEDDED_ASIDE = re.compile(r",\s*(?:" + _ASIDES + r"),\s*", re.IGNORECASE)
TRAILING_ASIDE = re.compile(r",\s*(?:" + _ASIDES + r")\s*(?=[.!?…]?$)", re.IGNORECASE)
"""An aside inside a sentence (", you know,") or at its end (", I think.")."""

ITEM_LABEL = re.compile(r"^(?:\d{1,2}[.)]\s+)?[A-Z][\w'’&/ -]{1,40}:\s+(?=[A-Z0-9“\"])")
"""A minutes item label ("Helpline: ", "3. Car parking: ") before the record itself."""

ATTRIBUTION = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms|Miss|Sister|Prof|Professor|Cllr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}\s+"
    r"(?:reported|said|confirmed|noted|explained|announced|added|sent word|wrote|told (?:us|the (?:meeting|group|members)))"
    r"(?:\s+(?:on|in) [^,]{1,30})?,?\s+(?:that\s+|(?=(?:\d|the |one |two |three |four |five |six |seven |"
    r"eight |nine |ten |twelve |twenty )))")
"""Who reported it ("Sister Corless confirmed that …"): the headline is what was reported."""


def ascii_searcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether ``pattern`` (case-insensitive, no capital letter in it) occurs in a string: the same answer as
    ``pattern.search``, faster.

    Why: with IGNORECASE, Python's regex engine cannot skip an alternative by its first letter, so a long
    list of words (``OUTCOME``) is tried word by word at every position of the sentence. On ASCII text,
    case-insensitive matching is plain matching of the lower-cased text (the Unicode foldings that make
    IGNORECASE differ, such as the Kelvin sign or the long s, are not ASCII), which runs ten times faster;
    any other text goes to ``pattern`` itself."""
    if not pattern.flags & re.IGNORECASE or any(c.isupper() for c in pattern.pattern):
        raise ValueError("a case-insensitive pattern with no capital letter in it")
    plain = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)

    def found(text: str) -> bool:
        return bool(plain.search(text.lower()) if text.isascii() else pattern.search(text))
    return found


_has_outcome = ascii_searcher(OUTCOME)
_has_ask = ascii_searcher(ASK)
_has_opinion = ascii_searcher(OPINION)
_has_background = ascii_searcher(BACKGROUND)
_has_future = ascii_searcher(FUTURE)
_has_decision = ascii_searcher(DECIDED_THAT)
I_START = re.compile(r"^(?:i|i'm|i've|i'd|we'd)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """A supporting passage, as the headline rules see it."""

    text: str
    written: bool = True          # a document rather than an interview turn
    record: bool = False          # minutes, a strategy, a work plan


def _drop_asides(s: str) -> str:
    """The clause that carries the change, without the stance, aside or back-channel around it."""
    s = TRAILING_ASIDE.sub("", EMBEDDED_ASIDE.sub(" ", s)).strip()
    for _ in range(3):
        rest = ASIDE_LEAD.sub("", s, count=1)
        if rest == s:
            lead = ASIDE_CLAUSE.match(s)
            if lead and not _has_outcome(lead.group(1)):
                after = s[lead.end():]
                if _has_outcome(after):
                    rest = after
        rest = FILLER.sub("", rest).strip(" ,;:-–—")
        if rest == s or len(rest.split()) < MIN_WORDS:
            break
        s = rest
    return s


def _clean(sentence: str) -> str:
    s = FILLER.sub("", sentence.strip()).strip(" ,;:-–—")
    s = _drop_asides(s)
    s = ITEM_LABEL.sub("", s, count=1)
    rest = ATTRIBUTION.sub("", s, count=1)
    if rest != s and len(rest.split()) >= MIN_WORDS:
        s = rest
    s = re.sub(r"^[\"“‘']+(?=\w)", "", s) if s.count("\"") % 2 or s.count("“") != s.count("”") else s
    return s[:1].upper() + s[1:] if s else s


def sentences(text: str) -> list[str]:
    flat = LIST_MARKER.sub("", STAGE_DIRECTION.sub("", " ".join(text.split()))).strip()
    return [s for s in SENTENCE_END.split(flat) if s.strip()]


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A cleaned candidate sentence and what the scoring rules read in it, which depends on its words only."""

    text: str
    terms: frozenset[str]
    outcome: bool
    ask: bool
    question: bool
    opinion: bool
    action: bool
    vague: bool
    words: int
    first_person: bool
    background: bool
    future: bool


def _read_sentence(cleaned: str) -> _Sentence:
    return _Sentence(text=cleaned, terms=frozenset(change_terms(cleaned)), outcome=_has_outcome(cleaned),
                     ask=_has_ask(cleaned), question="?" in cleaned, opinion=_has_opinion(cleaned),
                     action=bool(ACTION.search(cleaned) or MEETING_BUSINESS.match(cleaned)), vague=bool(VAGUE_START.search(cleaned)),
                     words=len(cleaned.split()), first_person=bool(I_START.match(cleaned)),
                     background=_has_background(cleaned),
                     future=_has_future(cleaned) and not _has_decision(cleaned))


@dataclass(frozen=True, slots=True)
class _Reading:
    """A passage text read once: its candidate sentences and the union of their change words."""

    sentences: tuple[_Sentence, ...]
    terms: frozenset[str]


_READINGS: ContextVar[dict[str, _Reading] | None] = ContextVar("_READINGS", default=None)


@contextmanager
def shared_readings() -> Iterator[None]:
    """Within the block, each passage text is read (split into sentences, cleaned, its change words and
    cue words found) once, however many headlines it is a candidate for.

    Why: a claims build gives every coded passage a headline and then every merged claim one, from the
    same passages again; the reading is most of a headline's cost and never depends on the other
    passages. Scoped to a block (a build), not kept for the life of the process. Nested blocks share
    the outer one's readings."""
    token = _READINGS.set({}) if _READINGS.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _READINGS.reset(token)


def _reading(text: str) -> _Reading:
    cache = _READINGS.get()
    if cache is not None and (hit := cache.get(text)) is not None:
        return hit
    sents = tuple(_read_sentence(_clean(s)) for s in sentences(text))
    out = _Reading(sents, frozenset().union(*(s.terms for s in sents)))
    if cache is not None:
        cache[text] = out
    return out


def change_sentences(text: str) -> str:
    """The sentences of a passage that state a change made, asked for or turned down (an outcome or an
    ask, not a question), cleaned of fillers and asides, joined; "" when there are none."""
    return " ".join(s.text for s in _reading(text).sentences
                    if s.text and (s.outcome or s.ask) and not s.question)


def _score(sentence: _Sentence, top: list[str], passage: Passage, position: int, status: str | None,
           limit: int) -> float:
    score = 0.0
    if status in ASKED_STATUSES and sentence.ask:
        score += 4.0
    elif sentence.outcome and sentence.ask and status is not None:
        score += 1.5  # a change made, and a sentence asking for more ("… and ask that the city PCT commission …")
    elif sentence.outcome:
        score += 3.0
    elif sentence.ask and status is None:
        score += 2.0
    if top:
        score += 3.0 * sum(1 for t in top if t in sentence.terms) / len(top)
    score += 1.0 if passage.written else 0.0
    score += 0.5 if passage.record else 0.0
    if sentence.question:
        score -= 6.0
    if sentence.opinion:
        score -= 2.5
    if sentence.action:
        score -= 2.5
    if sentence.vague:
        score -= 1.5
    if sentence.background:
        score -= 2.5
    if sentence.future and status in MADE_STATUSES:
        score -= 1.5
    if sentence.words < MIN_WORDS:
        score -= 4.0
    elif sentence.words > 45:
        score -= 1.0
    if sentence.first_person:
        score -= 0.5
    if len(sentence.text) > limit and not _fits_without_lead(sentence.text, limit):
        score -= 1.5  # it would lose its end, often the very thing that changed
    return score - 0.05 * position


def _droppable_lead(sentence: str) -> re.Match[str] | None:
    """A leading clause about what came before, when what follows it stands as a sentence: in "As a
    result of our report the unit replaced its chairs, installed a cooler …" the comma ends the first of
    a list of verbs, not a lead, and dropping it would leave "Installed a cooler …" with no subject."""
    lead = LEAD_CLAUSE.match(sentence)
    if lead is None:
        return None
    first = sentence[lead.end():].split(" ", 1)[0]
    return None if _has_outcome(first) and _has_outcome(lead.group(0)) else lead


def _fits_without_lead(sentence: str, limit: int) -> bool:
    lead = _droppable_lead(sentence)
    return lead is not None and 30 <= len(sentence) - lead.end() <= limit


def shorten(sentence: str, limit: int = HEADLINE_MAX_CHARS) -> str:
    """At most ``limit`` characters: drop a leading clause, else end at a clause or a word, never mid-word."""
    if len(sentence) <= limit:
        return sentence
    lead = _droppable_lead(sentence)
    if lead and len(sentence) - lead.end() >= 30:
        rest = sentence[lead.end():]
        sentence = rest[:1].upper() + rest[1:]
        if len(sentence) <= limit:
            return sentence
    window = sentence[:limit]
    clause = max(window.rfind(", "), window.rfind("; "), window.rfind(" – "), window.rfind(" — "))
    if clause >= limit * 0.6:
        return window[:clause].rstrip(",;:–— ") + "…"
    cut = window.rsplit(" ", 1)[0] if " " in window else window
    return cut.rstrip(",;:-–— ") + "…"


def headline(passages: Sequence[Passage], limit: int = HEADLINE_MAX_CHARS, status: str | None = None) -> str:
    """The sentence of the passages that best states the change, cleaned and shortened.

    ``status`` is the claim's (a ``ClaimStatus`` value): for a change asked for or turned down, the
    sentence stating the ask wins over the refusal; for a change made, an ask is only background. None
    (not known) weighs an ask a little below an outcome."""
    readings = [_reading(p.text) for p in passages]
    top: list[str] = []
    if len(passages) > 1:
        shared: Counter[str] = Counter()
        for r in readings:
            shared.update(r.terms)
        top = [t for t, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:8] if n >= 2]
    best, best_score = "", float("-inf")
    for p, r in zip(passages, readings):
        for pos, sent in enumerate(r.sentences):
            if not sent.text:
                continue
            sc = _score(sent, top, p, pos, status, limit)
            if sc > best_score:
                best, best_score = sent.text, sc
    if not best:
        best = " ".join(" ".join(p.text.split()) for p in passages[:1]).strip()
    return shorten(best, limit)
