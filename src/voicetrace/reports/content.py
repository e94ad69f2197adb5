"""What a report says, computed once from the project's frames and claims, for every output format.

The HTML, Markdown and XLSX writers only lay this out. Every figure is a :class:`Num` carrying the
anchor of an evidence entry that lists the quotes (pseudonym and role, or source name) behind it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analysis.characterisation import best_evidenced, characterise_cases, outcome, supporting_sources
from ..analysis.claims.contradictions import contradictions
from ..analysis.claims.editing import active_claims
from ..analysis.claims.profiles import (
    LEVELS,
    OUTCOMES,
    claims_frame,
    grassroots_strategic_balance,
    outcome_by_level,
)
from ..analysis.claims.strength import STRENGTHS, claim_strength, explain_strength
from ..analysis.crosscase import connections_analysis, cross_case_comparison
from ..analysis.frames import optional_str
from ..analysis.matrices import co_occurrence_pairs, enablers_barriers, framework_matrix
from ..core.cases import short_case_names as short_names
from ..core.claims import InfluenceClaim, Level, Stance
from ..core.codebook import Codebook
from ..core.memos import Memo, MemoTarget
from .findings import case_statement, findings, headline, next_steps
from .numbers import Num, sequence_names

LEVEL_LABELS = {
    Level.GRASSROOTS.value: "Grass-roots",
    Level.ORGANISATIONAL.value: "Organisation / network",
    Level.STRATEGIC.value: "Strategic commissioning",
    Level.NATIONAL.value: "National policy",
    Level.UNCLEAR.value: "Level unclear",
}
LEVEL_HELP = {
    Level.GRASSROOTS.value: "one service, ward, clinic or leaflet",
    Level.ORGANISATIONAL.value: "trust-, network- or alliance-wide",
    Level.STRATEGIC.value: "what is funded, commissioned or planned",
    Level.NATIONAL.value: "national policy, guidance or standards",
    Level.UNCLEAR.value: "the passage does not say where",
}
LEVEL_COLOURS = {
    Level.GRASSROOTS.value: "#009E73", Level.ORGANISATIONAL.value: "#56B4E9",
    Level.STRATEGIC.value: "#0072B2", Level.NATIONAL.value: "#7B3F99", Level.UNCLEAR.value: "#9a9a9a",
}
STRENGTH_LABELS = {"claimed": "Claimed", "corroborated": "Corroborated", "documented": "Documented"}
STRENGTH_HELP = {
    "claimed": "one party says so",
    "corroborated": "confirmed by a decision-maker or an independent source",
    "documented": "in a formal record such as minutes or a plan",
}
STRENGTH_COLOURS = {"claimed": "#E69F00", "corroborated": "#56B4E9", "documented": "#0072B2"}
QUOTE_CHARS = 320
EVIDENCE_QUOTE_CHARS = 200
LONG_ATTRIBUTE = 32
"""Coded passages quoted in an evidence entry are cut shorter than on a claim card: an entry is a list."""
CLAIM_LINE_CHARS = 110
COMPACT_CLAIMS = 8
"""An evidence entry with more claims than this lists them by case as numbers, not one line each:
a reader looking behind "124 grass-roots claims" wants the cases and a way in, not 124 lines."""
OUTCOME_LABELS = {"changed": "Changed", "under_way": "Under way", "not_yet": "Asked for, not yet decided",
                  "declined": "Turned down"}
OUTCOME_HELP = {"changed": "implemented or sustained", "under_way": "in progress",
                "not_yet": "proposed or planned", "declined": "not adopted"}
OUTCOME_COLOURS = {"changed": "#009E73", "under_way": "#8fd3b9", "not_yet": "#E69F00", "declined": "#c0392b"}


@dataclass
class ReportData:
    """Everything a report needs; the service layer fills it from the project database.

    ``codings`` should be the codings the analysis rests on (usually one coder's or the reconciled
    set); ``claims`` all stored claims (merged-away ones are filtered out here). ``segments`` needs
    only one row per source (a report shows sources, kinds and cases, never every segment), which
    keeps a report of a 10^6-segment project from loading the whole segments table.
    """

    project_name: str
    """The project's title (``Project.title``)."""
    codebook: Codebook
    segments: pd.DataFrame
    codings: pd.DataFrame
    cases: pd.DataFrame
    claims: list[InfluenceClaim]
    participants: pd.DataFrame | None = None
    connections: pd.DataFrame | None = None
    agreement: Mapping[str, Any] | None = None
    audit_counts: Mapping[str, int] = field(default_factory=dict)
    coders: list[str] = field(default_factory=list)
    generated_at: str = ""
    summaries: Mapping[tuple[str, str], str] | None = None
    evaluation: Mapping[str, Any] | None = None
    """``voicetrace evaluate --format json`` output, when the machine coder was evaluated."""
    project_description: str = ""
    memos: Sequence[Memo] = ()
    """The project's memos: each is shown where it belongs (project memos in the summary, case memos in
    the case profile, code memos with the framework summaries, the rest in the methods appendix)."""


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


