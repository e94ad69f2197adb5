"""The impact log: what involvement asked for, what the organisation answered, and how far it got.

An entry is a request (or an achievement) followed through dated stages. Its stages are a history,
never overwritten: each is a step with the date it happened, who recorded it and the passages that
evidence it, so "status" is always *status as of a date* (the last step on or before it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .claims import ClaimStatus


class Stage(StrEnum):
    ASKED = "asked"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"
    DECLINED = "declined"

    @property
    def rank(self) -> int:
        return STAGE_ORDER.index(self)

    @property
    def is_response(self) -> bool:
        """Any stage after the request is the organisation's answer to it."""
        return self is not Stage.ASKED

    @property
    def is_change(self) -> bool:
        return self in (Stage.DONE, Stage.VERIFIED)

    @property
    def is_open(self) -> bool:
        return self in (Stage.ASKED, Stage.AGREED, Stage.IN_PROGRESS)


STAGE_ORDER = [Stage.ASKED, Stage.AGREED, Stage.IN_PROGRESS, Stage.DONE, Stage.VERIFIED, Stage.DECLINED]

STAGE_LABELS = {Stage.ASKED: "Asked", Stage.AGREED: "Agreed", Stage.IN_PROGRESS: "In progress",
                Stage.DONE: "Done", Stage.VERIFIED: "Verified", Stage.DECLINED: "Declined"}

CLAIM_STAGE = {
    ClaimStatus.PROPOSED.value: Stage.ASKED,
    ClaimStatus.PLANNED.value: Stage.AGREED,
    ClaimStatus.IN_PROGRESS.value: Stage.IN_PROGRESS,
    ClaimStatus.IMPLEMENTED.value: Stage.DONE,
    ClaimStatus.SUSTAINED.value: Stage.DONE,
    ClaimStatus.NOT_ADOPTED.value: Stage.DECLINED,
}
"""The stage a passage's coded status puts a request at. Sustained is still 'done': verification is
about who confirms the change (see analysis.impact), not how long it lasted."""

RESPONSE_DAYS = 30
"""Days a provider has to answer a request: Healthwatch escalations expect 20–30 days; the log uses the
upper bound unless the project sets another."""


def parse_stage(value: str) -> Stage:
    norm = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Stage(norm)
    except ValueError:
        raise ValueError(f"unknown status {value!r} (one of: {', '.join(s.value for s in Stage)})") from None


@dataclass(frozen=True)
class EvidenceRef:
    """A passage behind a step: where it is, what it says, who said it (pseudonym) and when."""

    source_id: int
    source: str
    start: int
    end: int
    text: str
    claim_id: int | None = None
    source_kind: str = "other"
    source_type: str = "document"
    source_date: str | None = None
    speaker: str | None = None
    role: str | None = None
    consented: bool = False


@dataclass
class Step:
    stage: Stage
    date: str | None
    note: str = ""
    evidence: list[EvidenceRef] = field(default_factory=list)
    recorded_by: str = ""
    recorded_at: str = ""
    id: int = 0


@dataclass
class ImpactEntry:
    """One change asked for or achieved, with its history of stages."""

    id: int
    request: str
    case: str | None = None
    asked_by: str = ""
    asked_on: str | None = None
    meeting: str = ""
    response: str = ""
    level: str | None = None
    domain: str | None = None
    due: str | None = None
    claim_ids: list[int] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    origin: str = "manual"       # manual | claims
    created_by: str = ""

    def history(self) -> list[Step]:
        """Steps in the order they happened; undated steps keep their recorded order, after dated ones."""
        dated = sorted((s for s in self.steps if s.date), key=lambda s: (str(s.date), s.stage.rank, s.id))
        return dated + [s for s in self.steps if not s.date]

    def stage_on(self, day: str | None = None) -> Stage | None:
        """The stage as of ``day`` (ISO date, inclusive); None when nothing had happened yet."""
        steps = self.history() if day is None else [s for s in self.history() if s.date and s.date <= day]
        return steps[-1].stage if steps else None

    @property
    def status(self) -> Stage:
        return self.stage_on() or Stage.ASKED

    def step_for(self, stage: Stage) -> Step | None:
        return next((s for s in self.history() if s.stage is stage), None)

    @property
    def reason(self) -> str:
        """Why it was declined, when it was."""
        declined = self.step_for(Stage.DECLINED)
        return declined.note if declined else ""

    def first_response(self, day: str | None = None) -> Step | None:
        return next((s for s in self.history() if s.stage.is_response and s.date and (day is None or s.date <= day)),
                    None)

    def evidence(self) -> list[EvidenceRef]:
        seen: set[tuple[int, int, int]] = set()
        out: list[EvidenceRef] = []
        for s in self.history():
            for e in s.evidence:
                if (e.source_id, e.start, e.end) not in seen:
                    seen.add((e.source_id, e.start, e.end))
                    out.append(e)
        return out


