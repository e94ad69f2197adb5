"""What a report says, computed once from the project's frames and claims, for every output format.

One builder per section (see :mod:`voicetrace.reports.sections`), called in the report's order so the
evidence entries are numbered as a reader meets them; :func:`build_content` composes them. The HTML,
board, Markdown and XLSX writers only lay the result out. Every figure is a :class:`Num` carrying the
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
from ..analysis.matrices import MATRIX_COLUMNS, co_occurrence_pairs, framework_matrix
from ..core.cases import short_case_names
from ..core.claims import Evidence, InfluenceClaim, Level, Stance
from ..core.codebook import Codebook
from ..core.memos import Memo, MemoTarget
from .evidence import EvidenceIndex
from .findings import case_statement, findings, headline, next_steps
from .labels import (
    LEVEL_LABELS,
    OUTCOME_LABELS,
    STRENGTH_LABELS,
    code_label,
    quotation,
    role_label,
    shorten,
    who,
)
from .numbers import Num, sequence_names
from .sections import (
    Activities,
    Activity,
    Agreement,
    CaseLevels,
    CaseProfile,
    CellSummary,
    ClaimCard,
    ClaimGroup,
    ClaimsSection,
    ComparisonRow,
    Evaluation,
    Example,
    Factor,
    Factors,
    FrameworkMatrix,
    KindCount,
    LevelDomain,
    LevelRow,
    MainFinding,
    Methods,
    Pair,
    ProfileConnection,
    ProfileRow,
    Quote,
    ReportContent,
    RoleCount,
    Sample,
    SampleCase,
    Summary,
    Synthesis,
    Totals,
)

LONG_ATTRIBUTE = 32
"""A case attribute longer than this (why a case was sampled) goes under the case name, not in a column."""


@dataclass
class ReportData:
    """Everything a report needs; the service layer fills it from the project database.

    ``codings`` should be the codings the analysis rests on (usually one coder's or the reconciled
    set); ``claims`` the stored claims (the service reads only the active ones; merged-away ones
    are left out here too). ``segments`` needs only one row per source (a report shows sources, kinds
    and cases, never every segment), which keeps a report of a 10^6-segment project from loading the
    whole segments table.
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




def _ids(values: Any) -> list[int]:
    return [int(v) for v in values]


@dataclass
class Basis:
    """What every section builder reads: the active claims as a frame, the cases, the evidence index."""

    data: ReportData
    claims: list[InfluenceClaim]
    by_id: dict[int, InfluenceClaim]
    frame: pd.DataFrame
    case_names: list[str]
    short: dict[str, str]
    ev: EvidenceIndex
    balance: dict[str, dict[str, Any]] = field(default_factory=dict)
    _by_case: dict[str, pd.DataFrame] | None = field(default=None, repr=False)
    _groups: dict[tuple[str, ...], dict[tuple[Any, ...], list[int]]] = field(default_factory=dict, repr=False)

    @property
    def codebook(self) -> Codebook:
        return self.data.codebook

    def label(self, code: str) -> str:
        return code_label(self.data.codebook, code)

    def of_case(self, name: str) -> pd.DataFrame:
        """The claims frame's rows of one case. Grouped once: every section walks the cases, and a mask
        over every claim per case made a report of 700 cases and 20,000 claims quadratic."""
        if self._by_case is None:
            self._by_case = {str(k): g for k, g in self.frame.groupby("case", sort=False)} \
                if len(self.frame) else {}
        return self._by_case.get(name, self.frame.iloc[0:0])

    def ids_by(self, *columns: str) -> dict[tuple[Any, ...], list[int]]:
        """Claim ids grouped by the values of ``columns`` (in frame order), grouped once per set of
        columns: the per-case, per-level and per-strength cells of the profiles read this instead of
        filtering a small frame per cell (pandas' cost per filter, times every cell of 700 cases)."""
        if columns not in self._groups:
            groups: dict[tuple[Any, ...], list[int]] = {}
            if len(self.frame):
                for key, cid in zip(zip(*(self.frame[c] for c in columns)), self.frame["claim_id"], strict=True):
                    groups.setdefault(key, []).append(int(cid))
            self._groups[columns] = groups
        return self._groups[columns]

    def claim_num(self, ids: Iterable[int], title: str) -> Num:
        ids = list(ids)
        return Num(len(ids), self.ev.claims(title, ids))

    def case_num(self, names: Sequence[str], column: str, title: str) -> Num:
        """A count of cases whose evidence is the named claims of those cases."""
        ids: list[int] = []
        for name in names:
            row = self.balance.get(name)
            if row is not None:
                ids += list(row[column]) if column != "all_claim_ids" else \
                    _ids(self.of_case(name)["claim_id"])
        return Num(len(names), self.ev.claims(title, ids) if ids else None)


