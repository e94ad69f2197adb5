"""The evidence appendix: every figure of a report points at one entry listing what it counts.

Identical evidence shares one entry, and each passage is quoted once in the whole report.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analysis.claims.profiles import LEVELS
from ..analysis.claims.strength import explain_strength
from ..analysis.frames import optional_str, plain_values, records
from ..core.claims import InfluenceClaim, Stance
from .labels import quotation, role_label, shorten, who

EVIDENCE_QUOTE_CHARS = 200
"""Coded passages quoted in an evidence entry are cut shorter than on a claim card: an entry is a list."""
CLAIM_LINE_CHARS = 110
CODING_COLUMNS = ["coding_id", "source", "start", "end", "text", "pseudonym", "role"]
"""What an entry quoting codings shows of each (the codings frame has these columns, see ReportData)."""
COMPACT_CLAIMS = 8
"""An evidence entry with more claims than this lists them by case as numbers, not one line each:
a reader looking behind "124 grass-roots claims" wants the cases and a way in, not 124 lines."""


@dataclass
class EvidenceItem:
    kind: str                    # claim | quote | source | participant
    text: str
    who: str = ""                # "Rose, service user" or a source name; never a real name
    source: str = ""
    claim_id: int | None = None
    claim_number: int | None = None  # what readers call it ("claim 12"); anchors use claim_id
    strength: str = ""
    stance: str = ""
    quotes: list[EvidenceItem] = field(default_factory=list)
    anchor: str = ""             # kind "link": the evidence entry this item points to


@dataclass
class EvidenceEntry:
    anchor: str
    title: str
    items: list[EvidenceItem]
    groups: list[tuple[str, list[EvidenceItem]]] = field(default_factory=list)
    """Set for long claim lists: the claims by case, shown as numbered links."""



class EvidenceIndex:
    """Registers the evidence behind figures; identical evidence shares one anchor."""

    def __init__(self, claims: Mapping[int, InfluenceClaim], codings: pd.DataFrame, segments: pd.DataFrame,
                 participants: pd.DataFrame | None, short: Mapping[str, str] | None = None) -> None:
        self.entries: list[EvidenceEntry] = []
        self._short = dict(short or {})
        self._seen: dict[tuple[str, tuple[Any, ...]], str] = {}
        self._claims = claims
        # Each passage is quoted once in the whole report: on its claim's card when it is a claim's
        # evidence, else in the first evidence entry that lists it; later entries point there.
        self._quoted: dict[tuple[str, int, int], str] = {}
        for claim in claims.values():
            for e in claim.evidence:
                self._quoted.setdefault((e.source_name, e.start, e.end), f"claim-{claim.id}")
        # Only the columns an entry shows, a list per column and each coding's position: a dict per coding
        # was 120 MB at 350,000 codings, and an entry reads only the codings it quotes.
        self._coding_columns = {c: plain_values(codings[c]) for c in CODING_COLUMNS if c in codings.columns}
        self._coding_at = {int(i): n for n, i in enumerate(codings["coding_id"].tolist())} if len(codings) else {}
        self._sources: dict[int, dict[str, Any]] = {}
        for r in records(segments):
            self._sources.setdefault(int(r["source_id"]), r)
        self._people: dict[int, dict[str, Any]] = {}
        if participants is not None and len(participants):
            for r in records(participants):
                self._people[int(r["participant_id"])] = r
        self._claim_items: dict[int, EvidenceItem] = {}

    def _add(self, kind: str, ids: Iterable[Any], title: str, build: Any) -> str | None:
        key = (kind, tuple(sorted(set(ids), key=str)))
        if not key[1]:
            return None
        if key in self._seen:
            return self._seen[key]
        anchor = f"ev-{len(self.entries) + 1}"
        self._seen[key] = anchor
        self.entries.append(EvidenceEntry(anchor, title, build(key[1])))
        return anchor

    def claim_item(self, claim: InfluenceClaim) -> EvidenceItem:
        """One line pointing at the claim's card, where its quotes are shown once for the whole report.

        Made once per claim and shared by every entry listing it (nothing changes an item once made): a
        report of 20,000 claims lists them 300,000 times, and rating each claim again was a third of it."""
        item = self._claim_items.get(claim.id)
        if item is None:
            item = self._claim_items[claim.id] = self._claim_item(claim)
        return item

    def _claim_item(self, claim: InfluenceClaim) -> EvidenceItem:
        strength, _ = explain_strength(claim.evidence)
        case = claim.case_name or ""
        against = sum(1 for e in claim.evidence if e.stance == Stance.CONTRADICTS)
        return EvidenceItem("claim", shorten(claim.change, CLAIM_LINE_CHARS), self._short.get(case, case),
                            claim_id=claim.id, claim_number=claim.number, strength=strength.value,
                            stance="contradicted" if against else "",
                            source=str(len(claim.evidence)))

    def claims(self, title: str, ids: Iterable[int]) -> str | None:
        anchor = self._add("claims", ids, title,
                           lambda k: [self.claim_item(self._claims[i]) for i in sorted(k, key=self._claim_order)
                                      if i in self._claims])
        entry = self.entries[-1] if anchor and self.entries[-1].anchor == anchor else None
        if entry is not None and len(entry.items) > COMPACT_CLAIMS and not entry.groups:
            groups: dict[str, list[EvidenceItem]] = {}
            for it in entry.items:
                groups.setdefault(it.who, []).append(it)
            entry.groups = list(groups.items())
        return anchor

    def _claim_order(self, claim_id: int) -> tuple[str, int, int]:
        c = self._claims.get(claim_id)
        if c is None:
            return ("", 0, claim_id)
        return (c.case_name or "", LEVELS.index(c.level) if c.level in LEVELS else len(LEVELS), claim_id)

    def links(self, title: str, targets: Sequence[tuple[str, str | None, int]]) -> str | None:
        """An entry pointing at other entries: a total made of per-case figures lists the cases."""
        present = [(label, anchor, n) for label, anchor, n in targets if anchor and n]
        return self._add("links", [f"{a}|{label}|{n}" for label, a, n in present], title,
                         lambda _k: [EvidenceItem("link", label, str(n), anchor=str(a)) for label, a, n in present])

    def codings(self, title: str, ids: Iterable[int]) -> str | None:
        def build(keys: tuple[int, ...]) -> list[EvidenceItem]:
            out = []
            for i in keys:
                n = self._coding_at.get(int(i))
                if n is None:
                    continue
                r = {c: values[n] for c, values in self._coding_columns.items()}
                by = who(optional_str(r.get("pseudonym")), optional_str(r.get("role")), str(r["source"]))
                where = (str(r["source"]), int(r["start"]), int(r["end"]))
                if where in self._quoted:
                    out.append(EvidenceItem("ref", "", by, str(r["source"]), anchor=self._quoted[where]))
                    continue
                self._quoted[where] = anchor_of_next
                out.append(EvidenceItem("quote", quotation(str(r["text"]), EVIDENCE_QUOTE_CHARS), by, str(r["source"])))
            return out
        anchor_of_next = f"ev-{len(self.entries) + 1}"
        return self._add("codings", ids, title, build)

    def sources(self, title: str, ids: Iterable[int]) -> str | None:
        def build(keys: tuple[int, ...]) -> list[EvidenceItem]:
            out = []
            for i in keys:
                r = self._sources.get(int(i))
                if r is not None:
                    meta = ", ".join(x for x in (str(r.get("source_kind") or "").replace("_", " "),
                                                 optional_str(r.get("source_date")) or "",
                                                 optional_str(r.get("case")) or "") if x)
                    out.append(EvidenceItem("source", str(r["source"]), meta, str(r["source"])))
            return out
        return self._add("sources", ids, title, build)

    def participants(self, title: str, ids: Iterable[int]) -> str | None:
        def build(keys: tuple[int, ...]) -> list[EvidenceItem]:
            out = []
            for i in keys:
                r = self._people.get(int(i))
                if r is not None:
                    out.append(EvidenceItem("participant", str(r.get("pseudonym") or "?"),
                                            role_label(optional_str(r.get("role"))),
                                            optional_str(r.get("case")) or ""))
            return out
        return self._add("participants", ids, title, build)