def role_label(role: str | None) -> str:
    return (role or "").replace("_", " ")


def who(pseudonym: str | None, role: str | None, source: str) -> str:
    """How a quote is attributed: pseudonym and role for people, the source name for documents."""
    if pseudonym or role:
        return ", ".join(x for x in (pseudonym, role_label(role)) if x)
    return source


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + "…"


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
        self._codings = {int(r["coding_id"]): r for r in codings.to_dict("records")} if len(codings) else {}
        self._sources: dict[int, dict[str, Any]] = {}
        for r in segments.to_dict("records"):
            self._sources.setdefault(int(r["source_id"]), r)
        self._people: dict[int, dict[str, Any]] = {}
        if participants is not None and len(participants):
            for r in participants.to_dict("records"):
                self._people[int(r["participant_id"])] = r

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
        """One line pointing at the claim's card, where its quotes are shown once for the whole report."""
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
                r = self._codings.get(int(i))
                if r is None:
                    continue
                by = who(optional_str(r.get("pseudonym")), optional_str(r.get("role")), str(r["source"]))
                where = (str(r["source"]), int(r["start"]), int(r["end"]))
                if where in self._quoted:
                    out.append(EvidenceItem("ref", "", by, str(r["source"]), anchor=self._quoted[where]))
                    continue
                self._quoted[where] = anchor_of_next
                out.append(EvidenceItem("quote", shorten(str(r["text"]), EVIDENCE_QUOTE_CHARS), by, str(r["source"])))
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


FRIENDLY_LABELS = {
    "consultation_reference_group": "Consultation / reference group",
    "representation_on_boards": "Representation on boards",
    "producing_information": "Producing information",
    "audit_survey_visit": "Surveys, audits and visits",
    "peer_review_walkaround": "Peer review / walkarounds",
    "proactive_campaigning": "Campaigning",
    "training_professionals": "Training professionals",
    "feedback_complaints": "Feedback and complaints",
    "research_involvement": "Research involvement",
    "co_design": "Co-design",
    "unclear_activity": "Activity unclear",
    "other_domain": "Other",
    "enabler_relationships": "Open relationships",
    "enabler_experiential_knowledge_valued": "Experiential knowledge valued",
    "enabler_dedicated_resources": "Dedicated resources",
    "enabler_leadership_support": "Leadership support",
    "enabler_training_capacity": "Training for members",
    "enabler_feedback_loop": "Feedback loop",
    "barrier_tokenism": "Tokenism",
    "barrier_representativeness": "Representativeness",
    "barrier_organisational_change": "Reorganisation",
    "barrier_professional_dominance": "Professional dominance",
    "barrier_resources_time": "Lack of resources or time",
    "barrier_no_feedback_or_measurement": "No feedback or measurement",
}


def code_label(codebook: Codebook, code: str) -> str:
    """Plain-language labels for the default codebook's codes; a user's own codes keep their label."""
    if code in LEVEL_LABELS:
        return LEVEL_LABELS[code]
    if code in FRIENDLY_LABELS and (code not in codebook or codebook.get(code).label.lower().replace(" ", "_")
                                    in (code, code.replace("-", "_"))):
        return FRIENDLY_LABELS[code]
    label = codebook.get(code).label if code in codebook else code.replace("_", " ")
    for prefix in ("Enabler ", "Barrier "):
        if label.startswith(prefix):
            label = label[len(prefix):].capitalize()
    return label