def basis(data: ReportData) -> Basis:
    claims = active_claims(data.claims)
    by_id = {c.id: c for c in claims}
    case_names = [optional_str(r.get("case")) or "" for r in data.cases.to_dict("records")] if len(data.cases) else \
        sorted({c.case_name for c in claims if c.case_name})
    short = short_case_names(case_names)
    ev = EvidenceIndex(by_id, data.codings, data.segments, data.participants, short)
    return Basis(data, claims, by_id, claims_frame(claims), case_names, short, ev)


def _level_ids(b: Basis) -> dict[str, list[int]]:
    cf = b.frame
    return {lv: _ids(cf[cf["level"] == lv]["claim_id"]) for lv in LEVELS}


def _strong_ids(b: Basis) -> set[int]:
    cf = b.frame
    return set(_ids(cf[cf["evidence_strength"].isin(["corroborated", "documented"])]["claim_id"]))


STRATEGIC_LEVELS = (Level.STRATEGIC.value, Level.NATIONAL.value)


def totals_section(b: Basis) -> Totals:
    cf = b.frame
    level_ids = _level_ids(b)
    strength_ids = {s: _ids(cf[cf["evidence_strength"] == s]["claim_id"]) for s in STRENGTHS}
    strategic_ids = level_ids[Level.STRATEGIC.value] + level_ids[Level.NATIONAL.value]
    strong = _strong_ids(b)
    return Totals(
        all=b.claim_num(cf["claim_id"], "All influence claims"),
        levels={lv: b.claim_num(ids, f"Claims at {LEVEL_LABELS[lv].lower()} level") for lv, ids in level_ids.items()},
        strengths={s: b.claim_num(ids, f"{STRENGTH_LABELS[s]} claims") for s, ids in strength_ids.items()},
        strategic=b.claim_num(strategic_ids, "Claims at strategic commissioning or national policy level"),
        strategic_strong=b.claim_num([i for i in strategic_ids if i in strong],
                                     "Strategic or national claims that are corroborated or documented"),
        contradicted=b.claim_num(_ids(cf[cf["n_contradicting"] > 0]["claim_id"]), "Claims with contradicting evidence"),
    )


def level_domain_section(b: Basis) -> LevelDomain:
    """Per case × level (stacked bars), level × domain (heat table), strength per level."""
    cf = b.frame
    per_case = []
    for case in b.case_names:
        sub = b.of_case(case)
        by_level = b.ids_by("case", "level")
        cells = {lv: b.claim_num(by_level.get((case, lv), []), f"{case}: {LEVEL_LABELS[lv].lower()} claims")
                 for lv in LEVELS}
        per_case.append(CaseLevels(case, b.short.get(case, case), cells, b.claim_num(sub["claim_id"], f"{case}: all claims")))
    domains = [c.id for c in b.codebook.codes_in("domain")] or sorted(set(cf["domain"]))
    domains += [d for d in sorted(set(cf["domain"])) if d not in domains]
    used_domains = [d for d in domains if (cf["domain"] == d).any()]
    heat = {}
    for d in used_domains:
        for lv in LEVELS:
            ids = _ids(cf[(cf["domain"] == d) & (cf["level"] == lv)]["claim_id"])
            heat[(d, lv)] = b.claim_num(ids, f"{b.label(d)} at {LEVEL_LABELS[lv].lower()} level")
    domain_totals = sorted(((d, b.claim_num(_ids(cf[cf["domain"] == d]["claim_id"]), f"Claims about {b.label(d).lower()}"))
                            for d in used_domains), key=lambda p: (-int(p[1].value), p[0]))
    strength_by_level = []
    for lv in LEVELS:
        sub = cf[cf["level"] == lv]
        if sub.empty:
            continue
        strength_by_level.append(LevelRow(
            level=lv,
            cells={s: b.claim_num(_ids(sub[sub["evidence_strength"] == s]["claim_id"]),
                                  f"{STRENGTH_LABELS[s]} claims at {LEVEL_LABELS[lv].lower()} level") for s in STRENGTHS},
            total=b.claim_num(sub["claim_id"], f"Claims at {LEVEL_LABELS[lv].lower()} level")))
    return LevelDomain(per_case, heat, used_domains, domain_totals, strength_by_level)


