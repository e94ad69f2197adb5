"""The summary of findings, written from the numbers (never hard-coded), each number linked.

A sentence is a list of parts: plain strings and :class:`Num` figures, so every writer can decide
how to show a link (an anchor in HTML, plain text in Markdown). Every figure a sentence states is one
of the report's own table cells (or a sum of them), and tests/reports/test_statements.py reads the
rendered prose back and checks each number against the analysis tables. Characterisations follow the
thresholds of :mod:`voicetrace.analysis.characterisation` (documented in docs/claims.md).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from ..analysis.characterisation import MAINLY_SHARE, RARELY_RECORDED_SHARE, CaseCharacter
from ..core.claims import Level
from .numbers import Num, Sentence, pct, plural, sequence_names
from .sections import CaseNum, CaseProfile, Factor, Factors, LevelDomain, MainFinding, Synthesis, Totals

OUTCOME_PHRASES = {"changed": ("describes a change made", "describe a change made"),
                   "under_way": ("is under way", "are under way"),
                   "not_yet": ("is still asked for", "are still asked for"),
                   "declined": ("was turned down", "were turned down")}


def _n(num: Num) -> int:
    return int(num.value)


def _widest(factors: Factors, dimension: str) -> list[Factor]:
    """The factors of one dimension, coded in the most cases first (ties keep the table's order)."""
    return sorted(factors.of(dimension), key=lambda f: -_n(f.n_cases))


def outcome_parts(cells: Mapping[str, Num]) -> Sentence:
    """"a describe a change made, b are under way, c are still asked for and d were turned down"."""
    parts: Sentence = []
    keys = list(OUTCOME_PHRASES)
    for i, key in enumerate(keys):
        if i:
            parts.append(" and " if i == len(keys) - 1 else ", ")
        one, many = OUTCOME_PHRASES[key]
        n = cells[key]
        parts += [n, " " + plural(_n(n), one, many)]
    return parts


def findings(t: Totals, influence: LevelDomain, profiles: list[CaseProfile], synthesis: Synthesis, factors: Factors,
             n_cases: int, label: Callable[[str], str], case_num: CaseNum) -> list[Sentence]:
    total = _n(t.all)
    out: list[Sentence] = []
    if total == 0:
        return [[("No influence claims have been recorded yet: code passages with a level of influence to "
                 "see where the groups made a difference.")]]
    gr = t.levels[Level.GRASSROOTS.value]
    levels = {lv: _n(n) for lv, n in t.levels.items()}
    biggest = max(levels.values())
    if _n(gr) * 2 > total:
        lead: Sentence = ["Most claims (", gr, " of ", t.all, ") landed at grass-roots level"]
    elif _n(gr) == biggest:
        lead = ["The largest group of claims (", gr, " of ", t.all, ") landed at grass-roots level"]
    else:
        lead = [gr, " of ", t.all, " claims landed at grass-roots level"]
    st, sts = t.strategic, t.strategic_strong
    if _n(st):
        lead += ["; ", st, " reached strategic commissioning or national policy, ", sts,
                 " of them corroborated or documented."]
    else:
        lead += ["; none reached strategic commissioning or national policy."]
    out.append(lead)

    top = [(d, n) for d, n in influence.domain_totals if _n(n)][:3]
    if top:
        parts: Sentence = ["The changes most often claimed were in "]
        for i, (d, n) in enumerate(top):
            if i:
                parts.append(" and " if i == len(top) - 1 else ", ")
            parts += [label(d).lower(), " (", n, ")"]
        parts.append(".")
        out.append(parts)

    s = t.strengths
    out.append([s["documented"], plural(_n(s["documented"]), " claim is", " claims are"),
                " backed by a formal record (documented), ", s["corroborated"],
                plural(_n(s["corroborated"]), " is", " are"),
                " corroborated by a decision-maker or an independent source, and ", s["claimed"],
                plural(_n(s["claimed"]), " rests", " rest"), " on one party's word (claimed)."])

    k = t.contradicted
    if _n(k):
        out.append([k, plural(_n(k), " claim has evidence that contradicts it",
                              " claims have evidence that contradicts them"),
                    "; the contradiction is shown beside the claim, not averaged away."])
    else:
        out.append(["No claim has contradicting evidence."])

    if profiles:
        all_cases = Num(len(profiles), "sample")
        mainly = [p.case for p in profiles if p.character.emphasis == "mainly grass-roots"]
        more = [p.case for p in profiles if p.balance == "grass-roots"]
        led = case_num(more, "grassroots_claim_ids", "Grass-roots claims in cases where they outnumber strategic ones")
        sentence: Sentence = ["In ", led, " of ", all_cases, " cases grass-roots claims outnumber strategic ones"]
        if mainly:
            most = case_num(mainly, "grassroots_claim_ids",
                                 "Grass-roots claims in cases where they are more than half of all claims")
            sentence += ["; in ", most, " of them they are more than ", f"{MAINLY_SHARE:.0%}",
                         " of all the case's claims (mainly grass-roots)"]
        out.append(sentence + ["."])
        rare = [p for p in profiles if p.character.rarely_recorded]
        if rare:
            names = [p.case for p in rare]
            n = case_num(names, "all_claim_ids", "Claims in cases where few claims appear in a formal record")
            out.append(["In ", n, " of ", all_cases, " cases (", sequence_names([p.short for p in rare]),
                        ") fewer than ", f"{RARELY_RECORDED_SHARE:.0%}",
                        " of the claims appear in any minutes, strategy or work plan: "
                        + "what changed was rarely written down."])

    yes, no = synthesis.row("Funded facilitator", "yes"), synthesis.row("Funded facilitator", "no")
    if yes and no:
        out.append([yes.n_strong, " of the ", Num(yes.n_cases, "synthesis"),
                    " cases with a funded facilitator had a corroborated strategic claim, against ", no.n_strong,
                    " of the ", Num(no.n_cases, "synthesis"), " without (a count, not a statistical test)."])
    enablers = _widest(factors, "enabler")
    barriers = _widest(factors, "barrier")
    if enablers:
        e = enablers[0]
        n_all = Num(n_cases, "sample")
        parts = ["The most widespread enabler was ", e.label.lower(), ", coded in ", e.n_cases,
                 " of ", n_all, " cases"]
        if barriers:
            b = barriers[0]
            parts += ["; the most widespread barrier was ", b.label.lower(), " (", b.n_cases,
                      " of ", n_all, " cases)"]
        parts.append(".")
        out.append(parts)
    return out


def headline(t: Totals, core: MainFinding, label: Callable[[str], str]) -> list[Sentence]:
    """The study's question answered plainly: where did influence land, and what came of it?

    Each count of outcomes is the bar of the "what came of the claims" chart beside it (the strategic
    figures are its strategic and national bars added). Written from the figures, so a corpus with the
    opposite pattern gets the opposite sentences.
    """
    total = _n(t.all)
    if total == 0:
        return []
    gr, st = t.levels[Level.GRASSROOTS.value], t.strategic
    n_gr, n_st = _n(gr), _n(st)
    out: list[Sentence] = []
    domains: Sentence = []
    for i, (d, n) in enumerate(core.grassroots_domains):
        if i:
            domains.append(" and " if i == len(core.grassroots_domains) - 1 else ", ")
        domains += [label(d).lower(), " (", n, ")"]
    where: Sentence = [", mostly about ", *domains] if domains else []
    if n_gr:
        lead = "Influence was greatest at grass-roots level: " if n_gr > n_st else ""
        said: Sentence = [lead, gr, " of ", t.all, " claims (", pct(n_gr, total),
                          ") were about a single service, ward or leaflet", *where, ". Of these ", gr, ", "]
        out.append(said + outcome_parts(core.grassroots_outcomes) + ["."])
    if n_st == 0:
        out.append(["No claim reached strategic commissioning or national policy."])
    else:
        changed = core.strategic_outcomes["changed"]
        limited = _n(changed) * 2 < n_st
        sentence: Sentence = ["Strategic influence was limited: " if limited and n_gr > n_st else "", st,
                              " claims (", pct(n_st, total),
                              ") were about strategic commissioning or national policy; of these, "]
        out.append(sentence + outcome_parts(core.strategic_outcomes) + ["."])
    if n_gr and n_st:
        gs, ss = core.grassroots_strong, t.strategic_strong
        better = _n(gs) / n_gr > _n(ss) / n_st
        out.append(["Grass-roots changes are " + ("better" if better else "no better") + " evidenced: ",
                    gs, " of ", gr, " (", pct(_n(gs), n_gr), ") are corroborated or documented, against ",
                    ss, " of ", st, " (", pct(_n(ss), n_st), ") strategic claims."])
    return out


def case_statement(p: CaseProfile) -> Sentence:
    """The sentences under a case's name in the profiles, from its own table and thresholds."""
    ch: CaseCharacter = p.character
    n = ch.n_claims
    out: Sentence = [p.n, plural(n, " claim: ", " claims: "), p.grassroots, " at grass-roots level and ",
                     p.strategic, " strategic or national, ", p.strategic_strong,
                     " of them corroborated or documented."]
    gr, st = len(ch.grassroots_ids), len(ch.strategic_ids)
    emphasis = ch.emphasis
    if emphasis == "mainly grass-roots":
        out += [" Influence here is mainly grass-roots (", pct(gr, n), " of its claims)."]
    elif emphasis == "mainly strategic":
        out += [" Influence here is mainly strategic (", pct(st, n), " of its claims)."]
    elif emphasis == "more grass-roots":
        out += [" Grass-roots claims outnumber strategic ones, but are not most of its claims (", pct(gr, n), ")."]
    elif emphasis == "more strategic":
        out += [" Strategic claims outnumber grass-roots ones, but are not most of its claims (", pct(st, n), ")."]
    elif emphasis == "even":
        out += [" Grass-roots and strategic claims are even."]
    if n:
        out += [" ", p.recorded, " of its ", str(n), plural(n, " claim appears", " claims appear"),
                " in minutes, a strategy or a work plan",
                ": what changed was rarely written down." if ch.rarely_recorded else "."]
    return out


def next_steps(t: Totals, core: MainFinding, profiles: list[CaseProfile], factors: Factors,
               n_cases: int) -> list[Sentence]:
    """What a board could do next, each step from a figure of the report (and linked to it)."""
    if _n(t.all) == 0:
        return [["Code the sources with a level of influence, then build the claims: there is nothing to act on yet."]]
    out: list[Sentence] = []
    asked, declined = core.strategic_outcomes["not_yet"], core.strategic_outcomes["declined"]
    if _n(asked):
        out.append(["Follow up the ", asked, plural(_n(asked), " strategic request", " strategic requests"),
                    " still only asked for: ask who decides, and by when."])
    if _n(declined):
        out.append(["Find out why ", declined, plural(_n(declined), " strategic request was", " strategic requests were"),
                    " turned down, and whether to ask again with new evidence."])
    claimed = t.strengths["claimed"]
    if _n(claimed):
        out.append(["Ask the services for the record: ", claimed, plural(_n(claimed), " claim rests", " claims rest"),
                    " on one party's word; a minute, letter or plan would corroborate or document ",
                    plural(_n(claimed), "it.", "them.")])
    rare = [p for p in profiles if p.character.rarely_recorded]
    if rare:
        out.append(["Write down what changed in ", sequence_names([p.short for p in rare]), ": fewer than ",
                    f"{RARELY_RECORDED_SHARE:.0%}", " of ", plural(len(rare), "its", "their"),
                    " claims appear in minutes, a strategy or a work plan."])
    barriers = _widest(factors, "barrier")
    if barriers:
        b = barriers[0]
        out.append(["Tackle ", b.label.lower(), ", the most widespread barrier (coded in ", b.n_cases, " of ",
                    Num(n_cases, "sample"), " cases)."])
    return out
