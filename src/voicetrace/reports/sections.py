"""What a report says, section by section, as plain typed records.

Each section of the report (and of the board summary, which reuses them) is one dataclass filled by one
builder in :mod:`voicetrace.reports.content`; the writers (HTML, board, Markdown, XLSX) and the sentence
writers of :mod:`voicetrace.reports.findings` only read them. Kept apart from both so that neither
imports the other: content builds sections and asks findings for sentences, findings reads sections.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis.characterisation import CaseCharacter
from ..core.claims import InfluenceClaim
from ..core.memos import Memo
from .evidence import EvidenceEntry
from .numbers import Num, Sentence


@dataclass
class Totals:
    """The report's headline counts of claims, each linked to the claims it counts."""

    all: Num
    levels: dict[str, Num]
    strengths: dict[str, Num]
    strategic: Num
    strategic_strong: Num
    contradicted: Num


@dataclass
class LevelRow:
    """One level's claims split by strength or by outcome (a stacked bar)."""

    level: str
    cells: dict[str, Num]
    total: Num


@dataclass
class CaseLevels:
    """One case's claims by level (a stacked bar of the levels chart)."""

    case: str
    short: str
    cells: dict[str, Num]
    total: Num


@dataclass
class LevelDomain:
    """Influence by level and domain: per case, level × domain, and strength per level."""

    per_case: list[CaseLevels]
    heat: dict[tuple[str, str], Num]
    domains: list[str]
    domain_totals: list[tuple[str, Num]]
    strength_by_level: list[LevelRow]


@dataclass
class MainFinding:
    """Where influence landed against what came of it: the study's core finding."""

    outcomes: list[LevelRow]
    grassroots_strong: Num
    grassroots_changed: Num
    strategic_changed: Num
    strategic_unmet: Num
    grassroots_outcomes: dict[str, Num]
    strategic_outcomes: dict[str, Num]
    grassroots_domains: list[tuple[str, Num]]


@dataclass
class KindCount:
    kind: str
    n: Num


@dataclass
class RoleCount:
    role: str
    n: Num


@dataclass
class SampleCase:
    case: str
    short: str
    notes: list[tuple[str, str]]
    attributes: list[str]
    sources: Num
    participants: Num
    claims: Num


@dataclass
class Sample:
    n_cases: int
    attr_cols: list[str]
    cases: list[SampleCase]
    kinds: list[KindCount]
    roles: list[RoleCount]
    n_sources: Num
    n_participants: Num
    n_codings: Num


@dataclass
class Quote:
    text: str
    who: str
    source: str = ""
    kind: str = ""


@dataclass
class Factor:
    """An enabler or barrier: passages per case, and the cases where it was coded at all."""

    code: str
    label: str
    dimension: str
    per_case: dict[str, Num]
    n_cases: Num
    cases_present: list[str]
    exemplar: Quote | None


@dataclass
class Factors:
    rows: list[Factor]
    most: int
    """The largest cell, which the table's shading is relative to."""

    def of(self, dimension: str) -> list[Factor]:
        return [f for f in self.rows if f.dimension == dimension]


@dataclass
class Activity:
    label: str
    per_case: dict[str, Num]


@dataclass
class Activities:
    rows: list[Activity]
    most: int


@dataclass
class ProfileRow:
    level: str
    total: Num
    cells: dict[str, Num]


@dataclass
class ProfileConnection:
    target: str
    type: str
    relationship: str
    route: str
    match: str
    claims: Num
    strongest: str
    n_strategic: int


@dataclass
class Example:
    """A claim as one line of a list of best-evidenced changes."""

    label: str
    id: int
    anchor: str
    change: str
    strength: str
    status: str
    outcome: str
    n_sources: int


@dataclass
class CaseProfile:
    case: str
    short: str
    anchor: str
    facts: list[str]
    notes: list[tuple[str, str]]
    memos: list[Memo]
    examples: list[Example]
    n_connected: int
    n: Num
    grassroots: Num
    strategic: Num
    strategic_strong: Num
    balance: str
    rows: list[ProfileRow]
    connections: list[ProfileConnection]
    character: CaseCharacter
    recorded: Num
    enablers: list[tuple[str, Num]]
    barriers: list[tuple[str, Num]]
    statement: Sentence = field(default_factory=list)