def _ids(values: Any) -> list[int]:
    return [int(v) for v in values]


def build_content(data: ReportData) -> dict[str, Any]:
    """The report's figures, tables, charts' data and evidence, ready for a template."""
    claims = active_claims(data.claims)
    by_id = {c.id: c for c in claims}
    cf = claims_frame(claims)
    cb = data.codebook
    case_names = [optional_str(r.get("case")) or "" for r in data.cases.to_dict("records")] if len(data.cases) else \
        sorted({c.case_name for c in claims if c.case_name})
    short = short_names(case_names)
    ev = EvidenceIndex(by_id, data.codings, data.segments, data.participants, short)
    n_cases = len(case_names)

    def claim_num(ids: Iterable[int], title: str) -> Num:
        ids = list(ids)
        return Num(len(ids), ev.claims(title, ids))

    # ---------------- totals by level and strength
    level_ids = {lv: _ids(cf[cf["level"] == lv]["claim_id"]) for lv in LEVELS}
    strength_ids = {s: _ids(cf[cf["evidence_strength"] == s]["claim_id"]) for s in STRENGTHS}
    strategic_ids = level_ids[Level.STRATEGIC.value] + level_ids[Level.NATIONAL.value]
    strong = set(strength_ids["corroborated"]) | set(strength_ids["documented"])
    totals = {
        "all": claim_num(cf["claim_id"], "All influence claims"),
        "levels": {lv: claim_num(ids, f"Claims at {LEVEL_LABELS[lv].lower()} level") for lv, ids in level_ids.items()},
        "strengths": {s: claim_num(ids, f"{STRENGTH_LABELS[s]} claims") for s, ids in strength_ids.items()},
        "strategic": claim_num(strategic_ids, "Claims at strategic commissioning or national policy level"),
        "strategic_strong": claim_num([i for i in strategic_ids if i in strong],
                                      "Strategic or national claims that are corroborated or documented"),
        "contradicted": claim_num(_ids(cf[cf["n_contradicting"] > 0]["claim_id"]),
                                  "Claims with contradicting evidence"),
    }

    # ---------------- per case × level (stacked bars) and level × domain (heat table)
    per_case_level = []
    for case in case_names:
        sub = cf[cf["case"] == case]
        cells = {lv: claim_num(_ids(sub[sub["level"] == lv]["claim_id"]), f"{case}: {LEVEL_LABELS[lv].lower()} claims")
                 for lv in LEVELS}
        per_case_level.append({"case": case, "short": short.get(case, case), "cells": cells,
                               "total": claim_num(sub["claim_id"], f"{case}: all claims")})
    domains = [c.id for c in cb.codes_in("domain")] or sorted(set(cf["domain"]))
    domains += [d for d in sorted(set(cf["domain"])) if d not in domains]
    used_domains = [d for d in domains if (cf["domain"] == d).any()]
    heat = {}
    for d in used_domains:
        for lv in LEVELS:
            ids = _ids(cf[(cf["domain"] == d) & (cf["level"] == lv)]["claim_id"])
            heat[(d, lv)] = claim_num(ids, f"{code_label(cb, d)} at {LEVEL_LABELS[lv].lower()} level")
    domain_totals = sorted(((d, claim_num(_ids(cf[cf["domain"] == d]["claim_id"]), f"Claims about {code_label(cb, d).lower()}"))
                            for d in used_domains), key=lambda p: (-int(p[1].value), p[0]))
    strength_by_level = []
    for lv in LEVELS:
        sub = cf[cf["level"] == lv]
        if sub.empty:
            continue
        strength_by_level.append({
            "level": lv,
            "cells": {s: claim_num(_ids(sub[sub["evidence_strength"] == s]["claim_id"]),
                                   f"{STRENGTH_LABELS[s]} claims at {LEVEL_LABELS[lv].lower()} level") for s in STRENGTHS},
            "total": claim_num(sub["claim_id"], f"Claims at {LEVEL_LABELS[lv].lower()} level"),
        })

    # ---------------- where influence landed against what came of it (the study's core finding)
    ob = outcome_by_level(claims)
    outcome_of = {(r["level"], r["outcome"]): r["claim_ids"] for r in ob.to_dict("records")}
    outcomes = []
    for lv in LEVELS:
        if not level_ids[lv]:
            continue
        outcomes.append({"level": lv, "total": totals["levels"][lv], "cells": {
            o: claim_num(outcome_of.get((lv, o), []), f"{OUTCOME_LABELS[o]}: claims at {LEVEL_LABELS[lv].lower()} level")
            for o in OUTCOMES}})
    gr_level = Level.GRASSROOTS.value
    strategic_levels = (Level.STRATEGIC.value, Level.NATIONAL.value)
    core = {
        "grassroots_strong": claim_num([i for i in level_ids[gr_level] if i in strong],
                                       "Grass-roots claims that are corroborated or documented"),
        "grassroots_changed": claim_num(outcome_of.get((gr_level, "changed"), []),
                                        "Grass-roots changes made (implemented or sustained)"),
        "strategic_changed": claim_num([i for lv in strategic_levels for i in outcome_of.get((lv, "changed"), [])],
                                       "Strategic or national changes made (implemented or sustained)"),
        "strategic_unmet": claim_num([i for lv in strategic_levels for o in ("not_yet", "declined")
                                      for i in outcome_of.get((lv, o), [])],
                                     "Strategic or national claims still only asked for, or turned down"),
        "grassroots_outcomes": {o: claim_num(outcome_of.get((gr_level, o), []),
                                             f"{OUTCOME_LABELS[o]}: claims at grass-roots level") for o in OUTCOMES},
        "strategic_outcomes": {o: claim_num([i for lv in strategic_levels for i in outcome_of.get((lv, o), [])],
                                            f"{OUTCOME_LABELS[o]}: strategic or national claims") for o in OUTCOMES},
        "grassroots_domains": sorted(((d, heat[(d, gr_level)]) for d in used_domains
                                      if int(heat[(d, gr_level)].value)), key=lambda p: (-int(p[1].value), p[0]))[:3],
    }

    # ---------------- the sample
    seg = data.segments
    sources = seg.drop_duplicates("source_id") if len(seg) else seg
    kinds = []
    if len(sources):
        for kind, g in sources.groupby("source_kind", sort=True):
            kinds.append({"kind": str(kind).replace("_", " "),
                          "n": Num(len(g), ev.sources(f"Sources of kind {str(kind).replace('_', ' ')}", _ids(g["source_id"])))})
        kinds.sort(key=lambda k: (-int(k["n"].value), k["kind"]))
    people = data.participants if data.participants is not None else pd.DataFrame(
        columns=["participant_id", "pseudonym", "role", "case_id", "case"])
    roles = []
    for role, g in people.groupby("role", sort=True) if len(people) else []:
        roles.append({"role": role_label(str(role)),
                      "n": Num(len(g), ev.participants(f"Participants: {role_label(str(role))}", _ids(g["participant_id"])))})
    attr_cols = [c for c in data.cases.columns if c not in ("case_id", "case")] if len(data.cases) else []
    # Free-text attributes (why a case was sampled) go under the case name, not in a narrow column.
    long_cols = [c for c in attr_cols if max((len(_attr(v, c)) for v in data.cases[c]), default=0) > LONG_ATTRIBUTE]
    attr_cols = [c for c in attr_cols if c not in long_cols]
    case_rows = []
    for rec in data.cases.to_dict("records") if len(data.cases) else []:
        name = optional_str(rec.get("case")) or ""
        srcs = sources[sources["case"] == name] if len(sources) else sources
        ppl = people[people["case"] == name] if len(people) else people
        case_rows.append({
            "case": name, "short": short.get(name, name),
            "notes": [(_heading(c), _attr(rec.get(c), c)) for c in long_cols if _attr(rec.get(c), c)],
            "attributes": [_attr(rec.get(c), c) for c in attr_cols],
            "sources": Num(len(srcs), ev.sources(f"{name}: sources", _ids(srcs["source_id"])) if len(srcs) else None),
            "participants": Num(len(ppl), ev.participants(f"{name}: participants", _ids(ppl["participant_id"]))
                                if len(ppl) else None),
            "claims": claim_num(cf[cf["case"] == name]["claim_id"], f"{name}: all claims"),
        })
    sample = {
        "n_cases": n_cases, "attr_cols": [_heading(c) for c in attr_cols], "cases": case_rows,
        "kinds": kinds, "roles": roles,
        "n_sources": Num(len(sources), ev.sources("All sources", _ids(sources["source_id"])) if len(sources) else None),
        "n_participants": Num(len(people), ev.participants("All participants", _ids(people["participant_id"]))
                              if len(people) else None),
        "n_codings": Num(len(data.codings), None),
    }

    # ---------------- enablers and barriers
    eb = enablers_barriers(data.codings, data.segments)
    factor_codes = list(dict.fromkeys(eb["code"])) if len(eb) else []
    factors = []
    for code in factor_codes:
        sub = eb[eb["code"] == code]
        per_case = {}
        for r in sub.to_dict("records"):
            per_case[r["case"]] = Num(int(r["count"]), ev.codings(f"{r['case']}: {code_label(cb, code).lower()}",
                                                                   r["coding_ids"]))
        present = [r["case"] for r in sub.to_dict("records") if r["count"] > 0]
        exemplar = next((q for qs in sub.sort_values("count", ascending=False)["exemplars"] for q in qs), None)
        factors.append({
            "code": code, "label": code_label(cb, code), "dimension": str(sub["dimension"].iloc[0]),
            "per_case": per_case,
            "n_cases": Num(len(present), ev.links(f"{code_label(cb, code)}: the cases where it was coded",
                                                  [(f"{case}: {n.value} passage{'' if n.value == 1 else 's'}",
                                                    n.anchor, int(n.value)) for case, n in per_case.items()])),
            "cases_present": present,
            "exemplar": exemplar and {"text": shorten(exemplar["text"], 220),
                                      "who": who(exemplar["pseudonym"], exemplar["role"], exemplar["source"])},
        })

    # ---------------- per-case profiles with connections
    balance = grassroots_strategic_balance(claims)
    bal = {r["case"]: r for r in balance.to_dict("records")}
    conns = connections_analysis(data.connections, claims) if data.connections is not None and len(data.connections) \
        else pd.DataFrame(columns=["case", "target"])
    characters = {ch.case: ch for ch in characterise_cases(claims, case_names)}
    profiles = []
    for case in case_names:
        b = bal.get(case)
        sub = cf[cf["case"] == case]
        rows = []
        for lv in LEVELS:
            lsub = sub[sub["level"] == lv]
            if lsub.empty:
                continue
            rows.append({"level": lv, "total": claim_num(lsub["claim_id"], f"{case}: {LEVEL_LABELS[lv].lower()} claims"),
                         "cells": {s: claim_num(_ids(lsub[lsub["evidence_strength"] == s]["claim_id"]),
                                                f"{case}: {STRENGTH_LABELS[s].lower()} claims at {LEVEL_LABELS[lv].lower()} level")
                                   for s in STRENGTHS}})
        links = []
        for r in conns[conns["case"] == case].to_dict("records"):
            links.append({"target": r["target"], "type": str(r["target_type"]).replace("_", " "),
                          "relationship": r["relationship"], "route": r["route_label"], "match": r["match"],
                          "claims": claim_num(r["claim_ids"], f"{case}: claims through {r['target']}"),
                          "strongest": r["strongest"], "n_strategic": int(r["n_strategic"])})
        here = [f for f in factors if case in f["cases_present"]]
        row = next((r for r in case_rows if r["case"] == case), None)
        facts = [f"{h}: {v}" for h, v in zip(sample["attr_cols"], row["attributes"]) if v] if row else []
        profiles.append({
            "case": case, "short": short.get(case, case), "anchor": f"case-{len(profiles) + 1}",
            "facts": facts, "notes": row["notes"] if row else [],
            "memos": [m for m in data.memos if m.target_type == MemoTarget.CASE and m.target_id == case],
            "examples": _examples([by_id[i] for i in _ids(sub["claim_id"]) if i in by_id]),
            "n_connected": sum(1 for link in links if int(link["claims"].value)),
            "n": claim_num(sub["claim_id"], f"{case}: all claims"),
            "grassroots": claim_num(b["grassroots_claim_ids"] if b else [], f"{case}: grass-roots claims"),
            "strategic": claim_num(b["strategic_claim_ids"] if b else [], f"{case}: strategic or national claims"),
            "strategic_strong": claim_num(b["strategic_corroborated_claim_ids"] if b else [],
                                          f"{case}: corroborated or documented strategic claims"),
            "balance": b["balance"] if b else "none", "rows": rows, "connections": links,
            "character": characters[case],
            "recorded": claim_num(characters[case].recorded_ids,
                                  f"{case}: claims with a passage in minutes, a strategy or a work plan"),
            "enablers": [(f["label"], f["per_case"][case]) for f in here if f["dimension"] == "enabler"],
            "barriers": [(f["label"], f["per_case"][case]) for f in here if f["dimension"] == "barrier"],
        })

    for prof in profiles:
        prof["statement"] = case_statement(prof)

    # ---------------- cross-case synthesis
    comp = cross_case_comparison(data.cases, claims, data.codings) if len(data.cases) else pd.DataFrame()
    comparison = []
    for r in comp.to_dict("records"):
        comparison.append({
            "attribute": r["attribute"], "value": r["value"], "n_cases": r["n_cases"], "cases": r["cases"],
            "n_any": Num(r["n_strategic_any"], ev.claims(f"{r['attribute']} = {r['value']}: strategic claims",
                                                         [c.id for c in claims if c.case_name in r["cases"]
                                                          and c.level in (Level.STRATEGIC.value, Level.NATIONAL.value)])),
            "first": not comparison or comparison[-1]["attribute"] != r["attribute"],
            "n_strong": Num(r["n_strategic_corroborated"],
                            ev.claims(f"{r['attribute']} = {r['value']}: corroborated strategic claims", r["claim_ids"])),
            "cases_strong": r["cases_strategic_corroborated"],
        })
    pairs = co_occurrence_pairs(data.codings) if len(data.codings) else pd.DataFrame()
    co = []
    if len(pairs):
        dims = dict(zip(data.codings["code"], data.codings["dimension"]))
        factor_dims = {"enabler", "barrier"}
        interesting = pairs[pairs.apply(lambda r: dims.get(r["code_a"]) in factor_dims
                                        and dims.get(r["code_b"]) in factor_dims, axis=1)]
        for r in interesting.head(8).to_dict("records"):
            co.append({"a": code_label(cb, r["code_a"]), "b": code_label(cb, r["code_b"]),
                       "n": Num(int(r["n"]), ev.codings(f"Passages coded both {code_label(cb, r['code_a']).lower()} "
                                                        f"and {code_label(cb, r['code_b']).lower()}", r["coding_ids"]))})

    activity_codes = [c.id for c in cb.codes_in("activity")]
    act_matrix = framework_matrix(data.codings, data.segments, codes=activity_codes,
                                  summaries=data.summaries) if len(data.codings) else pd.DataFrame()
    activities = []
    for code in activity_codes:
        sub = act_matrix[act_matrix["code"] == code] if len(act_matrix) else act_matrix
        if not len(sub) or int(sub["count"].sum()) == 0:
            continue
        activities.append({"label": code_label(cb, code),
                           "per_case": {r["case"]: Num(int(r["count"]), ev.codings(f"{r['case']}: {code_label(cb, code).lower()}",
                                                                                  r["coding_ids"]))
                                        for r in sub.to_dict("records")}})

    # ---------------- claims list
    claim_cards = []
    for c in sorted(claims, key=lambda c: (c.case_name or "", LEVELS.index(c.level) if c.level in LEVELS else 9, c.id)):
        strength, why = explain_strength(c.evidence)
        claim_cards.append({
            "id": c.number if c.number is not None else c.id, "anchor": f"claim-{c.id}",
            "case": c.case_name or "(no case)", "change": c.change,
            "level": c.level, "level_label": LEVEL_LABELS.get(c.level, c.level),
            "domain": code_label(cb, c.domain), "activity": code_label(cb, c.activity),
            "status": c.status.replace("_", " "), "date": c.date, "strength": strength.value, "why": why,
            "support": [_quote(e) for e in c.evidence if e.stance == Stance.SUPPORTS],
            "against": [_quote(e) for e in contradictions(c)], "note": c.note.split(" Parts: ")[0], "edited_by": c.edited_by,
            "short": short.get(c.case_name or "", c.case_name or "(no case)"),
        })
    claim_groups: list[dict[str, Any]] = []
    for card in claim_cards:
        if not claim_groups or claim_groups[-1]["case"] != card["case"]:
            claim_groups.append({"case": card["case"], "short": card["short"],
                                 "anchor": f"claims-{len(claim_groups) + 1}", "claims": []})
        claim_groups[-1]["claims"].append(card)
    contested = [card for card in claim_cards if card["against"]]

    content: dict[str, Any] = {
        "project": data.project_name, "description": data.project_description,
        "generated_at": data.generated_at, "totals": totals,
        "per_case_level": per_case_level, "heat": heat, "domains": used_domains, "domain_totals": domain_totals,
        "strength_by_level": strength_by_level, "sample": sample, "factors": factors, "profiles": profiles,
        "comparison": comparison, "co_occurrence": co, "activities": activities, "claims": claim_cards,
        "project_memos": [m for m in data.memos if m.target_type == MemoTarget.PROJECT],
        "code_memos": [(code_label(cb, m.target_id or ""), m) for m in data.memos if m.target_type == MemoTarget.CODE],
        "other_memos": [m for m in data.memos if m.target_type not in (MemoTarget.PROJECT, MemoTarget.CASE,
                                                                       MemoTarget.CODE)
                        or (m.target_type == MemoTarget.CASE and m.target_id not in case_names)],
        "cell_summaries": [{"case": case, "code": code_label(cb, code), "summary": text}
                           for (case, code), text in sorted((data.summaries or {}).items()) if str(text).strip()],
        "case_names": case_names, "n_cases": n_cases, "evidence": ev.entries, "short": short,
        "case_columns": [(name, short.get(name, name)) for name in case_names],
        "factor_max": max([int(n.value) for f in factors for n in f["per_case"].values()] + [1]),
        "activity_max": max([int(n.value) for a in activities for n in a["per_case"].values()] + [1]),
        "claim_groups": claim_groups, "contested": contested, "core": core, "outcomes": outcomes,
        "outcome_keys": list(OUTCOMES), "outcome_labels": OUTCOME_LABELS, "outcome_help": OUTCOME_HELP,
        "outcome_colours": OUTCOME_COLOURS,
        "methods": _methods(data), "levels": LEVELS, "strengths": STRENGTHS,
        "level_labels": LEVEL_LABELS, "level_help": LEVEL_HELP, "level_colours": LEVEL_COLOURS,
        "strength_labels": STRENGTH_LABELS, "strength_help": STRENGTH_HELP, "strength_colours": STRENGTH_COLOURS,
        "code_label": lambda code: code_label(cb, code),
    }

    def case_num(names: Sequence[str], column: str, title: str) -> Num:
        """A count of cases whose evidence is the named claims of those cases."""
        ids: list[int] = []
        for name in names:
            row = bal.get(name)
            if row is not None:
                ids += list(row[column]) if column != "all_claim_ids" else _ids(cf[cf["case"] == name]["claim_id"])
        return Num(len(names), ev.claims(title, ids) if ids else None)

    content["case_num"] = case_num
    content["findings"] = findings(content)
    content["headline"] = headline(content)
    content["next_steps"] = next_steps(content)
    return content