def main_finding_section(b: Basis, totals: Totals, influence: LevelDomain) -> MainFinding:
    """Where influence landed against what came of it (the study's core finding)."""
    level_ids = _level_ids(b)
    strong = _strong_ids(b)
    ob = outcome_by_level(b.claims)
    outcome_of = {(r["level"], r["outcome"]): r["claim_ids"] for r in ob.to_dict("records")}
    outcomes = []
    for lv in LEVELS:
        if not level_ids[lv]:
            continue
        outcomes.append(LevelRow(level=lv, total=totals.levels[lv], cells={
            o: b.claim_num(outcome_of.get((lv, o), []), f"{OUTCOME_LABELS[o]}: claims at {LEVEL_LABELS[lv].lower()} level")
            for o in OUTCOMES}))
    gr_level = Level.GRASSROOTS.value
    heat = influence.heat
    return MainFinding(
        outcomes=outcomes,
        grassroots_strong=b.claim_num([i for i in level_ids[gr_level] if i in strong],
                                      "Grass-roots claims that are corroborated or documented"),
        grassroots_changed=b.claim_num(outcome_of.get((gr_level, "changed"), []),
                                       "Grass-roots changes made (implemented or sustained)"),
        strategic_changed=b.claim_num([i for lv in STRATEGIC_LEVELS for i in outcome_of.get((lv, "changed"), [])],
                                      "Strategic or national changes made (implemented or sustained)"),
        strategic_unmet=b.claim_num([i for lv in STRATEGIC_LEVELS for o in ("not_yet", "declined")
                                     for i in outcome_of.get((lv, o), [])],
                                    "Strategic or national claims still only asked for, or turned down"),
        grassroots_outcomes={o: b.claim_num(outcome_of.get((gr_level, o), []),
                                            f"{OUTCOME_LABELS[o]}: claims at grass-roots level") for o in OUTCOMES},
        strategic_outcomes={o: b.claim_num([i for lv in STRATEGIC_LEVELS for i in outcome_of.get((lv, o), [])],
                                           f"{OUTCOME_LABELS[o]}: strategic or national claims") for o in OUTCOMES},
        grassroots_domains=sorted(((d, heat[(d, gr_level)]) for d in influence.domains
                                   if int(heat[(d, gr_level)].value)), key=lambda p: (-int(p[1].value), p[0]))[:3],
    )


