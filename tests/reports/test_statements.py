"""Every sentence the report states, read back from the rendered HTML and checked against the tables.

The expected figures are recomputed here from the analysis frames (outcome_by_level, claims_frame,
enablers_barriers) and the claims' evidence, not taken from the report's own content, so a sentence
that says something its table does not fails. A sentence in the summary that no pattern below knows
also fails: new prose must come with its check.
"""
from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace

import pandas as pd
import pytest

from tests.reports.study_fixture import build
from voicetrace.analysis.claims.drafts import drafts_to_claims
from voicetrace.analysis.claims.editing import active_claims
from voicetrace.analysis.claims.profiles import claims_frame, outcome_by_level
from voicetrace.analysis.claims.proposal import propose_claims
from voicetrace.analysis.claims.strength import FORMAL_RECORD_KINDS
from voicetrace.analysis.matrices import enablers_barriers
from voicetrace.core.claims import Stance
from voicetrace.reports import ReportData, render_html
from voicetrace.reports.labels import code_label

STRATEGIC = ("strategic_commissioning", "national_policy")
GRASS = "grassroots_operational"


def _study(variant: str):
    s = build()
    ana = s["codings"][s["codings"]["coder"] == "ana"]
    claims = drafts_to_claims(propose_claims(s["segments"], s["codings"], s["codebook"], coder="ana"))
    if variant == "more_grass":
        grass = [c for c in claims if c.level == GRASS]
        claims = claims + [replace(c, id=c.id + 100 * i, status=st) for i, st in ((1, "in_progress"), (2, "proposed"))
                           for c in grass]
    elif variant == "strategic_heavy":
        strategic = [c for c in claims if c.level in STRATEGIC]
        claims = [c for c in claims if c.level != GRASS][:2] + strategic + [
            replace(c, id=c.id + 300, status="not_adopted") for c in strategic]
    data = ReportData(project_name="Fixture", codebook=s["codebook"], segments=s["segments"], codings=ana,
                      cases=s["cases"], claims=claims, participants=s["participants"], connections=s["connections"],
                      generated_at="2024-05-01")
    return data


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _between(page: str, start: str, end: str) -> str:
    a = page.index(start)
    return page[a:page.index(end, a)]