@dataclass
class ComparisonRow:
    attribute: str
    value: str
    n_cases: int
    cases: list[str]
    n_any: Num
    first: bool
    n_strong: Num
    cases_strong: list[str]


@dataclass
class Pair:
    a: str
    b: str
    n: Num


@dataclass
class CellSummary:
    case: str
    code: str
    summary: str


@dataclass
class Synthesis:
    """Cross-case synthesis: case attributes against strategic claims, co-coded factors, the analysts' summaries."""

    comparison: list[ComparisonRow]
    co_occurrence: list[Pair]
    cell_summaries: list[CellSummary]

    def row(self, attribute: str, value: str) -> ComparisonRow | None:
        return next((r for r in self.comparison if (r.attribute, r.value) == (attribute, value)), None)


@dataclass
class ClaimCard:
    """A claim as the report shows it, with its strength and the reason, computed once for every format."""

    claim: InfluenceClaim
    id: int
    anchor: str
    case: str
    change: str
    level: str
    level_label: str
    domain: str
    activity: str
    status: str
    date: str | None
    strength: str
    why: str
    support: list[Quote]
    against: list[Quote]
    note: str
    edited_by: str | None
    short: str


@dataclass
class ClaimGroup:
    case: str
    short: str
    anchor: str
    claims: list[ClaimCard]


@dataclass
class ClaimsSection:
    ledger: list[ClaimCard]
    """In the order the project stores them (the workbook's order)."""
    cards: list[ClaimCard]
    """By case, then level, then id (the report's order)."""
    groups: list[ClaimGroup]
    contested: list[ClaimCard]


@dataclass
class FrameworkMatrix:
    """Every code with codings × every case, as :func:`voicetrace.analysis.matrices.framework_matrix` rows."""

    codes: list[str]
    rows: list[dict[str, Any]]
    _by_code: dict[str, list[dict[str, Any]]] | None = field(default=None, repr=False, compare=False)

    def cases(self) -> list[str | None]:
        return list(dict.fromkeys(r["case"] for r in self.rows))

    def of_code(self, code: str) -> list[dict[str, Any]]:
        """The rows of one code (one per case, in the rows' order), grouped once: the factors and the
        activities each walk their codes, and a scan of every row per code was 700 cases × 100 codes
        times 30 codes."""
        if self._by_code is None:
            self._by_code = {}
            for r in self.rows:
                self._by_code.setdefault(r["code"], []).append(r)
        return self._by_code.get(code, [])


@dataclass
class Agreement:
    unit: str
    coders: str
    figures: list[tuple[str, str]]
    metrics: list[str]
    per_code: list[dict[str, Any]]


@dataclass
class Evaluation:
    gold: str
    segments: Any
    folds: Any
    grouped_by: str
    dims: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Methods:
    codebook: str
    codebook_version: str
    coders: list[str]
    agreement: Agreement | None
    evaluation: Evaluation | None
    audit: list[tuple[str, int]]
    n_codings: int
    code_memos: list[tuple[str, Memo]]
    other_memos: list[Memo]


@dataclass
class Summary:
    """The sentences a reader starts with: the main finding, the findings and what to do next."""

    headline: list[Sentence]
    findings: list[Sentence]
    next_steps: list[Sentence]
    memos: list[Memo]


CaseNum = Callable[[Sequence[str], str, str], Num]
"""A count of cases whose evidence is the named claims of those cases (registered when asked)."""


@dataclass
class ReportContent:
    """The whole report, section by section; every writer lays out this and computes nothing."""

    project: str
    description: str
    generated_at: str
    case_names: list[str]
    short: dict[str, str]
    totals: Totals
    influence: LevelDomain
    main: MainFinding
    sample: Sample
    factors: Factors
    profiles: list[CaseProfile]
    synthesis: Synthesis
    activities: Activities
    claims: ClaimsSection
    matrix: FrameworkMatrix
    methods: Methods
    summary: Summary
    evidence: list[EvidenceEntry]
    code_label: Callable[[str], str]

    @property
    def n_cases(self) -> int:
        return len(self.case_names)

    @property
    def case_columns(self) -> list[tuple[str, str]]:
        return [(name, self.short.get(name, name)) for name in self.case_names]
