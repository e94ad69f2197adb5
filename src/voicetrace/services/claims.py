"""Influence claims: proposed from codings, stored with their evidence, then owned by people.

Claims are proposed by rules (analysis.claims.proposal) from coded segments; an edited claim survives a
rebuild, merges are reversible, and evidence strength is computed from the evidence by the rules. What a
person may change, and what an edit or a stance means for the claim, are the rules in analysis.claims
(editing, merging); this service checks values against the codebook and persists the result.
Evidence strength is stored with each claim for the ledger's filter; storage triggers forget it whenever
what it is computed from changes, and this service rates forgotten claims again (at its own writes, or
before a filter).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..analysis.claims import editing, merging, proposal, strength
from ..analysis.claims.drafts import drafts_to_claims
from ..analysis.claims.items import ITEM_KINDS, RESPONSE_KINDS, ItemIndex
from ..analysis.claims.turns import TurnIndex
from ..core.claims import ClaimPage, ClaimStatus, Evidence, InfluenceClaim, Stance
from ..core.codebook import Codebook
from ..core.codings import check_span
from ..core.errors import InputError, NotFound
from ..storage import claims as store
from ..storage.segments import span_text_and_segment
from .context import Context
from .sources import Sources

if TYPE_CHECKING:
    from .coding import Coding


Span = tuple[int, int, int]


def _earlier_numbers(before: dict[int, set[Span]]) -> dict[Span, list[int]]:
    """Which earlier claims (by number) held each passage: the index :func:`_earlier_number` reads."""
    index: dict[Span, list[int]] = {}
    for number, spans in before.items():
        for span in spans:
            index.setdefault(span, []).append(number)
    return index


def _earlier_number(index: dict[Span, list[int]], spans: set[Span]) -> int | None:
    """The number of the earlier claim that shared most evidence with this one (the lowest number of a
    tie): a rebuild keeps "claim 12" meaning the same change. Read through the passages' index, so a
    claim costs its own evidence, not a pass over every earlier claim."""
    shared = Counter(n for span in spans for n in index.get(span, ()))
    return min(shared, key=lambda n: (-shared[n], n)) if shared else None


def _claim_row(c: InfluenceClaim, origin: str) -> dict[str, Any]:
    return {"case_id": c.case_id, "activity": c.activity, "change": c.change, "level": c.level,
            "domain": c.domain, "status": c.status, "date": c.date, "origin": origin, "edited_by": c.edited_by,
            "note": c.note or ""}


def check_dimension_code(cb: Codebook, value: str, dim: str, subject: str) -> None:
    """A claim's (or an impact entry's) level, domain or activity is a code of that dimension."""
    if value not in {c.id for c in cb.codes_in(dim)}:
        raise InputError(subject, f"{value!r} is not a {dim} code")


def _evidence_by_claim(rows: Sequence[Any]) -> dict[int, list[Evidence]]:
    """Stored evidence rows as Evidence, per claim id."""
    by_claim: dict[int, list[Evidence]] = {}
    # One string object per distinct source name, kind, speaker ... (the driver makes one per row: at
    # 200,000 evidence items those copies were 100 MB of a report's memory).
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    stances = {s.value: s for s in Stance}
    for e in rows:
        by_claim.setdefault(e.claim_id, []).append(Evidence(
            id=e.id, claim_id=e.claim_id, source_id=e.source_id, source_name=one(e.source_name, e.source_name),
            start=e.start, end=e.end, text=e.text, stance=stances.get(e.stance) or Stance(e.stance),
            source_type=one(e.source_type, e.source_type), source_kind=one(e.source_kind, e.source_kind),
            speaker=one(e.speaker, e.speaker), speaker_role=one(e.speaker_role, e.speaker_role),
            coded_strength=one(e.coded_strength, e.coded_strength)))
    return by_claim


def _stance(value: str) -> Stance:
    try:
        return Stance(value)
    except ValueError:
        raise InputError("stance", "supports or contradicts") from None


class Claims:
    """Build, read and edit influence claims and their evidence; the framework matrix's cell summaries.

    Claims are built from the segments (``sources``) people coded (``coding``).
    """

    def __init__(self, ctx: Context, sources: Sources, coding: Coding) -> None:
        self.ctx = ctx
        self._sources = sources
        self._coding = coding

    # ---- building ------------------------------------------------------------------------------
    def build_claims(self, coder: str | None = None, by: str | None = None,
                     coders: Sequence[str] | None = None) -> int:
        """Propose claims from coded segments, replacing earlier proposals nobody has edited."""
        by = by or self.ctx.coder()
        cods = self._coding.codings_frame(coder)
        segs = self._sources.segments_frame(coded_only=True)
        if coders:
            cods = cods[cods.coder.isin(list(coders))]
        items = ItemIndex(self._sources.paragraph_openings(ITEM_KINDS | RESPONSE_KINDS))
        turns = TurnIndex(self._sources.transcript_turns())
        drafts = proposal.propose_claims(segs, cods, self.ctx.codebook(), coder=None, items=items, turns=turns)
        claims = drafts_to_claims(drafts)
        with self.ctx.db.begin() as conn:
            kept_spans = store.kept_claim_spans(conn)
            earlier = _earlier_numbers(store.active_claim_spans(conn))
            store.delete_unkept_claims(conn)
            fresh = [c for c in claims
                     if not (kept_spans and any((e.source_id, e.start, e.end) in kept_spans for e in c.evidence))]
            idmap = self._insert_claims(conn, fresh, origin="proposed")
            active = [idmap[c.id] for c in fresh if c.merged_into is None]
            wanted: dict[int, int] = {}
            for c in fresh:
                if c.merged_into is None:
                    number = _earlier_number(earlier, {(e.source_id, e.start, e.end) for e in c.evidence})
                    if number is not None:
                        wanted[idmap[c.id]] = number
            # An earlier number is kept while it stays within the ledger's size: numbers are stable,
            # and a ledger of 75 claims does not show "claim 240".
            cap = len(active) + store.count_active_claims(conn, exclude=active)
            store.number_claims(conn, active, {k: v for k, v in wanted.items() if v <= cap})
            self._store_strengths(conn)
            n = len(active)
            self.ctx.db.log(conn, by, "build_claims", "claim", None, claims=n, coder=coder, drafts=len(drafts))
        return n

    def ensure_claims(self, coder: str | None = None, *, rebuild: bool = False, by: str | None = None) -> int | None:
        """Build claims when asked to, or when there are none yet but there are codings to build from:
        what every reading of claims (ledger, analyses, report) needs first. The number built, or None."""
        if rebuild or (not self.claims(include_merged=True) and self._coding.coding_count()):
            return self.build_claims(coder=coder, by=by)
        return None

    @staticmethod
    def _insert_claims(conn: Any, claims: Sequence[InfluenceClaim], origin: str) -> dict[int, int]:
        """Store claims and their evidence in bulk; the new id of each claim, by its draft id.

        A part names the claim it is merged into by draft id, so claims go in waves: first those merged
        into nothing, then the parts whose claim has its id. A part whose claim is not stored (a person
        kept its passages) stands alone."""
        idmap: dict[int, int] = {}
        waiting = list(claims)
        while waiting:
            ready = [c for c in waiting if c.merged_into is None or c.merged_into in idmap] or waiting
            rows = [{**_claim_row(c, origin), "merged_into": idmap.get(c.merged_into) if c.merged_into else None}
                    for c in ready]
            idmap.update(zip([c.id for c in ready], store.insert_claims(conn, rows), strict=True))
            taken = {id(c) for c in ready}
            waiting = [c for c in waiting if id(c) not in taken]
        store.insert_evidence_rows(conn, [
            {"claim_id": idmap[c.id], "source_id": e.source_id, "start": e.start, "end": e.end,
             "stance": e.stance.value, "coded_strength": e.coded_strength} for c in claims for e in c.evidence])
        return idmap

    @staticmethod
    def _insert_evidence(conn: Any, claim_id: int, source_id: int, start: int, end: int,
                         stance: str, coded_strength: str | None) -> int:
        snippet, seg = span_text_and_segment(conn, source_id, start, end)
        return store.insert_evidence(conn, claim_id, source_id, seg, start, end, snippet, stance, coded_strength)

    # ---- reading -------------------------------------------------------------------------------
    def claims(self, include_merged: bool = False, ids: Sequence[int] | None = None) -> list[InfluenceClaim]:
        """Claims with their evidence: the active ones (or all), or just the given ids."""
        active = not include_merged and ids is None  # only those read, not read and then left out
        with self.ctx.db.read() as conn:
            rows = store.claim_rows(conn, ids, active=active)
            by_claim = _evidence_by_claim(store.evidence_rows(conn, ids, active=active))
        out = [InfluenceClaim(id=r.id, case_id=r.case_id, case_name=r.case_name, activity=r.activity,
                              change=r.change, level=r.level, domain=r.domain, status=r.status, date=r.date,
                              evidence=by_claim.get(r.id, []), merged_into=r.merged_into, edited_by=r.edited_by,
                              note=r.note, number=getattr(r, "number", None)) for r in rows]
        return out if include_merged or ids is not None else editing.active_claims(out)

    @staticmethod
    def _rate(conn: Any, ids: Sequence[int]) -> dict[int, str]:
        """The strength of each claim by the rules, from its evidence as ``conn`` sees it."""
        by_claim = _evidence_by_claim(store.evidence_rows(conn, ids)) if ids else {}
        return {i: strength.evidence_strength(by_claim.get(i, [])).value for i in ids}

    def _store_strengths(self, conn: Any) -> None:
        """Rate and store every active claim whose strength is not stored (new claims, or claims whose
        evidence, source kind or speaker role changed since: the triggers of migration 9 forgot theirs).
        Every write of this service that touches evidence ends with this, in its own transaction."""
        store.set_claim_strengths(conn, self._rate(conn, store.unrated_claim_ids(conn)))

    def _rated_in_memory(self) -> list[tuple[int, str]]:
        """Bring stored strengths up to date before a strength filter reads them: rate the unrated claims
        and store them; in a read-only project, where nothing may be stored, return them instead."""
        with self.ctx.db.read() as conn:
            if not store.unrated_claim_ids(conn):
                return []
            if self.ctx.db.read_only:
                return list(self._rate(conn, store.unrated_claim_ids(conn)).items())
        with self.ctx.db.begin() as conn:
            self._store_strengths(conn)
        return []

    def claims_page(self, *, case: str = "", level: str = "", domain: str = "", status: str = "",
                    words: str = "", strength: str = "", offset: int = 0, limit: int = 50) -> ClaimPage:
        """One page of the active claims that match the ledger's filters, in id order, with the counts.

        Case, level, domain, status and strength are filtered, counted and paged by SQL (strength is
        stored with each claim and rated again when its evidence changes), and only the page's claims
        are read with their evidence. Words (case-insensitive, in the change, note and activity) read
        those columns of the claims that pass the other filters.
        """
        rated: list[int] = []
        if strength:
            rated = [i for i, s in self._rated_in_memory() if s == strength]
        filters = {"case": case, "level": level, "domain": domain, "status": status, "strength": strength}
        offset, limit = max(0, offset), max(1, limit)
        with self.ctx.db.read() as conn:
            total = store.count_active_claims(conn)
            if not words.strip():
                ids, matched = store.filtered_claim_ids(conn, **filters, rated=rated, offset=offset, limit=limit)
            else:
                needle = words.strip().lower()
                picked = [int(r.id) for r in store.filtered_claim_words(conn, **filters, rated=rated)
                          if needle in f"{r.change} {r.note} {r.activity}".lower()]
                matched = len(picked)
                ids = picked[offset:offset + limit]
        return ClaimPage(claims=self.claims(ids=ids) if ids else [], matched=matched, total=total)

    def claim_by_number(self, number: int) -> InfluenceClaim:
        """The claim people call "claim N" (its display number, as the ledger and reports show it)."""
        with self.ctx.db.read() as conn:
            cid = store.claim_id_by_number(conn, int(number))
        if cid is None:
            raise NotFound(f"no claim numbered {number}")
        return self.claim(cid)

    def claim_parts(self, claim_id: int) -> list[InfluenceClaim]:
        """The claims folded into a merged claim (empty for a claim made of one passage)."""
        with self.ctx.db.read() as conn:
            ids = store.merged_parts(conn, claim_id)
        return self.claims(ids=ids) if ids else []

    def claim(self, claim_id: int) -> InfluenceClaim:
        found = self.claims(ids=[claim_id])
        if not found:
            raise NotFound(f"unknown claim {claim_id}")
        return found[0]

    def check_known(self, claim_ids: Sequence[int], subject: str = "--claim") -> None:
        """Every id names a claim (active or merged): what an entry that cites claims needs."""
        with self.ctx.db.read() as conn:
            known = store.known_claim_ids(conn, claim_ids) if claim_ids else set()
        missing = [c for c in claim_ids if c not in known]
        if missing:
            raise InputError(subject, f"unknown claim {missing[0]}")

    @staticmethod
    def claim_strength(claim: InfluenceClaim) -> tuple[str, str]:
        """Evidence strength by the documented rules, with the reason in words."""
        rated, why = strength.explain_strength(claim.evidence)
        return rated.value, why

    def claims_json(self) -> list[dict[str, Any]]:
        """The CLI contract's `claims --format jsonl` records."""
        out = []
        for c in self.claims():
            out.append({"id": c.id, "number": c.number, "case": c.case_name, "activity": c.activity, "change": c.change,
                        "level": c.level, "domain": c.domain, "status": c.status,
                        "evidence_strength": strength.claim_strength(c).value,
                        "evidence": [{"source": e.source_name, "start": e.start, "end": e.end, "text": e.text,
                                      "stance": e.stance.value, "speaker": e.speaker, "role": e.speaker_role}
                                     for e in c.evidence]})
        return out

    # ---- editing -------------------------------------------------------------------------------
    def _check_values(self, fields: dict[str, Any]) -> None:
        """Codes must be the codebook's, the status a known one, and the change said in words."""
        cb = self.ctx.codebook()
        for dim in ("level", "domain", "activity"):
            if dim in fields:
                check_dimension_code(cb, fields[dim], dim, dim)
        if "status" in fields:
            try:
                ClaimStatus(fields["status"])
            except ValueError:
                raise InputError("status", f"unknown status {fields['status']!r}") from None
        if "change" in fields and not str(fields["change"]).strip():
            raise InputError("change", "a claim needs a description of the change")

    def add_claim(self, case: str, change: str, level: str, domain: str, activity: str = "unclear_activity",
                  status: str = "implemented", by: str = "user", date: str | None = None) -> InfluenceClaim:
        fields = {"change": change, "level": level, "domain": domain, "activity": activity, "status": status}
        self._check_values(fields)
        with self.ctx.db.begin() as conn:
            case_id = self.ctx.case_id(conn, case, create=False)
            cid = store.insert_claim(conn, case_id=case_id, activity=activity, change=change, level=level, domain=domain,
                                     status=status, date=date, origin="manual", edited_by=by)
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "add_claim", "claim", cid, **fields)
        return self.claim(cid)

    def update_claim(self, claim_id: int, by: str, **fields: Any) -> InfluenceClaim:
        try:
            edited = editing.edit_claim(self.claim(claim_id), by, **fields)
        except ValueError as e:
            raise InputError("claim", str(e)) from None
        self._check_values(fields)
        with self.ctx.db.begin() as conn:
            store.update_claim(conn, claim_id, edited_by=edited.edited_by,
                               **{key: getattr(edited, key) for key in fields})
            self.ctx.db.log(conn, by, "edit_claim", "claim", claim_id, **fields)
        return self.claim(claim_id)

    def link_evidence(self, claim_id: int, source: str, start: int, end: int,
                      stance: str = "supports", by: str = "user") -> InfluenceClaim:
        self.claim(claim_id)
        st = _stance(stance)
        info = self._sources.source(source)
        check_span(info.chars, start, end, f"{info.name} [{start}, {end})")
        with self.ctx.db.begin() as conn:
            eid = self._insert_evidence(conn, claim_id, info.id, start, end, st.value, None)
            store.update_claim(conn, claim_id, edited_by=by)
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "link_evidence", "claim", claim_id, evidence_id=eid, source=info.name,
                            start=start, end=end, stance=st.value)
        return self.claim(claim_id)

    def _claim_of_evidence(self, conn: Any, evidence_id: int) -> int:
        claim_id = store.evidence_claim_id(conn, evidence_id)
        if claim_id is None:
            raise NotFound(f"unknown evidence item {evidence_id}")
        return claim_id

    def unlink_evidence(self, evidence_id: int, by: str = "user") -> None:
        with self.ctx.db.begin() as conn:
            claim_id = self._claim_of_evidence(conn, evidence_id)
            store.delete_evidence(conn, evidence_id)
            store.update_claim(conn, claim_id, edited_by=by)
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "unlink_evidence", "claim", claim_id, evidence_id=evidence_id)

    def set_stance(self, evidence_id: int, stance: str, by: str = "user") -> None:
        st = _stance(stance)
        with self.ctx.db.read() as conn:
            claim_id = self._claim_of_evidence(conn, evidence_id)
        marked = editing.mark_stance(self.claim(claim_id), evidence_id, st, by)
        with self.ctx.db.begin() as conn:
            store.set_evidence_stance(conn, evidence_id, st.value)
            store.update_claim(conn, claim_id, edited_by=marked.edited_by)
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "set_stance", "claim", claim_id, evidence_id=evidence_id, stance=st.value)

    def merge_claims(self, claim_ids: Sequence[int], by: str = "user") -> InfluenceClaim:
        parts = [self.claim(i) for i in claim_ids]
        if any(p.merged_into is not None for p in parts):
            raise InputError("merge", "a claim that is already merged cannot be merged again; unmerge first")
        try:
            merged = merging.merge_claims(parts, new_id=0, by=by)[0]
        except ValueError as e:
            raise InputError("merge", str(e)) from None
        with self.ctx.db.begin() as conn:
            new_id = self._insert_claims(conn, [merged], origin="manual")[merged.id]
            store.update_claim(conn, list(claim_ids), merged_into=new_id)
            numbers = [p.number for p in parts if p.number is not None]
            if numbers:  # the merge is called by the lowest number of its parts; the parts keep theirs
                store.update_claim(conn, new_id, number=min(numbers))
            else:
                store.number_claims(conn, [new_id])
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "merge_claims", "claim", new_id, parts=list(claim_ids))
        return self.claim(new_id)

    def unmerge_claim(self, claim_id: int, by: str = "user") -> list[InfluenceClaim]:
        merged = self.claim(claim_id)
        parts = merging.unmerge_claim(merged, self.claim_parts(claim_id))
        if not parts:
            raise InputError(f"claim {claim_id}", "is not a merge of other claims")
        with self.ctx.db.begin() as conn:
            # A split is a person's decision: the parts count as edited, so a rebuild keeps them apart.
            store.unfold_parts(conn, merged.id, by)
            store.delete_claim(conn, merged.id)
            # Parts with no number of their own (proposed together) are numbered now: the first takes
            # the merged claim's number, so "claim 12" still names part of the same change.
            unnumbered = [p.id for p in sorted(parts, key=lambda p: p.id) if p.number is None]
            store.number_claims(conn, unnumbered,
                                {unnumbered[0]: merged.number} if unnumbered and merged.number else {})
            self._store_strengths(conn)
            self.ctx.db.log(conn, by, "unmerge_claim", "claim", claim_id, parts=[p.id for p in parts])
        return [self.claim(p.id) for p in parts]

    # ---- the framework matrix's cell summaries --------------------------------------------------
    def set_cell_summary(self, case: str, code: str, summary: str, by: str = "user") -> None:
        if code not in self.ctx.codebook():
            raise InputError(code, "unknown code id")
        with self.ctx.db.begin() as conn:
            case_id = self.ctx.case_id(conn, case, create=False)
            store.set_cell_summary(conn, case_id, code, summary, by)
            self.ctx.db.log(conn, by, "set_cell_summary", "matrix", f"{case}/{code}")

    def cell_summaries(self) -> dict[tuple[str, str], str]:
        with self.ctx.db.read() as conn:
            return store.cell_summaries(conn)