def _sentences(block: str, tag: str) -> list[str]:
    return [_text(m) for m in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", block, flags=re.DOTALL)]


def _outcomes(claims, levels) -> dict[str, int]:
    ob = outcome_by_level(claims)
    sub = ob[ob["level"].isin(levels)]
    return {o: int(sub[sub["outcome"] == o]["n_claims"].sum()) for o in ("changed", "under_way", "not_yet", "declined")}


def _pct(a: int, b: int) -> int:
    return round(100 * a / b) if b else 0


OUTCOME_TAIL = (r"(\d+) describes? a change made, (\d+) (?:is|are) under way, (\d+) (?:is|are) still asked for "
                r"and (\d+) (?:was|were) turned down\.")


def _check_domains(listing: str, counts: pd.Series, cb) -> None:
    items = re.findall(r"([^,(]+?) \((\d+)\)", listing)
    assert items
    labels = {code_label(cb, d).lower(): int(n) for d, n in counts.items()}
    got = [(lab.strip().removeprefix("and ").strip(), int(n)) for lab, n in items]
    for lab, n in got:
        assert labels[lab] == n, (lab, n, labels)
    assert [n for _, n in got] == sorted(labels.values(), reverse=True)[:len(got)]


def _check_headline(sentence: str, data: ReportData) -> bool:
    claims = active_claims(data.claims)
    cf = claims_frame(claims)
    total = len(cf)
    gr = int((cf["level"] == GRASS).sum())
    st = int(cf["level"].isin(STRATEGIC).sum())
    m = re.fullmatch(r"(Influence was greatest at grass-roots level: )?(\d+) of (\d+) claims \((\d+)%\) were about a "
                     r"single service, ward or leaflet(?:, mostly about (.+?))?\. Of these (\d+), " + OUTCOME_TAIL,
                     sentence)
    if m:
        assert bool(m.group(1)) == (gr > st)
        assert [int(m.group(i)) for i in (2, 3, 4, 6)] == [gr, total, _pct(gr, total), gr]
        out = _outcomes(claims, [GRASS])
        assert [int(m.group(i)) for i in (7, 8, 9, 10)] == list(out.values())
        if m.group(5):
            _check_domains(m.group(5), cf[cf["level"] == GRASS]["domain"].value_counts(), data.codebook)
        return True
    m = re.fullmatch(r"(Strategic influence was limited: )?(\d+) claims \((\d+)%\) were about strategic commissioning "
                     r"or national policy; of these, " + OUTCOME_TAIL, sentence)
    if m:
        out = _outcomes(claims, STRATEGIC)
        assert [int(m.group(2)), int(m.group(3))] == [st, _pct(st, total)]
        assert [int(m.group(i)) for i in (4, 5, 6, 7)] == list(out.values())
        assert bool(m.group(1)) == (out["changed"] * 2 < st and gr > st)
        return True
    m = re.fullmatch(r"Grass-roots changes are (better|no better) evidenced: (\d+) of (\d+) \((\d+)%\) are corroborated "
                     r"or documented, against (\d+) of (\d+) \((\d+)%\) strategic claims\.", sentence)
    if m:
        strong = cf["evidence_strength"].isin(["corroborated", "documented"])
        gs = int((strong & (cf["level"] == GRASS)).sum())
        ss = int((strong & cf["level"].isin(STRATEGIC)).sum())
        assert [int(m.group(i)) for i in range(2, 8)] == [gs, gr, _pct(gs, gr), ss, st, _pct(ss, st)]
        assert (m.group(1) == "better") == (gs / gr > ss / st)
        return True
    return sentence == "No claim reached strategic commissioning or national policy."


def _recorded(claims, case: str) -> tuple[int, int]:
    mine = [c for c in active_claims(claims) if c.case_name == case]
    rec = [c for c in mine if any(e.stance == Stance.SUPPORTS and e.source_type == "document"
                                  and e.source_kind in FORMAL_RECORD_KINDS for e in c.evidence)]
    return len(rec), len(mine)


def _check_finding(sentence: str, data: ReportData) -> bool:
    claims = active_claims(data.claims)
    cf = claims_frame(claims)
    total, gr = len(cf), int((cf["level"] == GRASS).sum())
    st_mask = cf["level"].isin(STRATEGIC)
    strong = cf["evidence_strength"].isin(["corroborated", "documented"])
    cases = list(data.cases["case"])
    m = re.fullmatch(r"(?:Most claims \(|The largest group of claims \()?(\d+) of (\d+)\)?(?: claims)? landed at "
                     r"grass-roots level; (?:(\d+) reached strategic commissioning or national policy, (\d+) of them "
                     r"corroborated or documented|none reached strategic commissioning or national policy)\.", sentence)
    if m:
        assert [int(m.group(1)), int(m.group(2))] == [gr, total]
        if m.group(3):
            assert [int(m.group(3)), int(m.group(4))] == [int(st_mask.sum()), int((st_mask & strong).sum())]
        if sentence.startswith("Most"):
            assert gr * 2 > total
        return True
    m = re.fullmatch(r"The changes most often claimed were in (.+)\.", sentence)
    if m:
        _check_domains(m.group(1), cf["domain"].value_counts(), data.codebook)
        return True
    m = re.fullmatch(r"(\d+) claims? (?:is|are) backed by a formal record \(documented\), (\d+) (?:is|are) corroborated "
                     r"by a decision-maker or an independent source, and (\d+) rests? on one party's word \(claimed\)\.",
                     sentence)
    if m:
        vc = cf["evidence_strength"].value_counts()
        assert [int(m.group(i)) for i in (1, 2, 3)] == [int(vc.get(s, 0)) for s in
                                                        ("documented", "corroborated", "claimed")]
        return True
    m = re.fullmatch(r"(\d+) claims? ha(?:s|ve) evidence that contradicts (?:it|them); .*", sentence)
    if m:
        assert int(m.group(1)) == int((cf["n_contradicting"] > 0).sum())
        return True
    if sentence == "No claim has contradicting evidence.":
        assert not (cf["n_contradicting"] > 0).any()
        return True
    m = re.fullmatch(r"In (\d+) of (\d+) cases grass-roots claims outnumber strategic ones(?:; in (\d+) of them they "
                     r"are more than 50% of all the case's claims \(mainly grass-roots\))?\.", sentence)
    if m:
        per = {c: (int(((cf["case"] == c) & (cf["level"] == GRASS)).sum()), int(((cf["case"] == c) & st_mask).sum()),
                   int((cf["case"] == c).sum())) for c in cases}
        assert int(m.group(1)) == sum(1 for g, s, _ in per.values() if g > s) and int(m.group(2)) == len(cases)
        assert int(m.group(3) or 0) == sum(1 for g, _, n in per.values() if g * 2 > n)
        return True
    m = re.fullmatch(r"In (\d+) of (\d+) cases \((.+)\) fewer than 20% of the claims appear in any minutes, strategy or "
                     r"work plan: what changed was rarely written down\.", sentence)
    if m:
        rare = [c for c in cases if _recorded(claims, c)[1] and _recorded(claims, c)[0] * 5 < _recorded(claims, c)[1]]
        assert int(m.group(1)) == len(rare) and int(m.group(2)) == len(cases)
        return True
    m = re.fullmatch(r"(\d+) of the (\d+) cases with a funded facilitator had a corroborated strategic claim, against "
                     r"(\d+) of the (\d+) without \(a count, not a statistical test\)\.", sentence)
    if m:
        fac = dict(zip(data.cases["case"], data.cases["funded_facilitator"]))
        has = {c for c in cases if ((cf["case"] == c) & st_mask & strong).any()}
        yes = [c for c in cases if fac[c]]
        no = [c for c in cases if not fac[c]]
        assert [int(m.group(i)) for i in (1, 2, 3, 4)] == [len(has & set(yes)), len(yes), len(has & set(no)), len(no)]
        return True
    m = re.fullmatch(r"The most widespread enabler was (.+?), coded in (\d+) of (\d+) cases(?:; the most widespread "
                     r"barrier was (.+?) \((\d+) of (\d+) cases\))?\.", sentence)
    if m:
        eb = enablers_barriers(data.codings, data.segments)
        present = eb[eb["count"] > 0].groupby(["dimension", "code"])["case"].nunique()
        assert int(m.group(2)) == int(present["enabler"].max()) and int(m.group(3)) == len(cases)
        if m.group(4):
            assert int(m.group(5)) == int(present["barrier"].max())
        return True
    return False


def _check_case(case: str, sentence: str, data: ReportData) -> None:
    cf = claims_frame(active_claims(data.claims))
    mine = cf[cf["case"] == case]
    n = len(mine)
    gr = int((mine["level"] == GRASS).sum())
    st = int(mine["level"].isin(STRATEGIC).sum())
    sts = int((mine["level"].isin(STRATEGIC) & mine["evidence_strength"].isin(["corroborated", "documented"])).sum())
    m = re.fullmatch(r"(\d+) claims?: (\d+) at grass-roots level and (\d+) strategic or national, (\d+) of them "
                     r"corroborated or documented\.(.*?)(?: (\d+) of its (\d+) claims? appears? in minutes, a strategy "
                     r"or a work plan(: what changed was rarely written down)?\.)?", sentence)
    assert m, sentence
    assert [int(m.group(i)) for i in (1, 2, 3, 4)] == [n, gr, st, sts]
    middle = m.group(5).strip()
    if gr * 2 > n:
        assert middle == f"Influence here is mainly grass-roots ({_pct(gr, n)}% of its claims)."
    elif st * 2 > n:
        assert middle == f"Influence here is mainly strategic ({_pct(st, n)}% of its claims)."
    elif gr > st:
        assert middle.startswith("Grass-roots claims outnumber strategic ones, but are not most")
    elif st > gr:
        assert middle.startswith("Strategic claims outnumber grass-roots ones, but are not most")
    elif gr == st and gr:
        assert middle == "Grass-roots and strategic claims are even."
    else:
        assert middle == ""
    if n:
        rec, total = _recorded(data.claims, case)
        assert [int(m.group(6)), int(m.group(7))] == [rec, total]
        assert bool(m.group(8)) == (rec * 5 < total)


@pytest.mark.parametrize("variant", ["fixture", "more_grass", "strategic_heavy"])
def test_every_sentence_of_the_summary_and_the_profiles_matches_its_table(variant: str) -> None:
    data = _study(variant)
    page = render_html(data)
    main = _between(page, 'class="main-finding"', "</div>\n")
    head = _sentences(main, "p")
    assert head
    for s in head:
        assert _check_headline(s, data), f"unchecked headline sentence: {s}"
    more = _sentences(_between(page, '<ul class="findings">', "</ul>"), "li")
    assert more
    for s in more:
        assert _check_finding(s, data), f"unchecked finding: {s}"
    profiles = _between(page, '<section id="profiles">', "</section>")
    blocks = re.findall(r'<h3>(.*?)</h3>.*?<p class="statement">(.*?)</p>', profiles, flags=re.DOTALL)
    assert len(blocks) == len(data.cases)
    for case, sentence in blocks:
        _check_case(_text(case), _text(sentence), data)


def test_cooccurrence_pairs_only_enablers_and_barriers() -> None:
    data = _study("fixture")
    page = render_html(data)
    if "Factors that occur together" not in page:
        pytest.skip("no co-occurring factors in this study")
    table = _between(page, "Factors that occur together", "</table>")
    factor_labels = {code_label(data.codebook, c.id) for c in data.codebook.codes_in("enabler")} | {
        code_label(data.codebook, c.id) for c in data.codebook.codes_in("barrier")}
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", table)
    assert rows
    for a, b in rows:
        assert _text(a) in factor_labels and _text(b) in factor_labels, (a, b)