def sample_section(b: Basis) -> Sample:
    data, ev = b.data, b.ev
    seg = data.segments
    sources = seg.drop_duplicates("source_id") if len(seg) else seg
    kinds = []
    if len(sources):
        for kind, g in sources.groupby("source_kind", sort=True):
            label = str(kind).replace("_", " ")
            kinds.append(KindCount(label, Num(len(g), ev.sources(f"Sources of kind {label}", _ids(g["source_id"])))))
        kinds.sort(key=lambda k: (-int(k.n.value), k.kind))
    people = _people(data)
    roles = []
    for role, g in people.groupby("role", sort=True) if len(people) else []:
        roles.append(RoleCount(role_label(str(role)),
                               Num(len(g), ev.participants(f"Participants: {role_label(str(role))}",
                                                           _ids(g["participant_id"])))))
    attr_cols = [c for c in data.cases.columns if c not in ("case_id", "case")] if len(data.cases) else []
    long_cols = [c for c in attr_cols if max((len(_attr(v, c)) for v in data.cases[c]), default=0) > LONG_ATTRIBUTE]
    attr_cols = [c for c in attr_cols if c not in long_cols]
    case_rows = []
    # Each case's sources and people, grouped once (a mask per case was 700 cases × 2 frame filters).
    srcs_of = _by_column(sources, "case")
    ppl_of = _by_column(people, "case")
    for rec in data.cases.to_dict("records") if len(data.cases) else []:
        name = optional_str(rec.get("case")) or ""
        srcs = srcs_of.get(name, sources.iloc[0:0])
        ppl = ppl_of.get(name, people.iloc[0:0])
        case_rows.append(SampleCase(
            case=name, short=b.short.get(name, name),
            notes=[(_heading(c), _attr(rec.get(c), c)) for c in long_cols if _attr(rec.get(c), c)],
            attributes=[_attr(rec.get(c), c) for c in attr_cols],
            sources=Num(len(srcs), ev.sources(f"{name}: sources", _ids(srcs["source_id"])) if len(srcs) else None),
            participants=Num(len(ppl), ev.participants(f"{name}: participants", _ids(ppl["participant_id"]))
                             if len(ppl) else None),
            claims=b.claim_num(b.of_case(name)["claim_id"], f"{name}: all claims")))
    return Sample(
        n_cases=len(b.case_names), attr_cols=[_heading(c) for c in attr_cols], cases=case_rows, kinds=kinds, roles=roles,
        n_sources=Num(len(sources), ev.sources("All sources", _ids(sources["source_id"])) if len(sources) else None),
        n_participants=Num(len(people), ev.participants("All participants", _ids(people["participant_id"]))
                           if len(people) else None),
        n_codings=Num(len(data.codings), None))


def _by_column(frame: pd.DataFrame, column: str) -> dict[Any, pd.DataFrame]:
    """The rows of ``frame`` per value of ``column`` (in frame order), grouped once."""
    if not len(frame) or column not in frame.columns:
        return {}
    return {k: g for k, g in frame.groupby(column, sort=False, dropna=False)}


def _people(data: ReportData) -> pd.DataFrame:
    return data.participants if data.participants is not None else pd.DataFrame(
        columns=["participant_id", "pseudonym", "role", "case_id", "case"])


def matrix_section(data: ReportData) -> FrameworkMatrix:
    """The framework matrix of every code with codings, once: the workbook's sheets, the factors and the
    activities of the report all read it."""
    cb, cod = data.codebook, data.codings
    used = {str(c) for c in cod["code"].unique()} if len(cod) else set()
    codes = [c.id for c in cb.codes if c.codable and c.id in used]
    codes += sorted(used - set(codes))
    frame = framework_matrix(cod, data.segments, codes=codes, summaries=data.summaries) if len(cod) \
        else pd.DataFrame(columns=MATRIX_COLUMNS)
    return FrameworkMatrix(codes, frame.to_dict("records"))


def factors_section(b: Basis, matrix: FrameworkMatrix) -> Factors:
    """Enablers and barriers per case (the matrix's enabler and barrier columns), enablers first."""
    cod = b.data.codings
    dims: dict[str, str] = {}
    if len(cod) and "dimension" in cod.columns:
        sub = cod[cod["dimension"].isin(["enabler", "barrier"])]
        dims = {str(c): str(d) for c, d in zip(sub["code"], sub["dimension"])}
    factors = []
    for code in sorted(dims, key=lambda c: (dims[c] != "enabler", c)):
        rows = matrix.of_code(code)
        label = b.label(code)
        per_case = {r["case"]: Num(int(r["count"]), b.ev.codings(f"{r['case']}: {label.lower()}", r["coding_ids"]))
                    for r in rows}
        present = [r["case"] for r in rows if r["count"] > 0]
        by_count = pd.DataFrame(rows, columns=MATRIX_COLUMNS).sort_values("count", ascending=False)
        exemplar = next((q for qs in by_count["exemplars"] for q in qs), None)
        factors.append(Factor(
            code=code, label=label, dimension=dims[code], per_case=per_case,
            n_cases=Num(len(present), b.ev.links(f"{label}: the cases where it was coded",
                                                 [(f"{case}: {n.value} passage{'' if n.value == 1 else 's'}",
                                                   n.anchor, int(n.value)) for case, n in per_case.items()])),
            cases_present=present,
            exemplar=Quote(quotation(exemplar["text"], 220), who(exemplar["pseudonym"], exemplar["role"], exemplar["source"]))
            if exemplar else None))
    return Factors(factors, max([int(n.value) for f in factors for n in f.per_case.values()] + [1]))


