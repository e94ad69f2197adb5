"""Which item of a meeting's minutes a passage records: minutes keep one change to an item.

Minutes are written item by item: a numbered heading ("3. Radiotherapy leaflet", "4. Travel to
Tregarth"), and under "Matters arising" one labelled paragraph per earlier item ("Radiotherapy
leaflet: the bilingual leaflet was printed …", "Travel sheet: Mr Pritchard sent word …"). Two
passages of one set of minutes filed under different items are two records, whatever words they
share (a meeting's bookkeeping — agreed, reported, action, the same people — is shared by every
item). So merging never puts two items of the same minutes into one claim (``similarity``).

Pure: the caller gives the minutes' paragraphs (source, start offset, opening text); this module
says which item each passage falls under.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

ITEM_KINDS = frozenset({"minutes"})
"""Source kinds written item by item."""

ITEM_HEADING = re.compile(r"^(?:#{1,4}\s*)?\(?\d{1,2}(?:\.\d{1,2})?[.)]?\s+([A-Z][^.!?:]{1,78})$")
"""A numbered item heading on a paragraph of its own ("3. Radiotherapy leaflet"), no sentence in it."""

GENERIC_ITEM = re.compile(r"\b(?:welcome|introductions?|apologies|minutes|matters arising|any other business|aob|"
                          r"date of (?:the )?next meeting|action log|actions)\b", re.IGNORECASE)
"""Items every meeting has: their titles say nothing about what changed."""

ITEM_LABEL = re.compile(r"^([A-Z][\w'’&/()-]*(?: [\w'’&/()-]+){0,5}):\s+\S")
"""A labelled paragraph opening ("Quiet room on Ward Teifi: …", "Drop-off bay: …")."""

REPORTING = re.compile(r"\b(?:reported|said|says|noted|confirmed|asked|explained|added|replied|wrote|"
                       r"announced|suggested|agreed|thanked)$", re.IGNORECASE)
"""A label that is a person reporting ("Helen reported: …") names who spoke, not an item."""

RESPONSE_ASK = re.compile(r"\bwe (?:recommend|urge|call for|ask (?:that|for|the|commissioners|every|all))\b", re.IGNORECASE)
"""A document making its own recommendation ("We recommend that …", "We ask that …", "We call for …"),
in the present tense: the document is a response, not a report of one ("we asked" is a report)."""


def response_ask(text: str, source_type: str, source_kind: str) -> bool:
    """Whether a passage is one of the recommendations a written response makes.

    A group's response to a consultation or a draft plan makes its recommendations one by one, in
    numbered sections (carers, travel, life after treatment): they are asks of **one** response,
    whatever each is about, so they belong to one claim. Minutes are the opposite (items), and an
    interview is never a written response."""
    return source_type == "document" and source_kind not in ITEM_KINDS and bool(RESPONSE_ASK.search(text))


ASK_KINDS = frozenset({"grant_application"})
"""Document kinds that ask for one thing. A grant application asks for one thing, then describes it in
sections (the need, how it was designed, the outcomes, the budget) that rarely name it again: a coded
paragraph of one whose own words reach no claim continues the application's ask, its first passage coded
as proposed or planned (``merging``), as an answer to a follow-up question continues the answer before it.
Paragraphs that recall the group's earlier changes ("In 2008 the group co-produced a leaflet …") name
those changes and are placed by their words."""

ASK_STATUSES = frozenset({"proposed", "planned"})
"""The statuses a coder gives an ask: what an application asks for is not yet done."""

RESPONSE_KINDS = frozenset({"strategy", "work_plan", "other"})
"""Document kinds whose first paragraph (the title) is read for a response's recommendations."""

ItemKey = tuple[int, str]
"""(start of the item's heading, or -1 before any heading; the paragraph label, lower case, or "")."""


def item_label(text: str) -> str:
    """The label a paragraph opens with ("" when it has none)."""
    m = ITEM_LABEL.match(text.strip())
    if m is None or REPORTING.search(m.group(1)):
        return ""
    return " ".join(m.group(1).lower().split())


class ItemIndex:
    """The item boundaries of each set of minutes: where each heading and each labelled paragraph starts."""

    def __init__(self, paragraphs: Iterable[tuple[int, int, str]]) -> None:
        by_source: dict[int, list[tuple[int, str]]] = {}
        for source_id, start, text in paragraphs:
            by_source.setdefault(int(source_id), []).append((int(start), text))
        self._starts: dict[int, list[int]] = {}
        self._keys: dict[int, list[ItemKey]] = {}
        self._titles: dict[tuple[int, int], str] = {}
        self._doc_titles: dict[int, str] = {}
        for source_id, paras in by_source.items():
            self._doc_titles[source_id] = " ".join(min(paras)[1].split())
            starts: list[int] = []
            keys: list[ItemKey] = []
            heading = -1
            for start, text in sorted(paras):
                flat = " ".join(text.split())
                if heading_match := ITEM_HEADING.match(flat):
                    heading = start
                    title = heading_match.group(1)
                    if not GENERIC_ITEM.search(title):
                        self._titles[(source_id, start)] = title
                    starts.append(start)
                    keys.append((heading, ""))
                elif label := item_label(flat):
                    starts.append(start)
                    keys.append((heading, label))
                # any other paragraph continues the item above it
            self._starts[source_id] = starts
            self._keys[source_id] = keys

    def item_of(self, source_id: int, start: int) -> ItemKey | None:
        """The item a passage starting at ``start`` falls under; None for a source not written by item."""
        starts = self._starts.get(source_id)
        if starts is None:
            return None
        at = bisect.bisect_right(starts, start) - 1
        return self._keys[source_id][at] if at >= 0 else (-1, "")

    def document_title(self, source_id: int) -> str:
        """The first paragraph of a document ("Response to the Cancer Reform Strategy consultation")."""
        return self._doc_titles.get(source_id, "")

    def title_of(self, source_id: int, start: int) -> str:
        """The title of the item a passage falls under, when its paragraph has no label of its own and
        the item is not one every meeting has ("" otherwise): the words the minute-taker filed it under."""
        key = self.item_of(source_id, start)
        if key is None or key[1]:
            return ""
        return self._titles.get((source_id, key[0]), "")
