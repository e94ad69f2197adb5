"""The board summary: two printed A4 pages a board member reads, every figure linked into the full report.

It says the main finding, where the changes landed (level × domain), the three best-evidenced changes
of each case with one quote each, the enablers and barriers, and what to do next. Its sentences are the
report's own (computed once in ``content``), so the two documents never disagree.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import quote

from ..analysis.characterisation import BEST_EVIDENCED, best_evidenced, outcome, supporting_sources
from ..analysis.claims.editing import active_claims
from ..analysis.claims.strength import claim_strength, is_formal_record
from ..core.cases import ParticipantRole
from ..core.claims import Evidence, InfluenceClaim, Stance
from ..core.memos import Memo
from .content import ReportData, build_content
from .html import _environment, report_charts, template_globals, write_atomically
from .labels import quotation, shorten, who
from .numbers import Num, Sentence
from .sections import Factor, ReportContent

BOARD_QUOTE_CHARS = 75
BOARD_CHANGE_CHARS = 70
BOARD_FACTORS = 4
BOARD_MEMO_CHARS = 400


@dataclass(frozen=True)
class BoardChange:
    claim_id: int
    change: str
    strength: str
    status: str
    outcome: str
    n_sources: int
    quote: str
    quote_by: str

    @property
    def anchor(self) -> str:
        return f"claim-{self.claim_id}"


@dataclass(frozen=True)
class BoardCase:
    case: str
    short: str
    n_claims: Num
    changes: tuple[BoardChange, ...]


@dataclass(frozen=True)
class BoardFactor:
    label: str
    n_cases: Num


@dataclass
class Board:
    title: str
    description: str
    generated_at: str
    headline: list[Sentence]
    next_steps: list[Sentence]
    cases: list[BoardCase]
    enablers: list[BoardFactor]
    barriers: list[BoardFactor]
    scope: dict[str, Num]
    memos: list[Memo] = field(default_factory=list)


def _role_rank(ev: Evidence) -> int:
    try:
        return 0 if ev.speaker_role and ParticipantRole(ev.speaker_role).is_decision_maker else 1
    except ValueError:
        return 1


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def quote_for(claim: InfluenceClaim) -> Evidence | None:
    """The one passage that best shows a reader why the change is believed: one that says more than the
    headline, from a formal record first, then a decision-maker, then anyone; among those, one short
    enough to quote whole."""
    support = [ev for ev in claim.evidence if ev.stance == Stance.SUPPORTS and ev.text.strip()]
    if not support:
        return None
    head = _words(claim.change).rstrip(".…")
    return min(support, key=lambda ev: (_words(ev.text).startswith(head), not is_formal_record(ev), _role_rank(ev),
                                        len(ev.text) > BOARD_QUOTE_CHARS, len(ev.text), ev.id))


def _source_label(name: str) -> str:
    """"clwydfor/minutes-2008-06-11.docx" reads "minutes 2008-06-11": the case is the heading above it."""
    stem = PurePath(name).stem
    return stem.replace("_", " ").replace("-", " ", 1) if stem else name


def board_change(claim: InfluenceClaim) -> BoardChange:
    ev = quote_for(claim)
    return BoardChange(
        claim_id=claim.id, change=shorten(claim.change, BOARD_CHANGE_CHARS), strength=claim_strength(claim).value,
        status=claim.status.replace("_", " "), outcome=outcome(claim), n_sources=supporting_sources(claim),
        quote=quotation(ev.text, BOARD_QUOTE_CHARS) if ev else "",
        quote_by=who(ev.speaker, ev.speaker_role, _source_label(ev.source_name)) if ev else "")


def board_cases(claims: Sequence[InfluenceClaim], content: ReportContent, n: int = BEST_EVIDENCED) -> list[BoardCase]:
    """Each case's ``n`` best-evidenced changes (docs/claims.md §6), in the report's case order."""
    by_case: dict[str, list[InfluenceClaim]] = {}
    for c in active_claims(claims):
        by_case.setdefault(c.case_name or "", []).append(c)
    return [BoardCase(case=p.case, short=p.short, n_claims=p.n,
                      changes=tuple(board_change(c) for c in best_evidenced(by_case.get(p.case, []), n)))
            for p in content.profiles]


def build_board(data: ReportData, content: ReportContent) -> Board:
    def top(dimension: str) -> list[BoardFactor]:
        chosen: list[Factor] = sorted(content.factors.of(dimension),
                                      key=lambda f: (-int(f.n_cases.value), f.label))[:BOARD_FACTORS]
        return [BoardFactor(f.label, f.n_cases) for f in chosen]

    sample, summary = content.sample, content.summary
    return Board(
        title=data.project_name, description=data.project_description, generated_at=data.generated_at,
        headline=summary.headline or summary.findings[:1], next_steps=summary.next_steps,
        cases=board_cases(data.claims, content), enablers=top("enabler"), barriers=top("barrier"),
        scope={"cases": Num(content.n_cases, "sample"), "sources": sample.n_sources,
               "participants": sample.n_participants, "claims": content.totals.all},
        memos=summary.memos)


def render_board(data: ReportData, report_href: str = "report.html", content: ReportContent | None = None) -> str:
    """The board summary as one self-contained HTML string; figures link to ``report_href``."""
    report_href = quote(report_href, safe="/.-_~")  # a file name with spaces is still a valid link
    c = content if content is not None else build_content(data)
    board = build_board(data, c)
    charts = report_charts(c, href_base=report_href)
    return _environment().get_template("board.html.j2").render(
        board=board, charts=charts, report_href=report_href, memo_chars=BOARD_MEMO_CHARS,
        **template_globals(c))


def write_board(data: ReportData, path: str | Path, report_href: str = "report.html",
                content: ReportContent | None = None) -> None:
    write_atomically(Path(path), render_board(data, report_href, content))