def profiles_section(b: Basis, sample: Sample, factors: Factors) -> list[CaseProfile]:
    """Per-case profiles: levels by strength, best-evidenced changes, factors, connections."""
    data = b.data
    b.balance = {r["case"]: r for r in grassroots_strategic_balance(b.claims).to_dict("records")}
    conns = connections_analysis(data.connections, b.claims) if data.connections is not None and len(data.connections) \
        else pd.DataFrame(columns=["case", "target"])
    characters = {ch.case: ch for ch in characterise_cases(b.claims, b.case_names)}
    conns_of: dict[Any, list[dict[str, Any]]] = {}
    for r in conns.to_dict("records"):
        conns_of.setdefault(r["case"], []).append(r)
    profiles: list[CaseProfile] = []
    for case in b.case_names:
        bal = b.balance.get(case)
        sub = b.of_case(case)
        rows = []
        by_level, by_strength = b.ids_by("case", "level"), b.ids_by("case", "level", "evidence_strength")
        for lv in LEVELS:
            if not by_level.get((case, lv)):
                continue
            rows.append(ProfileRow(
                level=lv, total=b.claim_num(by_level[(case, lv)], f"{case}: {LEVEL_LABELS[lv].lower()} claims"),
                cells={s: b.claim_num(by_strength.get((case, lv, s), []),
                                      f"{case}: {STRENGTH_LABELS[s].lower()} claims at {LEVEL_LABELS[lv].lower()} level")
                       for s in STRENGTHS}))
        links = [ProfileConnection(
            target=r["target"], type=str(r["target_type"]).replace("_", " "), relationship=r["relationship"],
            route=r["route_label"], match=r["match"], claims=b.claim_num(r["claim_ids"], f"{case}: claims through {r['target']}"),
            strongest=r["strongest"], n_strategic=int(r["n_strategic"])) for r in conns_of.get(case, [])]
        here = [f for f in factors.rows if case in f.cases_present]
        row = next((r for r in sample.cases if r.case == case), None)
        facts = [f"{h}: {v}" for h, v in zip(sample.attr_cols, row.attributes) if v] if row else []
        profile = CaseProfile(
            case=case, short=b.short.get(case, case), anchor=f"case-{len(profiles) + 1}",
            facts=facts, notes=row.notes if row else [],
            memos=[m for m in data.memos if m.target_type == MemoTarget.CASE and m.target_id == case],
            examples=_examples([b.by_id[i] for i in _ids(sub["claim_id"]) if i in b.by_id]),
            n_connected=sum(1 for link in links if int(link.claims.value)),
            n=b.claim_num(sub["claim_id"], f"{case}: all claims"),
            grassroots=b.claim_num(bal["grassroots_claim_ids"] if bal else [], f"{case}: grass-roots claims"),
            strategic=b.claim_num(bal["strategic_claim_ids"] if bal else [], f"{case}: strategic or national claims"),
            strategic_strong=b.claim_num(bal["strategic_corroborated_claim_ids"] if bal else [],
                                         f"{case}: corroborated or documented strategic claims"),
            balance=bal["balance"] if bal else "none", rows=rows, connections=links,
            character=characters[case],
            recorded=b.claim_num(characters[case].recorded_ids,
                                 f"{case}: claims with a passage in minutes, a strategy or a work plan"),
            enablers=[(f.label, f.per_case[case]) for f in here if f.dimension == "enabler"],
            barriers=[(f.label, f.per_case[case]) for f in here if f.dimension == "barrier"])
        profiles.append(profile)
    for profile in profiles:
        profile.statement = case_statement(profile)
    return profiles


