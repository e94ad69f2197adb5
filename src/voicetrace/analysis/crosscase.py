"""Cross-case analysis: whether claims ran through each group's connections, and which case
attributes and enablers go with strategic influence.

With ten cases, a test of significance would mislead; the comparison is a plain table of counts that
names the cases, so a reader can see (and argue with) every cell.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.claims import EvidenceStrength, InfluenceClaim, Level
from .claims.editing import active_claims
from .claims.strength import claim_strength
from .frames import optional_int, optional_str


@dataclass(frozen=True)
class Route:
    """A kind of organisational connection and the claims that would travel along it."""

    name: str
    label: str
    keywords: tuple[str, ...]
    levels: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()


# Checked in order: the first route whose keyword appears in the connection's type, target or
# relationship wins, so "tumour group" is a clinical group before it is a "group" of anything else.
ROUTES: tuple[Route, ...] = (
    Route("clinical_group", "clinical / tumour groups",
          ("tumour", "nssg", "site specific", "site-specific", "clinical group", "pathway group", "mdt",
           "clinical", "clinician"),
          domains=frozenset({"service_delivery_pathways"}), activities=frozenset({"representation_on_boards"})),
    Route("commissioner", "commissioners and funders",
          ("commission", "ccg", "icb", "pct", "primary care trust", "funder", "integrated care"),
          levels=frozenset({Level.STRATEGIC.value}), domains=frozenset({"commissioning"})),
    Route("national", "national bodies",
          ("national", "government", "department of health", "dhsc", "nhs england", "parliament", "minister"),
          levels=frozenset({Level.NATIONAL.value})),
    Route("network_board", "network and organisational boards",
          ("network", "alliance", "board", "steering", "committee", "executive"),
          levels=frozenset({Level.ORGANISATIONAL.value}), domains=frozenset({"involvement_governance", "policy"}),
          activities=frozenset({"representation_on_boards"})),
    Route("research", "research bodies",
          ("research", "university", "trial"),
          domains=frozenset({"research"}), activities=frozenset({"research_involvement"})),
    Route("provider", "hospitals and services",
          ("hospital", "trust", "ward", "hospice", "clinic", "service", "practice", "provider", "unit"),
          levels=frozenset({Level.GRASSROOTS.value, Level.ORGANISATIONAL.value})),
)
OTHER_ROUTE = Route("other", "other connections", ())


def route_of(target: str, target_type: str = "", relationship: str = "") -> Route:
    text = f" {target_type} {target} {relationship} ".lower().replace("_", " ")
    for route in ROUTES:
        if any(re.search(r"\b" + re.escape(k), text) for k in route.keywords):
            return route
    return OTHER_ROUTE


def _fits(route: Route, claim: InfluenceClaim) -> bool:
    return (claim.level in route.levels or claim.domain in route.domains or claim.activity in route.activities)


GENERIC_ACRONYMS = frozenset({"PCT", "CCG", "ICB", "NHS", "MDT", "NSSG", "CNS", "GP", "ICS", "LHB"})
"""Acronyms that name a kind of body, not one body: "PCT" in "North PCT" must not match "South PCT"."""


def _names(target: str, claim: InfluenceClaim) -> bool:
    """The claim's evidence mentions the connection by name or by its own acronym."""
    haystack = " ".join([claim.change] + [ev.text for ev in claim.evidence]).lower()
    if len(target.strip()) >= 4 and target.strip().lower() in haystack:
        return True
    acronyms = [t for t in re.findall(r"\b[A-Z]{3,}\b", target) if t not in GENERIC_ACRONYMS]
    return any(re.search(r"\b" + a.lower() + r"\b", haystack) for a in acronyms)


CONNECTION_COLUMNS = ["case_id", "case", "target", "target_type", "relationship", "route", "route_label",
                      "n_claims_route", "n_claims_named", "n_strategic", "strongest", "ran_through", "match",
                      "claim_ids"]


def connections_analysis(connections: pd.DataFrame, claims: Iterable[InfluenceClaim]) -> pd.DataFrame:
    """For each connection of each case: which of the case's claims ran through it?

    A claim is credited to a connection only when its evidence names the connection (target text or
    its acronym): two commissioners of one case would otherwise share every strategic claim, and the
    report would say both were routes for the same changes. ``n_claims_route`` still counts the claims
    of the kind such a connection carries (see ``ROUTES``: commissioners ↔ strategic level or
    commissioning domain; tumour/clinical groups ↔ representation on boards or pathways; boards and
    networks ↔ organisational level, governance or policy, representation; national bodies ↔ national
    policy; research bodies ↔ research), as context, never as credit; for providers (hospitals, trusts,
    services) it is 0, since grass-roots change fits every provider. ``strongest`` is the best evidence
    strength among the credited claims, or "" with none.
    """
    claim_list = active_claims(claims)
    rows = []
    for rec in connections.to_dict("records"):
        case_id, case = optional_int(rec.get("case_id")), optional_str(rec.get("case"))
        target = optional_str(rec.get("target")) or ""
        ttype = optional_str(rec.get("target_type")) or ""
        rel = optional_str(rec.get("relationship")) or ""
        route = route_of(target, ttype, rel)
        mine = [c for c in claim_list if (c.case_id, c.case_name) == (case_id, case)
                or (case_id is not None and c.case_id == case_id)
                or (case_id is None and case is not None and c.case_name == case)]
        # Hospitals and services are where most grass-roots change lands anyway, so fitting the kind is no
        # sign that a change went through *this* provider: for them only naming it in the evidence counts.
        by_route = [] if route.name == "provider" else [c for c in mine if _fits(route, c)]
        named = [c for c in mine if _names(target, c)]
        ids = sorted(c.id for c in named)
        chosen = named
        strengths = [claim_strength(c) for c in chosen]
        strongest = max(strengths, key=lambda s: s.rank).value if strengths else ""
        how = []
        if named:
            how.append(f"{len(named)} named in the evidence")
        if by_route:
            how.append(f"{len(by_route)} of the kind it carries, not credited unless named")
        rows.append({
            "case_id": case_id, "case": case, "target": target, "target_type": ttype, "relationship": rel,
            "route": route.name, "route_label": route.label, "n_claims_route": len(by_route),
            "n_claims_named": len(named),
            "n_strategic": sum(1 for c in chosen if c.level in (Level.STRATEGIC.value, Level.NATIONAL.value)),
            "strongest": strongest, "ran_through": bool(ids), "match": "; ".join(how), "claim_ids": ids,
        })
    return pd.DataFrame(rows, columns=CONNECTION_COLUMNS)