def due_date(asked_on: str | None, days: int = RESPONSE_DAYS) -> str | None:
    if not asked_on:
        return None
    return (date.fromisoformat(asked_on) + timedelta(days=days)).isoformat()


# ----------------------------------------------------------------------------- periods

@dataclass(frozen=True)
class Period:
    """A reporting period, both ends inclusive. ``start``/``end`` None means open-ended."""

    start: str | None
    end: str | None
    label: str

    def contains(self, day: str | None) -> bool:
        if not day:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def bounded(self) -> bool:
        return self.start is not None and self.end is not None

    def previous(self) -> Period | None:
        """The period of the same length just before this one (the year before, for a year)."""
        if not self.bounded:
            return None
        assert self.start is not None and self.end is not None
        s, e = date.fromisoformat(self.start), date.fromisoformat(self.end)
        fy = FY_LABEL.fullmatch(self.label)
        if fy:
            return financial_year(int(fy.group(1)) - 1)
        if CAL_LABEL.fullmatch(self.label):
            return calendar_year(int(self.label) - 1)
        length = e - s
        prev_end = s - timedelta(days=1)
        p = Period((prev_end - length).isoformat(), prev_end.isoformat(), "")
        return Period(p.start, p.end, f"{p.start} to {p.end}")


FY_LABEL = re.compile(r"financial year (\d{4})-\d{2}")
CAL_LABEL = re.compile(r"\d{4}")
FY_ARG = re.compile(r"(?:fy)?(\d{4})(?:[-/](\d{2}|\d{4}))?", re.IGNORECASE)


def financial_year(first_year: int) -> Period:
    """The UK public-sector year: 1 April to 31 March."""
    return Period(f"{first_year:04d}-04-01", f"{first_year + 1:04d}-03-31",
                  f"financial year {first_year}-{(first_year + 1) % 100:02d}")


def calendar_year(year: int) -> Period:
    return Period(f"{year:04d}-01-01", f"{year:04d}-12-31", f"{year:04d}")


def _iso(value: str, what: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def parse_period(start: str | None = None, end: str | None = None, year: str | None = None,
                 financial: str | None = None) -> Period:
    """One period from the CLI's options: a financial year ("2008-09" or "2008"), a calendar year, or dates."""
    chosen = [x for x in (year, financial) if x]
    if len(chosen) > 1 or (chosen and (start or end)):
        raise ValueError("give one of a financial year, a calendar year, or --from/--to dates")
    if financial:
        m = FY_ARG.fullmatch(financial.strip())
        if not m:
            raise ValueError(f"financial year {financial!r} is not like 2008-09")
        first = int(m.group(1))
        if m.group(2) and int(m.group(2)) % 100 != (first + 1) % 100:
            raise ValueError(f"financial year {financial!r}: the second year must follow the first")
        return financial_year(first)
    if year:
        if not re.fullmatch(r"\d{4}", year.strip()):
            raise ValueError(f"year {year!r} is not a four-digit year")
        return calendar_year(int(year))
    s = _iso(start, "--from") if start else None
    e = _iso(end, "--to") if end else None
    if s and e and s > e:
        raise ValueError(f"--from {s} is after --to {e}")
    if s and e:
        return Period(s, e, f"{s} to {e}")
    if s:
        return Period(s, None, f"from {s}")
    if e:
        return Period(None, e, f"up to {e}")
    return Period(None, None, "all dates")