def synthesis_section(b: Basis) -> Synthesis:
    """Cross-case synthesis: which kinds of case reached strategic influence, and co-coded factors."""
    data, ev, claims = b.data, b.ev, b.claims
    comp = cross_case_comparison(data.cases, claims, data.codings) if len(data.cases) else pd.DataFrame()
    comparison: list[ComparisonRow] = []
    strategic = [c for c in claims if c.level in STRATEGIC_LEVELS]
    for r in comp.to_dict("records"):
        in_row = set(r["cases"])
        comparison.append(ComparisonRow(
            attribute=r["attribute"], value=r["value"], n_cases=r["n_cases"], cases=r["cases"],
            n_any=Num(r["n_strategic_any"], ev.claims(f"{r['attribute']} = {r['value']}: strategic claims",
                                                      [c.id for c in strategic if c.case_name in in_row])),
            first=not comparison or comparison[-1].attribute != r["attribute"],
            n_strong=Num(r["n_strategic_corroborated"],
                         ev.claims(f"{r['attribute']} = {r['value']}: corroborated strategic claims", r["claim_ids"])),
            cases_strong=r["cases_strategic_corroborated"]))
    # Only pairs of two factors are shown, and a pair's units and codings are those of its two codes: the
    # pairs are counted over the factors' codings alone (the same pairs, counts and order as over all).
    cod = data.codings
    factors = cod[cod["dimension"].isin(["enabler", "barrier"])] if len(cod) and "dimension" in cod.columns else cod.iloc[0:0]
    pairs = co_occurrence_pairs(factors) if len(factors) else pd.DataFrame()
    co = []
    if len(pairs):
        for r in pairs.head(8).to_dict("records"):
            a, bb = b.label(r["code_a"]), b.label(r["code_b"])
            co.append(Pair(a, bb, Num(int(r["n"]), ev.codings(f"Passages coded both {a.lower()} and {bb.lower()}",
                                                              r["coding_ids"]))))
    summaries = [CellSummary(case, b.label(code), text)
                 for (case, code), text in sorted((data.summaries or {}).items()) if str(text).strip()]
    return Synthesis(comparison, co, summaries)


def activities_section(b: Basis, matrix: FrameworkMatrix) -> Activities:
    """Involvement activities per case: the matrix's activity columns, in the codebook's order."""
    rows = []
    for code in (c.id for c in b.codebook.codes_in("activity")):
        cells = matrix.of_code(code)
        if not cells or sum(int(r["count"]) for r in cells) == 0:
            continue
        label = b.label(code)
        rows.append(Activity(label, {r["case"]: Num(int(r["count"]), b.ev.codings(f"{r['case']}: {label.lower()}",
                                                                                  r["coding_ids"])) for r in cells}))
    return Activities(rows, max([int(n.value) for a in rows for n in a.per_case.values()] + [1]))


def claims_section(b: Basis) -> ClaimsSection:
    """Every claim once, with its strength and why (computed here for the report and the workbook alike)."""
    ledger = []
    for c in b.claims:
        strength, why = explain_strength(c.evidence)
        ledger.append(ClaimCard(
            claim=c, id=c.number if c.number is not None else c.id, anchor=f"claim-{c.id}",
            case=c.case_name or "(no case)", change=c.change, level=c.level,
            level_label=LEVEL_LABELS.get(c.level, c.level), domain=b.label(c.domain), activity=b.label(c.activity),
            status=c.status.replace("_", " "), date=c.date, strength=strength.value, why=why,
            support=[_quote(e) for e in c.evidence if e.stance == Stance.SUPPORTS],
            against=[_quote(e) for e in contradictions(c)], note=c.note.split(" Parts: ")[0], edited_by=c.edited_by,
            short=b.short.get(c.case_name or "", c.case_name or "(no case)")))
    cards = sorted(ledger, key=lambda k: (k.claim.case_name or "", LEVELS.index(k.level) if k.level in LEVELS else 9,
                                          k.claim.id))
    groups: list[ClaimGroup] = []
    for card in cards:
        if not groups or groups[-1].case != card.case:
            groups.append(ClaimGroup(card.case, card.short, f"claims-{len(groups) + 1}", []))
        groups[-1].claims.append(card)
    return ClaimsSection(ledger, cards, groups, [card for card in cards if card.against])


def summary_section(b: Basis, totals: Totals, influence: LevelDomain, main: MainFinding, profiles: list[CaseProfile],
                    synthesis: Synthesis, factors: Factors) -> Summary:
    n_cases = len(b.case_names)
    return Summary(
        findings=findings(totals, influence, profiles, synthesis, factors, n_cases, b.label, b.case_num),
        headline=headline(totals, main, b.label),
        next_steps=next_steps(totals, main, profiles, factors, n_cases),
        memos=[m for m in b.data.memos if m.target_type == MemoTarget.PROJECT])


