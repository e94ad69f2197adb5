"""The impact log and the outputs drawn from it: one method per user action, each audited.

Entries made from claims keep the passages behind each step, so a claim rebuild (which gives claims
new ids) does not orphan them: the next `from-claims` finds the entry by its passages and relinks it.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis import impact as analysis
from ..core.errors import InputError, NotFound
from ..core.impact import RESPONSE_DAYS, ImpactEntry, Period, Stage, Step, due_date, parse_stage
from ..exchange.records import records_csv, write_records
from ..storage import impact as store
from ..storage.cases import case_ids_by_name
from ..storage.database import now_iso
from .claims import Claims, check_dimension_code
from .context import Context
from .sources import Sources

if TYPE_CHECKING:
    from .cases import Cases
    from .coding import Coding
    from .projects import ProjectDetails

IMPACT_COLUMNS = ["id", "case", "request", "asked_by", "asked_on", "meeting", "response", "status",
                  "status_date", "due", "responded_on", "overdue", "reason", "level", "domain", "claim_ids",
                  "claim_numbers",
                  "history", "origin"]


def _check_date(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(what, f"{value!r} is not a date (YYYY-MM-DD)") from None


def entry_record(e: ImpactEntry, today: str | None = None) -> dict[str, Any]:
    """The `impact --format jsonl` record: the entry, its current status and its dated history."""
    hist = e.history()
    last = hist[-1] if hist else None
    first = e.first_response()
    day = today or date.today().isoformat()
    return {
        "id": e.id, "case": e.case, "request": e.request, "asked_by": e.asked_by, "asked_on": e.asked_on,
        "meeting": e.meeting, "response": e.response, "status": e.status.value,
        "status_date": last.date if last else None, "due": e.due,
        "responded_on": first.date if first else None,
        "overdue": bool(e.status.is_open and e.due and e.due < day and first is None),
        "reason": e.reason, "level": e.level, "domain": e.domain, "claim_ids": list(e.claim_ids),
        "claims": list(e.claim_ids), "origin": e.origin,
        "history": [f"{s.stage.value} {s.date or '(undated)'}" for s in hist],
        "steps": [{"id": s.id, "stage": s.stage.value, "date": s.date, "note": s.note, "recorded_by": s.recorded_by,
                   "recorded_at": s.recorded_at,
                   "evidence": [{"source": r.source, "start": r.start, "end": r.end, "text": r.text,
                                 "claim_id": r.claim_id, "date": r.source_date} for r in s.evidence]}
                  for s in hist],
    }


class Impact:
    """The impact log (requests, their dated steps, the claims behind them) and the involvement outputs.

    Entries are drawn from ``claims`` and dated from their passages' codings and sources; the outputs
    name the project (``details``) and its cases and participants (``cases``).
    """

    def __init__(self, ctx: Context, sources: Sources, cases: Cases, coding: Coding, details: ProjectDetails,
                 claims: Claims) -> None:
        self.ctx = ctx
        self._sources = sources
        self._cases = cases
        self._coding = coding
        self._details = details
        self._claims = claims

    # ---- reading -------------------------------------------------------------------------------
    def impact_entries(self, cases: Sequence[str] | None = None) -> list[ImpactEntry]:
        with self.ctx.db.read() as conn:
            entries = store.read_entries(conn)
        return analysis.filter_cases(entries, cases)

    def impact_entry(self, entry_id: int) -> ImpactEntry:
        with self.ctx.db.read() as conn:
            found = store.read_entries(conn, [entry_id])
        if not found:
            raise NotFound(f"unknown impact log entry {entry_id}")
        return found[0]

    def impact_json(self, cases: Sequence[str] | None = None) -> list[dict[str, Any]]:
        numbers = {c.id: c.number for c in self._claims.claims(include_merged=True)}
        out = []
        for e in self.impact_entries(cases):
            rec = entry_record(e)
            rec["claim_numbers"] = [numbers.get(c) or c for c in e.claim_ids]
            out.append(rec)
        return out

    def impact_csv(self, cases: Sequence[str] | None = None) -> str:
        return records_csv(self.impact_json(cases), IMPACT_COLUMNS)

    @property
    def response_days(self) -> int:
        """Days allowed for a response to a request (project setting `impact_response_days`)."""
        raw = self.ctx.setting("impact_response_days")
        return int(raw) if raw and raw.isdigit() else RESPONSE_DAYS

    # ---- writing -------------------------------------------------------------------------------
    def add_impact(self, request: str, *, case: str | None = None, asked_by: str = "", asked_on: str | None = None,
                   meeting: str = "", level: str | None = None, domain: str | None = None,
                   due: str | None = None, claim_ids: Sequence[int] = (), by: str = "user") -> ImpactEntry:
        """A request recorded by hand (asked, dated): its due date follows from the response days."""
        if not request.strip():
            raise InputError("request", "say what was asked for")
        asked = _check_date(asked_on, "--asked-on") or date.today().isoformat()
        due_on = _check_date(due, "--due") or due_date(asked, self.response_days)
        cb = self.ctx.codebook()
        for dim, value in (("level", level), ("domain", domain)):
            if value is not None:
                check_dimension_code(cb, value, dim, f"--{dim}")
        self._claims.check_known(claim_ids)
        entry = ImpactEntry(id=0, request=request.strip(), case=case, asked_by=asked_by, asked_on=asked,
                            meeting=meeting, level=level, domain=domain, due=due_on, claim_ids=list(claim_ids),
                            steps=[Step(Stage.ASKED, asked, "", [], recorded_by=by)], origin="manual",
                            created_by=by)
        with self.ctx.db.begin() as conn:
            case_id = self.ctx.case_id(conn, case, create=False)
            eid = store.insert_entry(conn, entry, case_id)
            self.ctx.db.log(conn, by, "add_impact", "impact", eid, request=entry.request, case=case, asked_on=asked)
        return self.impact_entry(eid)

    def update_impact(self, entry_id: int, *, status: str | None = None, on: str | None = None, note: str = "",
                      response: str | None = None, due: str | None = None, claim_ids: Sequence[int] = (),
                      by: str = "user") -> ImpactEntry:
        """Move an entry to a stage (a new dated step: the history is never rewritten), or edit its fields."""
        entry = self.impact_entry(entry_id)
        stage = None
        if status is not None:
            try:
                stage = parse_stage(status)
            except ValueError as e:
                raise InputError("--status", str(e)) from None
            if stage is Stage.DECLINED and not note.strip():
                raise InputError("--note", "a declined request needs the reason (--note)")
        when = _check_date(on, "--date") or (date.today().isoformat() if stage else None)
        if stage and entry.asked_on and when and when < entry.asked_on:
            raise InputError("--date", f"{when} is before the request was made ({entry.asked_on})")
        due_on = _check_date(due, "--due")
        self._claims.check_known(claim_ids)
        if stage is None and response is None and due_on is None and not claim_ids:
            raise InputError("impact update", "nothing to change (give --status, --response, --due or --claim)")
        fields: dict[str, Any] = {}
        if response is not None:
            fields["response"] = response
        if due_on is not None:
            fields["due"] = due_on
        with self.ctx.db.begin() as conn:
            if fields:
                store.update_entry(conn, entry_id, fields)
            if claim_ids:
                store.link_claims(conn, entry_id, claim_ids)
            if stage is not None:
                store.insert_step(conn, entry_id, Step(stage, when, note.strip(), [], recorded_by=by,
                                                       recorded_at=now_iso()))
            self.ctx.db.log(conn, by, "update_impact", "impact", entry_id,
                            status=stage.value if stage else None, date=when, note=note.strip(), **fields,
                            claims=list(claim_ids))
        return self.impact_entry(entry_id)

    def impact_from_claims(self, claim_ids: Sequence[int] | None = None, by: str = "user") -> dict[str, int]:
        """One entry per claim not yet in the log, dated from its passages; claims whose passages an
        entry already holds (a rebuilt claim) are linked to that entry instead of creating another."""
        claims = self._claims.claims()
        if claim_ids is not None:
            wanted = set(claim_ids)
            unknown = wanted - {c.id for c in claims}
            if unknown:
                raise InputError("--claim", f"unknown claim {min(unknown)}")
            claims = [c for c in claims if c.id in wanted]
        statuses = analysis.status_of_passages(claims, self._coding.codings_frame().to_dict("records"))
        dates = {s.id: s.date for s in self._sources.sources()}
        consented = {(str(r["pseudonym"]), r["case"]) for r in self._cases.participants_frame().to_dict("records")
                     if r["consent_date"]}
        created = linked = 0
        with self.ctx.db.begin() as conn:
            have = store.linked_claim_ids(conn)
            spans = store.evidence_spans(conn)
            case_ids = case_ids_by_name(conn)
            for c in claims:
                if c.id in have:
                    continue
                owner = next((spans[k] for e in c.evidence for k in [(e.source_id, e.start, e.end)] if k in spans),
                             None)
                if owner is not None:
                    store.link_claims(conn, owner, [c.id])
                    linked += 1
                    continue
                entry = analysis.entry_from_claim(c, statuses, dates, lambda s, k: (s, k) in consented,
                                                  self.response_days, by=by)
                eid = store.insert_entry(conn, entry, case_ids.get(c.case_name) if c.case_name else None)
                for e in entry.evidence():
                    spans[(e.source_id, e.start, e.end)] = eid
                created += 1
            self.ctx.db.log(conn, by, "impact_from_claims", "impact", None, created=created, linked=linked)
        return {"created": created, "linked": linked}

    def delete_impact(self, entry_id: int, by: str = "user") -> None:
        entry = self.impact_entry(entry_id)
        with self.ctx.db.begin() as conn:
            store.delete_entry(conn, entry_id)
            self.ctx.db.log(conn, by, "delete_impact", "impact", entry_id, request=entry.request)

    def export_impact(self, path: str | Path, cases: Sequence[str] | None = None, fmt: str | None = None,
                      by: str = "user") -> Path:
        out = Path(path)
        try:
            write_records(out, self.impact_json(cases), IMPACT_COLUMNS, sheet="impact log", fmt=fmt)
        except ValueError as e:
            raise InputError(str(out), str(e).split(": ", 1)[-1]) from None
        with self.ctx.db.begin() as conn:
            self.ctx.db.log(conn, by, "export_impact", "impact", None, path=str(out))
        return out

    # ---- outputs -------------------------------------------------------------------------------
    def outputs_data(self, period: Period, cases: Sequence[str] | None = None,
                     organisation: str | None = None) -> Any:
        from ..reports.outputs import OutputData
        known = {c.name.lower() for c in self._cases.cases()}
        for c in cases or []:
            if c.lower() not in known:
                raise InputError("--case", f"unknown case {c!r}")
        return OutputData(
            title=self._details.title, description=self._details.description,
            organisation=organisation or self._details.title,
            period=period, cases=list(cases or []), entries=self.impact_entries(),
            claims=self._claims.claims(), participants=self._cases.participants_frame().to_dict("records"),
            sources=[{"name": s.name, "case": s.case, "kind": s.kind, "type": s.type, "date": s.date}
                     for s in self._sources.sources()],
            codebook=self.ctx.codebook(), response_days=self.response_days)

    def write_outputs(self, kind: str, out_dir: str | Path, period: Period | None = None,
                      cases: Sequence[str] | None = None, templates: str | Path | None = None,
                      logo: str | Path | None = None, organisation: str | None = None,
                      by: str = "user", audit: bool = True) -> list[Path]:
        """Write one output (HTML and DOCX, or one pair per letter) into ``out_dir``; ``audit=False``
        for a download that leaves the project untouched."""
        from ..reports.outputs import KINDS, write_output
        if kind not in KINDS:
            raise InputError(kind, f"unknown output (one of: {', '.join(KINDS)})")
        for path, what in ((templates, "--templates"), (logo, "--logo")):
            if path is not None and not Path(path).exists():
                raise InputError(what, f"{path} does not exist")
        data = self.outputs_data(period or Period(None, None, "all dates"), cases, organisation)
        paths = write_output(kind, data, Path(out_dir), templates=Path(templates) if templates else None,
                             logo=Path(logo) if logo else None)
        if audit:
            with self.ctx.db.begin() as conn:
                self.ctx.db.log(conn, by, "write_output", "output", kind, out=str(out_dir), period=data.period.label,
                            cases=list(cases or []), files=len(paths))
        return paths