def _examples(claims: Sequence[InfluenceClaim]) -> list[dict[str, Any]]:
    """A case's best-evidenced strategic change and best-evidenced grass-roots change, as a way in."""
    out = []
    for levels, label in (((Level.STRATEGIC.value, Level.NATIONAL.value), "Strategic"),
                          ((Level.GRASSROOTS.value,), "Grass-roots")):
        for best in best_evidenced(claims, 1, levels=levels):
            out.append(example(best, label))
    return out


def example(claim: InfluenceClaim, label: str = "") -> dict[str, Any]:
    """A claim as one line of a list of best-evidenced changes."""
    return {"label": label, "id": claim.id, "anchor": f"claim-{claim.id}", "change": shorten(claim.change, 150),
            "strength": claim_strength(claim).value, "status": claim.status.replace("_", " "),
            "outcome": outcome(claim), "n_sources": supporting_sources(claim)}


def _quote(e: Any) -> dict[str, str]:
    return {"text": shorten(e.text, 600), "who": who(e.speaker, e.speaker_role, e.source_name),
            "source": e.source_name, "kind": e.source_kind.replace("_", " ")}


def _attr(value: Any, column: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column.endswith("_gbp") and isinstance(value, (int, float)):
        return f"£{value:,.0f}"
    return str(value)


def _heading(column: str) -> str:
    text = column.replace("_gbp", " (£)").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _figure(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "–" if value is None else str(value)
    if isinstance(value, float) and pd.isna(value):
        return "–"
    return f"{value:.2f}" if isinstance(value, (int, float)) else str(value)


AGREEMENT_LABELS = {"percent_agreement": "Percent agreement", "cohen_kappa": "Cohen's kappa",
                    "krippendorff_alpha": "Krippendorff's alpha"}
EVALUATION_DIMENSIONS = ["claim", "level", "domain", "activity", "evidence", "status", "enabler", "barrier"]


def _agreement(agreement: Mapping[str, Any], codebook: Codebook) -> dict[str, Any]:
    """The CLI's agreement JSON ({"unit", "coders", "overall", "per_code"}) as rows for a table."""
    overall = agreement.get("overall", {}) or {}
    metrics = [k for k in AGREEMENT_LABELS if k in overall] + [k for k in overall if k not in AGREEMENT_LABELS]
    per_code = agreement.get("per_code", {}) or {}
    if isinstance(per_code, Mapping):
        for fig in per_code.values():
            if isinstance(fig, Mapping):
                metrics += [k for k in fig if k not in metrics]
    rows = []
    for code, fig in sorted(per_code.items(), key=lambda kv: str(kv[0])) if isinstance(per_code, Mapping) else []:
        if isinstance(fig, Mapping):
            rows.append({"code": code_label(codebook, str(code)), "figures": [_figure(fig.get(m)) for m in metrics]})
    return {
        "unit": str(agreement.get("unit", "")), "coders": sequence_names([str(x) for x in agreement.get("coders", []) or []]),
        "figures": [(AGREEMENT_LABELS.get(k, k.replace("_", " ")), _figure(v)) for k, v in overall.items()],
        "metrics": [AGREEMENT_LABELS.get(m, m.replace("_", " ")) for m in metrics],
        "per_code": rows,
    }


def _evaluation(evaluation: Mapping[str, Any]) -> dict[str, Any] | None:
    """``voicetrace evaluate --format json``: macro-F1 per suggester and dimension, the combined kappa."""
    suggesters = evaluation.get("suggesters") or {}
    if not isinstance(suggesters, Mapping) or not suggesters:
        return None
    dims = [d for d in EVALUATION_DIMENSIONS
            if any(d in ((r or {}).get("per_dimension") or {}) for r in suggesters.values() if isinstance(r, Mapping))]
    rows = []
    for name, r in suggesters.items():
        per = (r or {}).get("per_dimension", {}) if isinstance(r, Mapping) else {}
        rows.append({"name": str(name), "f1": [_figure((per.get(d) or {}).get("macro_f1")) for d in dims],
                     "kappa": [_figure((per.get(d) or {}).get("kappa")) for d in dims]})
    return {"gold": str(evaluation.get("gold", "")), "segments": evaluation.get("segments", ""),
            "folds": evaluation.get("folds", ""), "grouped_by": str(evaluation.get("grouped_by", "") or ""),
            "dims": dims, "rows": rows}


def _methods(data: ReportData) -> dict[str, Any]:
    return {
        "codebook": data.codebook.name, "codebook_version": data.codebook.version,
        "coders": list(data.coders),
        "agreement": _agreement(data.agreement, data.codebook) if data.agreement else None,
        "evaluation": _evaluation(data.evaluation) if data.evaluation else None,
        "audit": [(str(k).replace("_", " "), v) for k, v in sorted(data.audit_counts.items())],
        "n_codings": len(data.codings),
    }