# --------------------------------------------------------------------------- cross-case comparison

COMPARISON_COLUMNS = ["attribute", "value", "n_cases", "n_strategic_any", "n_strategic_corroborated",
                      "cases", "cases_strategic_corroborated", "claim_ids"]

CODED_FACTORS: tuple[tuple[str, str], ...] = (
    ("enabler_relationships", "Open relationships (enabler coded)"),
    ("enabler_experiential_knowledge_valued", "Experiential knowledge valued (enabler coded)"),
    ("enabler_dedicated_resources", "Dedicated resources (enabler coded)"),
    ("enabler_leadership_support", "Leadership support (enabler coded)"),
    ("barrier_tokenism", "Tokenism (barrier coded)"),
    ("barrier_organisational_change", "Reorganisation (barrier coded)"),
)


def budget_band(value: Any) -> str:
    """Fixed bands so a reader can place a group without knowing the others' budgets."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is False:
        return "none recorded"
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return "none recorded"
    if amount <= 0:
        return "none recorded"
    if amount < 5000:
        return "under £5,000"
    if amount < 20000:
        return "£5,000 to £19,999"
    return "£20,000 or more"


def _yes_no(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "not recorded"
    if isinstance(value, str):
        return "yes" if value.strip().lower() in ("yes", "true", "y", "1") else "no"
    return "yes" if bool(value) else "no"


def _strategic_cases(claims: list[InfluenceClaim]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    any_: dict[str, list[int]] = {}
    strong: dict[str, list[int]] = {}
    for c in claims:
        if c.level not in (Level.STRATEGIC.value, Level.NATIONAL.value) or not c.case_name:
            continue
        any_.setdefault(c.case_name, []).append(c.id)
        if claim_strength(c).rank >= EvidenceStrength.CORROBORATED.rank:
            strong.setdefault(c.case_name, []).append(c.id)
    return any_, strong


def cross_case_comparison(cases_frame: pd.DataFrame, claims: Iterable[InfluenceClaim],
                          codings: pd.DataFrame) -> pd.DataFrame:
    """Case attributes and coded enablers/barriers against strategic influence, as counts with names.

    Rows: funded facilitator (yes/no), budget band, maturity (formed in or before / after the median
    year formed), and for each factor in ``CODED_FACTORS`` coded somewhere in the corpus: present /
    absent in the case. Columns: cases in the group, how many have any strategic claim (strategic
    commissioning or national policy), how many have one at least corroborated, the cases named,
    and the ids of those corroborated strategic claims.
    """
    claim_list = active_claims(claims)
    any_, strong = _strategic_cases(claim_list)
    cases = [(optional_str(r.get("case")) or "", r) for r in cases_frame.to_dict("records")]
    groups: list[tuple[str, str, list[str]]] = []

    def add(attribute: str, assign: dict[str, str], order: list[str]) -> None:
        for value in order:
            names = sorted(n for n, v in assign.items() if v == value)
            if names:
                groups.append((attribute, value, names))

    if "funded_facilitator" in cases_frame.columns:
        add("Funded facilitator", {n: _yes_no(r.get("funded_facilitator")) for n, r in cases},
            ["yes", "no", "not recorded"])
    if "annual_budget_gbp" in cases_frame.columns:
        add("Annual budget", {n: budget_band(r.get("annual_budget_gbp")) for n, r in cases},
            ["none recorded", "under £5,000", "£5,000 to £19,999", "£20,000 or more"])
    if "year_formed" in cases_frame.columns:
        years = {n: optional_int(r.get("year_formed")) for n, r in cases}
        known = [y for y in years.values() if y is not None]
        if known:
            cut = int(statistics.median_low(sorted(known)))
            add("Maturity (year formed)",
                {n: ("not recorded" if y is None else f"formed in or before {cut}" if y <= cut else f"formed after {cut}")
                 for n, y in years.items()},
                [f"formed in or before {cut}", f"formed after {cut}", "not recorded"])
    coded: dict[str, set[str]] = {}
    if len(codings) and "code" in codings.columns:
        for code, case in zip(codings["code"], codings["case"]):
            if optional_str(case):
                coded.setdefault(str(code), set()).add(str(case))
    for code, label in CODED_FACTORS:
        if code in coded:
            add(label, {n: ("present" if n in coded[code] else "absent") for n, _ in cases}, ["present", "absent"])

    rows = []
    for attribute, value, names in groups:
        with_any = [n for n in names if n in any_]
        with_strong = [n for n in names if n in strong]
        rows.append({
            "attribute": attribute, "value": value, "n_cases": len(names), "n_strategic_any": len(with_any),
            "n_strategic_corroborated": len(with_strong), "cases": names,
            "cases_strategic_corroborated": with_strong,
            "claim_ids": sorted(i for n in with_strong for i in strong[n]),
        })
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