def build_content(data: ReportData) -> ReportContent:
    """The report's sections, built in the order a reader meets them (so are the evidence entries)."""
    b = basis(data)
    totals = totals_section(b)
    influence = level_domain_section(b)
    main = main_finding_section(b, totals, influence)
    sample = sample_section(b)
    matrix = matrix_section(data)
    factors = factors_section(b, matrix)
    profiles = profiles_section(b, sample, factors)
    synthesis = synthesis_section(b)
    activities = activities_section(b, matrix)
    claims = claims_section(b)
    summary = summary_section(b, totals, influence, main, profiles, synthesis, factors)
    cb = data.codebook
    return ReportContent(
        project=data.project_name, description=data.project_description, generated_at=data.generated_at,
        case_names=b.case_names, short=b.short, totals=totals, influence=influence, main=main, sample=sample,
        factors=factors, profiles=profiles, synthesis=synthesis, activities=activities, claims=claims, matrix=matrix,
        methods=methods_section(data, b.case_names), summary=summary, evidence=b.ev.entries,
        code_label=lambda code: code_label(cb, code))


def _examples(claims: Sequence[InfluenceClaim]) -> list[Example]:
    """A case's best-evidenced strategic change and best-evidenced grass-roots change, as a way in."""
    out = []
    for levels, label in ((STRATEGIC_LEVELS, "Strategic"), ((Level.GRASSROOTS.value,), "Grass-roots")):
        for best in best_evidenced(claims, 1, levels=levels):
            out.append(example(best, label))
    return out


def example(claim: InfluenceClaim, label: str = "") -> Example:
    """A claim as one line of a list of best-evidenced changes."""
    return Example(label=label, id=claim.id, anchor=f"claim-{claim.id}", change=shorten(claim.change, 150),
                   strength=claim_strength(claim).value, status=claim.status.replace("_", " "),
                   outcome=outcome(claim), n_sources=supporting_sources(claim))


def _quote(e: Evidence) -> Quote:
    return Quote(quotation(e.text, 600), who(e.speaker, e.speaker_role, e.source_name), e.source_name,
                 e.source_kind.replace("_", " "))


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


def _agreement(agreement: Mapping[str, Any], codebook: Codebook) -> Agreement:
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
    return Agreement(
        unit=str(agreement.get("unit", "")), coders=sequence_names([str(x) for x in agreement.get("coders", []) or []]),
        figures=[(AGREEMENT_LABELS.get(k, k.replace("_", " ")), _figure(v)) for k, v in overall.items()],
        metrics=[AGREEMENT_LABELS.get(m, m.replace("_", " ")) for m in metrics],
        per_code=rows)


def _evaluation(evaluation: Mapping[str, Any]) -> Evaluation | None:
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
    return Evaluation(gold=str(evaluation.get("gold", "")), segments=evaluation.get("segments", ""),
                      folds=evaluation.get("folds", ""), grouped_by=str(evaluation.get("grouped_by", "") or ""),
                      dims=dims, rows=rows)




def methods_section(data: ReportData, case_names: Sequence[str]) -> Methods:
    """The methods appendix, with the memos that have no place of their own in the report."""
    cb = data.codebook
    return Methods(
        codebook=cb.name, codebook_version=cb.version, coders=list(data.coders),
        agreement=_agreement(data.agreement, cb) if data.agreement else None,
        evaluation=_evaluation(data.evaluation) if data.evaluation else None,
        audit=[(str(k).replace("_", " "), v) for k, v in sorted(data.audit_counts.items())],
        n_codings=len(data.codings),
        code_memos=[(code_label(cb, m.target_id or ""), m) for m in data.memos if m.target_type == MemoTarget.CODE],
        other_memos=[m for m in data.memos if m.target_type not in (MemoTarget.PROJECT, MemoTarget.CASE, MemoTarget.CODE)
                     or (m.target_type == MemoTarget.CASE and m.target_id not in case_names)])
