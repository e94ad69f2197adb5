"""Which earlier answer an interview answer follows up: a follow-up question keeps the topic.

An interviewer who has just heard about a change asks after it in a few words that point back at the
answer ("Did they give a reason?", "And what happened?", "And the decision?", "Can you give me an
example?"). The answer to such a question is about the change just described, but it rarely names it
again: "They turned it down. In the autumn … there was no funding available." Read on its own it shares
no change words with the claim it belongs to and would found a claim of its own. So merging reads it as
the continuation of the answer before the question (``similarity.group_block``), unless its own words
pick out a claim.

Pure: the caller gives the turns of each transcript (source, start, end, whether the interviewer spoke,
the turn's opening text); this module says which answer a turn follows up.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from .similarity import change_terms

POINTS_BACK = re.compile(r"^\W*(?:\[[^\]]*\]\s*)?(?:and|go on|tell me more)\b"
                         r"|\b(?:that|this|it|they|them|those|then|example)\b", re.IGNORECASE)
"""A question that points back at what was just said: it opens with "and" (or asks to go on) or it
refers to the answer by a pronoun ("Did *they* give a reason?", "What happened with *that*?")."""

SOMETHING_ELSE = re.compile(r"\b(?:else|other|another|next)\b", re.IGNORECASE)
"""A question asking for something else ("What else has the group done?") opens a new topic."""

MAX_QUESTION_TERMS = 1
"""A follow-up question names at most this many change words ("reason", "decision"): a question that
names its own topic ("What about the parking campaign?") is read by its words, not as a follow-up."""

TEXT_CHARS = 300
"""How much of each turn the index keeps: enough for any question it has to read."""


def is_follow_up(question: str) -> bool:
    """Whether an interviewer's turn asks after the answer just given rather than opening a topic."""
    return (len(set(change_terms(question))) <= MAX_QUESTION_TERMS and not SOMETHING_ELSE.search(question)
            and POINTS_BACK.search(question) is not None)


class TurnIndex:
    """The turns of each transcript in order, to find the answer a follow-up question asks after."""

    def __init__(self, turns: Iterable[tuple[int, int, int, bool, str]]) -> None:
        by_source: dict[int, list[tuple[int, int, bool, str]]] = {}
        for source_id, start, end, interviewer, text in turns:
            by_source.setdefault(int(source_id), []).append((int(start), int(end), bool(interviewer), text))
        self._turns = {sid: sorted(rows) for sid, rows in by_source.items()}
        self._starts = {sid: [r[0] for r in rows] for sid, rows in self._turns.items()}

    def answer_before(self, source_id: int, pos: int) -> tuple[int, int] | None:
        """The span (start, end) of the answer that the turn holding ``pos`` follows up: the answer just
        before a follow-up question. None when the turn is a question, the question before it opens a
        topic, or there is no answer before that question."""
        starts = self._starts.get(source_id)
        if not starts:
            return None
        at = bisect.bisect_right(starts, pos) - 1
        if at < 2:
            return None
        turns = self._turns[source_id]
        answer, question, before = turns[at], turns[at - 1], turns[at - 2]
        if answer[2] or not question[2] or before[2] or not is_follow_up(question[3]):
            return None
        return before[0], before[1]
