"""The outputs involvement leads publish, drawn from the impact log and its evidence.

Each output is one Jinja2 template (package data; an organisation can put its own, with its own
wording and logo, in a folder passed as ``templates``) rendered to self-contained HTML, and the same
HTML converted to DOCX, so both say the same. Every sentence and table row cites numbered evidence
entries, listed at the end with source, date and place; every count links to the list it counts.
The content here says only what the log holds: an empty list renders as a sentence saying so.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..analysis.claims.contradictions import contradictions
from ..analysis.impact import PeriodSummary, filter_cases, shorten, strength_of, summarise
from ..core.claims import InfluenceClaim, Level
from ..core.codebook import Codebook
from ..core.impact import STAGE_LABELS, EvidenceRef, ImpactEntry, Period, Stage
from .docx import html_to_docx
from .labels import LEVEL_HELP, LEVEL_LABELS, STRENGTH_HELP, STRENGTH_LABELS

KINDS = ("gripp2", "annual-report", "healthwatch", "you-said-we-did", "letters")
TEMPLATES = Path(__file__).resolve().parent / "templates" / "outputs"
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg", "logo.gif", "logo.svg")
READING_AGE_TARGET = 11
"""Plain-English target for public pages: a reading age of about 11 (UK guidance for health information)."""

PLAIN_DOMAINS = {
    "patient_information": "information for patients",
    "access_to_services": "getting to and into services",
    "care_environment": "the places where care happens",
    "service_delivery_pathways": "how care is given",
    "workforce_training": "staff training",
    "commissioning": "which services are paid for",
    "policy": "rules and plans",
    "research": "research",
    "involvement_governance": "how people take part",
    "other_domain": "other things",
}
PLAIN_LEVELS = {
    Level.GRASSROOTS.value: "in one service",
    Level.ORGANISATIONAL.value: "across the whole organisation",
    Level.STRATEGIC.value: "in what is planned and paid for",
    Level.NATIONAL.value: "in national rules",
    Level.UNCLEAR.value: "",
}
ROLE_LABELS = {"service_user": "service user", "carer": "carer", "facilitator": "facilitator",
               "professional": "professional", "commissioner": "commissioner", "manager": "manager",
               "clinician": "clinician", "interviewer": "interviewer", "other": "other participant"}
INVOLVED_ROLES = ("service_user", "carer", "facilitator")
DECISION_ROLES = ("commissioner", "manager", "clinician", "professional")


@dataclass
class OutputData:
    """What every output draws on; the service layer fills it from the project."""

    title: str
    period: Period
    entries: list[ImpactEntry]
    claims: list[InfluenceClaim]
    codebook: Codebook
    description: str = ""
    organisation: str = ""
    cases: list[str] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    response_days: int = 30
    generated_at: str = ""


# ----------------------------------------------------------------------------- citations

@dataclass
class Cited:
    n: int
    ref: EvidenceRef
    quote: str | None

    @property
    def anchor(self) -> str:
        return f"ev-{self.n}"

    @property
    def who(self) -> str:
        if self.ref.source_type == "transcript" or self.ref.speaker:
            if self.ref.speaker and self.quote is not None:
                role = (self.ref.role or "").replace("_", " ")
                return f"{self.ref.speaker} ({role})" if role else self.ref.speaker
            return "a participant"
        return self.ref.source_kind.replace("_", " ")


class Citations:
    """Evidence numbered in order of first citation. Every output is published, so a passage is quoted
    only when it comes from a document or from a registered participant who consented; the words of
    anyone else are cited by place (source, date, characters) and never shown."""

    def __init__(self) -> None:
        self.items: list[Cited] = []
        self._index: dict[tuple[int, int, int], Cited] = {}

    def may_quote(self, ref: EvidenceRef) -> bool:
        if ref.source_type != "transcript" and not ref.speaker:
            return True
        return ref.consented

    def cite(self, refs: Iterable[EvidenceRef]) -> list[Cited]:
        out: list[Cited] = []
        for r in refs:
            key = (r.source_id, r.start, r.end)
            if key not in self._index:
                quote = shorten(r.text) if self.may_quote(r) else None
                self._index[key] = Cited(len(self.items) + 1, r, quote)
                self.items.append(self._index[key])
            if self._index[key] not in out:
                out.append(self._index[key])
        return out

    def marks(self, refs: Iterable[EvidenceRef]) -> Markup:
        cited = self.cite(refs)
        if not cited:
            return Markup("")
        links = ", ".join(f'<a href="#{c.anchor}">{c.n}</a>' for c in cited)
        return Markup(f'<sup class="cite">[{links}]</sup>')


# ----------------------------------------------------------------------------- shared pieces

def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _date(day: str | None) -> str:
    if not day:
        return "undated"
    try:
        return datetime.fromisoformat(day).strftime("%-d %B %Y")
    except ValueError:
        return day


def _logo_uri(logo: Path | None, templates: Path | None) -> str | None:
    path = logo
    if path is None and templates is not None:
        path = next((templates / n for n in LOGO_NAMES if (templates / n).exists()), None)
    if path is None:
        return None
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@lru_cache(maxsize=8)
def _environment(templates: Path | None) -> Environment:
    """One environment per template folder: Jinja compiles each template once per environment, and a
    fresh environment per output made every report recompile them all (auto_reload still sees edits)."""
    loaders = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(FileSystemLoader(str(TEMPLATES)))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True,
                      default_for_string=True, enabled_extensions=("html", "j2")), undefined=StrictUndefined)
    env.filters["date"] = _date
    env.globals["plural"] = plural
    return env


class View:
    """The reading of the log that every template shares: the period's summary, labels, citations."""

    def __init__(self, data: OutputData) -> None:
        self.data = data
        self.cite = Citations()
        self.entries = filter_cases(data.entries, data.cases)
        self.now = summarise(self.entries, data.period)
        prev = data.period.previous()
        self.previous: PeriodSummary | None = summarise(self.entries, prev) if prev else None
        self.claims = {c.id: c for c in data.claims}
        cases = {c.lower() for c in data.cases}
        self.participants = [p for p in data.participants if not cases or (p.get("case") or "").lower() in cases]
        self.sources = [s for s in data.sources if (not cases or (s.get("case") or "").lower() in cases)
                        and (data.period.contains(s.get("date")) or (not data.period.start and not data.period.end))]

    # -- labels
    def code_label(self, code: str | None) -> str:
        if not code:
            return "not recorded"
        if code in LEVEL_LABELS:
            return LEVEL_LABELS[code]
        return self.data.codebook.get(code).label if code in self.data.codebook else code.replace("_", " ")

    def stage_label(self, stage: Stage | None) -> str:
        return STAGE_LABELS[stage] if stage else "not started"

    def claim_label(self, claim_id: int | None) -> str:
        """A claim as people know it: its display number in the ledger ('' when it is no longer there)."""
        c = self.claims.get(claim_id) if claim_id is not None else None
        if c is None:
            return ""
        return f"claim {c.number if c.number is not None else c.id}"

    def strength(self, e: ImpactEntry) -> str | None:
        return strength_of(e, self.claims)

    # -- the period and its sources, stated on every output
    def period_statement(self) -> str:
        p = self.data.period
        where = f" for {', '.join(self.data.cases)}" if self.data.cases else ""
        if not p.start and not p.end:
            days = sorted(s.date for e in self.entries for s in e.steps if s.date)
            span = f" (records dated {_date(days[0])} to {_date(days[-1])})" if days else ""
            return f"All dates{span}{where}"
        return f"{p.label[0].upper()}{p.label[1:]}: {_date(p.start)} to {_date(p.end)}{where}"

    def sources_statement(self) -> str:
        kinds = Counter(str(s.get("kind") or "other").replace("_", " ") for s in self.sources)
        listed = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        dated = sorted(str(s["date"]) for s in self.sources if s.get("date"))
        span = f", dated {_date(dated[0])} to {_date(dated[-1])}" if dated else ""
        claim_ids = {c for e in self.entries for c in e.claim_ids}
        return (f"Drawn from {plural(len(self.sources), 'source')} in the period ({listed or 'none'}{span}), "
                f"{plural(len(self.entries), 'impact log entry', 'impact log entries')} and the "
                f"{plural(len(claim_ids), 'influence claim')} they rest on, in the voicetrace project "
                f"“{self.data.title}”.")

    def compare(self, key: str) -> str:
        """How a count compares with the previous period, in words ('' when there is none)."""
        if self.previous is None:
            return ""
        now, before = len(getattr(self.now, key)), len(getattr(self.previous, key))
        if now == before:
            trend = "the same as"
        elif now > before:
            trend = f"{now - before} more than"
        else:
            trend = f"{before - now} fewer than"
        return f"{trend} the {before} in {self.previous.period.label}"

    def comparison_rows(self) -> list[dict[str, Any]]:
        rows = [("asked", "Requests made"), ("responded", "Requests answered"), ("changed", "Changes made"),
                ("verified", "Changes confirmed by evidence"), ("declined", "Requests declined"),
                ("open_at_end", "Still open at the end"), ("overdue", "Waiting past their response date")]
        return [{"key": k, "label": label, "now": len(getattr(self.now, k)),
                 "before": len(getattr(self.previous, k)) if self.previous else None} for k, label in rows]

    # -- entries as rows
    def step_date(self, e: ImpactEntry, stages: Sequence[Stage]) -> str | None:
        s = next((s for s in e.history() if s.stage in stages), None)
        return s.date if s else None

    def by_level(self, entries: Sequence[ImpactEntry]) -> list[tuple[str, str, int, str]]:
        counts = Counter(e.level or Level.UNCLEAR.value for e in entries)
        order = list(LEVEL_LABELS)
        return [(lv, LEVEL_LABELS.get(lv, lv), counts[lv], LEVEL_HELP.get(lv, ""))
                for lv in sorted(counts, key=lambda k: order.index(k) if k in order else 99)]

    def by_strength(self, entries: Sequence[ImpactEntry]) -> list[tuple[str, str, int, str]]:
        counts = Counter(self.strength(e) or "none" for e in entries)
        labels = {**STRENGTH_LABELS, "none": "No linked claim"}
        helps = {**STRENGTH_HELP, "none": "recorded by hand, with no claim behind it"}
        order = ["documented", "corroborated", "claimed", "none"]
        return [(k, labels[k], counts[k], helps[k]) for k in order if counts[k]]

    def refs(self, e: ImpactEntry, stages: Sequence[Stage] | None = None) -> list[EvidenceRef]:
        steps = [s for s in e.history() if stages is None or s.stage in stages]
        out: list[EvidenceRef] = []
        for s in steps:
            out.extend(r for r in s.evidence if r not in out)
        return out or (e.evidence()[:1] if stages is not None else [])

    def contested(self, entries: Sequence[ImpactEntry]) -> list[ImpactEntry]:
        return [e for e in entries if any(contradictions(self.claims[c]) for c in e.claim_ids if c in self.claims)]

    def examples(self, entries: Sequence[ImpactEntry], n: int = 3) -> list[ImpactEntry]:
        """The best-evidenced changes first (documented, then corroborated), then the most recent."""
        rank = {"documented": 0, "corroborated": 1, "claimed": 2, None: 3}
        return sorted(entries, key=lambda e: (rank.get(self.strength(e), 3),
                                              "".join(chr(0x10FFFF - ord(ch)) for ch in
                                                      (self.step_date(e, [Stage.DONE, Stage.VERIFIED]) or ""))))[:n]

    # -- people and activities
    def roles(self) -> list[tuple[str, int]]:
        """(label, count) by role, the label already in the count's number: ("carers", 5)."""
        counts = Counter(str(p.get("role") or "other") for p in self.participants)
        return [(plural(n, ROLE_LABELS.get(r, r.replace("_", " "))).split(" ", 1)[1], n) for r, n in counts.most_common()]

    def consented(self) -> int:
        return sum(1 for p in self.participants if p.get("consent_date"))

    def activities(self, entries: Sequence[ImpactEntry]) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for e in entries:
            acts = {self.claims[c].activity for c in e.claim_ids if c in self.claims}
            for a in acts:
                if a != "unclear_activity":
                    counts[self.code_label(a)] += 1
        return counts.most_common()

    def groups(self) -> list[str]:
        return sorted({e.case for e in self.now.active if e.case})

    def minutes_in_period(self) -> int:
        return sum(1 for s in self.sources if s.get("kind") == "minutes")

    # -- plain English for the public pages
    def plain_request(self, e: ImpactEntry) -> str:
        """What was asked or changed, in the log's words, unless those words are a quote of someone
        who may not be quoted: then in plain words from its domain and level."""
        head = " ".join(e.request[:40].rstrip("…").split())
        said_by = [r for r in e.evidence() if head and head in " ".join(r.text.split())]
        if said_by and not any(self.cite.may_quote(r) for r in said_by):
            where = PLAIN_LEVELS.get(e.level or "", "")
            return f"A change to {self.plain_domain(e)}{' ' + where if where else ''}."
        return e.request

    def voice(self, e: ImpactEntry) -> EvidenceRef | None:
        """A consented involved person's own words from the request, for 'you said' (None if there is none)."""
        for r in self.refs(e, [Stage.ASKED]) + e.evidence():
            if r.speaker and r.consented and r.role in INVOLVED_ROLES:
                return r
        return None

    @property
    def today(self) -> str:
        return datetime.now(UTC).date().isoformat()

    def responder(self, e: ImpactEntry) -> str:
        """Who answered a request: a decision-maker's pseudonym and role when the response quotes one
        (the role alone when they may not be named), else where the answer is recorded."""
        first = e.first_response(self.data.period.end)
        if first is None:
            return "no response recorded"
        for r in first.evidence:
            if r.role in DECISION_ROLES:
                role = r.role.replace("_", " ")
                return f"{r.speaker} ({role})" if r.speaker and self.cite.may_quote(r) else f"a {role}"
        if first.evidence:
            r = first.evidence[0]
            return f"recorded in {r.source_kind.replace('_', ' ')} of {_date(r.source_date)}"
        return f"recorded by {first.recorded_by or 'hand'}"

    def plain_domain(self, e: ImpactEntry) -> str:
        return PLAIN_DOMAINS.get(e.domain or "", "how things are done")


