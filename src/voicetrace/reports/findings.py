"""The summary of findings, written from the numbers (never hard-coded), each number linked.

A sentence is a list of parts: plain strings and :class:`Num` figures, so every writer can decide
how to show a link (an anchor in HTML, plain text in Markdown).
"""
from __future__ import annotations

from typing import Any

from ..core.claims import Level
from .content import Num, sequence_names

Sentence = list[str | Num]


def _n(num: Num) -> int:
    return int(num.value)


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def findings(c: dict[str, Any]) -> list[Sentence]:
    t = c["totals"]
    total = _n(t["all"])
    out: list[Sentence] = []
    if total == 0:
        return [[("No influence claims have been recorded yet: code passages with a level of influence to "
                 "see where the groups made a difference.")]]
    gr = t["levels"][Level.GRASSROOTS.value]
    levels = {lv: _n(n) for lv, n in t["levels"].items()}
    biggest = max(levels.values())
    if _n(gr) * 2 > total:
        lead: Sentence = ["Most claims (", gr, " of ", t["all"], ") landed at grass-roots level"]
    elif _n(gr) == biggest:
        lead = ["The largest group of claims (", gr, " of ", t["all"], ") landed at grass-roots level"]
    else:
        lead = [gr, " of ", t["all"], " claims landed at grass-roots level"]
    st, sts = t["strategic"], t["strategic_strong"]
    if _n(st):
        lead += ["; ", st, " reached strategic commissioning or national policy, ", sts,
                 _plural(_n(sts), " of them", " of them"), " corroborated or documented."]
    else:
        lead += ["; none reached strategic commissioning or national policy."]
    out.append(lead)

    top = [(d, n) for d, n in c["domain_totals"] if _n(n)][:3]
    if top:
        parts: Sentence = ["The changes most often claimed were in "]
        for i, (d, n) in enumerate(top):
            if i:
                parts.append(" and " if i == len(top) - 1 else ", ")
            parts += [c["code_label"](d).lower(), " (", n, ")"]
        parts.append(".")
        out.append(parts)

    s = t["strengths"]
    out.append([s["documented"], _plural(_n(s["documented"]), " claim is", " claims are"),
                " backed by a formal record (documented), ", s["corroborated"],
                _plural(_n(s["corroborated"]), " is", " are"),
                " corroborated by a decision-maker or an independent source, and ", s["claimed"],
                _plural(_n(s["claimed"]), " rests", " rest"), " on one party's word (claimed)."])

    k = t["contradicted"]
    if _n(k):
        out.append([k, _plural(_n(k), " claim has", " claims have"),
                    " evidence that contradicts it; the contradiction is shown beside the claim, not averaged away."])
    else:
        out.append(["No claim has contradicting evidence."])

    profiles = c["profiles"]
    if profiles:
        grass_led = [p["case"] for p in profiles if p["balance"] == "grass-roots"]
        no_record = [p for p in profiles if _n(p["n"]) and not any(_n(r["cells"]["documented"]) for r in p["rows"])]
        all_cases = Num(len(profiles), "sample")
        led = c["case_num"](grass_led, "grassroots_claim_ids", "Grass-roots claims in cases where they outnumber strategic ones")
        out.append(["In ", led, " of ", all_cases, " cases grass-roots claims outnumber strategic ones."])
        if no_record:
            names = [p["case"] for p in no_record]
            n = c["case_num"](names, "all_claim_ids", "Claims in cases with no documented claim")
            out.append(["In ", n, " of ", all_cases, " cases no claim is backed by a formal record (",
                        sequence_names(names), "): what changed was rarely written down."])

    rows = {(r["attribute"], r["value"]): r for r in c["comparison"]}
    yes, no = rows.get(("Funded facilitator", "yes")), rows.get(("Funded facilitator", "no"))
    if yes and no:
        out.append([yes["n_strong"], " of the ", Num(yes["n_cases"], "synthesis"),
                    " cases with a funded facilitator had a corroborated strategic claim, against ", no["n_strong"],
                    " of the ", Num(no["n_cases"], "synthesis"), " without (a count, not a statistical test)."])
    enablers = sorted((f for f in c["factors"] if f["dimension"] == "enabler"), key=lambda f: -_n(f["n_cases"]))
    barriers = sorted((f for f in c["factors"] if f["dimension"] == "barrier"), key=lambda f: -_n(f["n_cases"]))
    if enablers:
        e = enablers[0]
        n_all = Num(c["n_cases"], "sample")
        parts = ["The most widespread enabler was ", e["label"].lower(), ", coded in ", e["n_cases"],
                 " of ", n_all, " cases"]
        if barriers:
            b = barriers[0]
            parts += ["; the most widespread barrier was ", b["label"].lower(), " (", b["n_cases"],
                      " of ", n_all, " cases)"]
        parts.append(".")
        out.append(parts)
    return out


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def headline(c: dict[str, Any]) -> list[Sentence]:
    """The study's question answered plainly: where did influence land, and what came of the strategic aim?

    Written from the figures, so a corpus with the opposite pattern gets the opposite sentences.
    """
    t, core = c["totals"], c["core"]
    total = _n(t["all"])
    if total == 0:
        return []
    gr, st = t["levels"][Level.GRASSROOTS.value], t["strategic"]
    n_gr, n_st = _n(gr), _n(st)
    out: list[Sentence] = []
    domains: Sentence = []
    for i, (d, n) in enumerate(core["grassroots_domains"]):
        if i:
            domains.append(" and " if i == len(core["grassroots_domains"]) - 1 else ", ")
        domains += [c["code_label"](d).lower(), " (", n, ")"]
    where: Sentence = [" — mostly "] + domains if domains else []
    if n_gr > n_st:
        out.append(["Influence was greatest at grass-roots level: ", gr, " of ", t["all"], " claims (",
                    _pct(n_gr, total), ") changed something within a single service, ward or leaflet"]
                   + where + ["."])
    elif n_gr:
        out.append([gr, " of ", t["all"], " claims (", _pct(n_gr, total),
                    ") changed something within a single service, ward or leaflet"] + where + ["."])
    changed, unmet = core["strategic_changed"], core["strategic_unmet"]
    if n_st == 0:
        out.append(["No claim reached strategic commissioning or national policy."])
    else:
        limited = _n(changed) * 2 < n_st
        lead = "Strategic influence was limited: only " if limited and n_gr > n_st else ""
        sentence: Sentence = [lead] if lead else []
        sentence += [st, " claims (", _pct(n_st, total), ") reached strategic commissioning or national policy"]
        if n_gr > n_st or limited:
            sentence += [", and ", changed, " of them describe a change actually made; ", unmet,
                         _plural(_n(unmet), " was", " were"), " still being asked for or turned down."]
        else:
            compare = "more than" if n_st > n_gr else "as many as"
            sentence += [f", {compare} at grass-roots level; ", changed, " of them describe a change actually made."]
        out.append(sentence)
    if n_gr and n_st:
        gs, ss = core["grassroots_strong"], t["strategic_strong"]
        better = _n(gs) / n_gr > _n(ss) / n_st
        out.append(["Grass-roots changes are " + ("also better" if better and n_gr > n_st else "better" if better
                                                   else "no better") + " evidenced: ",
                    gs, " of ", gr, " (", _pct(_n(gs), n_gr), ") are corroborated or documented, against ",
                    ss, " of ", st, " (", _pct(_n(ss), n_st), ") strategic claims."])
    return out