# ----------------------------------------------------------------------------- letters

@dataclass
class Letter:
    slug: str
    to: str
    greeting: str
    kind: str              # contributor | group
    entries: list[ImpactEntry]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "letter"


def letters_for(view: View) -> list[Letter]:
    """A letter to each group with entries in the period, and to each consented contributor (service
    user, carer, facilitator) whose words are in the evidence of an entry; one to everyone when the
    log holds nothing, so the letter can say so."""
    active = view.now.active
    out: list[Letter] = []
    people: dict[tuple[str, str | None], list[ImpactEntry]] = {}
    for e in active:
        for r in e.evidence():
            if r.speaker and r.consented and r.role in INVOLVED_ROLES:
                people.setdefault((r.speaker, e.case), [])
                if e not in people[(r.speaker, e.case)]:
                    people[(r.speaker, e.case)].append(e)
    groups = sorted({e.case for e in active if e.case} | {str(p["case"]) for p in view.participants if p.get("case")})
    for g in groups:
        out.append(Letter(f"group-{_slug(g)}", f"The members of {g}", f"Dear members of {g},", "group",
                          [e for e in active if e.case == g]))
    for (name, case), entries in sorted(people.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        out.append(Letter(f"contributor-{_slug(case or '')}-{_slug(name)}", f"{name}, {case}" if case else name,
                          f"Dear {name},", "contributor", entries))
    if not out:
        out.append(Letter("everyone", "Everyone involved", "Dear all,", "group", []))
    return out


# ----------------------------------------------------------------------------- writing

def reading_age(text: str) -> dict[str, float]:
    """Flesch–Kincaid grade and the UK reading age it implies (grade + 5), via textstat."""
    import textstat
    grade = float(textstat.flesch_kincaid_grade(text)) if text.strip() else 0.0
    return {"grade": round(grade, 1), "age": round(grade + 5, 1),
            "ease": round(float(textstat.flesch_reading_ease(text)), 1) if text.strip() else 100.0}


def visible_text(html: str) -> str:
    """The words a reader sees in the main part of a page (not the evidence list or the footer)."""
    from lxml import html as lxml_html
    doc = lxml_html.fromstring(html)
    for el in doc.xpath('//*[contains(concat(" ", @class, " "), " no-readability ")]|//style|//sup'):
        el.drop_tree()
    main = doc.xpath("//main")
    text = (main[0] if main else doc).text_content()
    return " ".join(text.split())


def render(kind: str, data: OutputData, templates: Path | None = None, logo: Path | None = None,
           letters: Sequence[Letter] = (), view: View | None = None) -> str:
    env = _environment(templates)
    v = view or View(data)
    ctx: dict[str, Any] = {
        "v": v, "d": data, "now": v.now, "prev": v.previous, "cite": v.cite, "letters": list(letters),
        "logo": _logo_uri(logo, templates), "kind": kind, "Stage": Stage,
        "generated": data.generated_at or datetime.now(UTC).strftime("%-d %B %Y"),
        "organisation": data.organisation or data.title, "reading": None,
        "target_age": READING_AGE_TARGET,
    }
    name = f"{kind}.html.j2"
    html = env.get_template(name).render(**ctx)
    if kind == "you-said-we-did":
        # The reading age is measured on the page itself, then stated on it.
        ctx["reading"] = reading_age(visible_text(html))
        v.cite = Citations()
        ctx["cite"] = v.cite
        html = env.get_template(name).render(**ctx)
    return html


def write_output(kind: str, data: OutputData, out_dir: Path, templates: Path | None = None,
                 logo: Path | None = None) -> list[Path]:
    """Write ``kind`` as HTML and DOCX into ``out_dir`` (letters: one pair per letter, plus all in one)."""
    if kind not in KINDS:
        raise ValueError(f"unknown output {kind!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def emit(stem: str, html: str) -> None:
        h = out_dir / f"{stem}.html"
        h.write_text(html, encoding="utf-8")
        x = out_dir / f"{stem}.docx"
        html_to_docx(html, x)
        written.extend([h, x])

    if kind != "letters":
        emit(kind, render(kind, data, templates, logo))
        return written
    letters = letters_for(View(data))
    emit("all-letters", render("letters", data, templates, logo, letters=letters))
    for letter in letters:
        emit(f"letter-{letter.slug}", render("letters", data, templates, logo, letters=[letter]))
    return written
