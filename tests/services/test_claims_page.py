"""The claims ledger's filters and pages, done by SQL, give the claims the old Python filter gave."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetrace.core.claims import InfluenceClaim

LEVELS = ["grassroots_operational", "organisational_network", "strategic_commissioning"]
DOMAINS = ["care_environment", "access_to_services", "policy"]
STATUSES = ["implemented", "proposed"]
WORDS = ["", "room", "QUIET", "Ärzte", "zz-none", " "]


@pytest.fixture
def ledger(project, corpus):
    """A small project with proposed claims (from codings, with evidence) and manual ones across two
    cases, three levels, three domains, two statuses and notes with words in them."""
    p = project
    p.import_paths([corpus])
    for s in p.sources():
        for i, g in enumerate(p.segments(s.name)):
            p.code(s.name, g.start, g.end, DOMAINS[i % 2], coder="ana")
            p.code(s.name, g.start, g.end, LEVELS[i % 3], coder="ana")
    p.build_claims(by="ana")
    if "Glanmorfa" not in {c.name for c in p.cases()}:
        p.add_case("Glanmorfa")
    for n, (case, level, domain, status) in enumerate(itertools.product(
            ["Northvale", "Glanmorfa"], LEVELS, DOMAINS, STATUSES)):
        c = p.add_claim(case, f"change {n}: the quiet room" if n % 3 == 0 else f"change {n}", level, domain,
                        status=status, by="ana")
        if n % 4 == 0:
            p.update_claim(c.id, "ana", note="ÄRZTE asked for it" if n % 8 == 0 else "a Room of our own")
    ids = [c.id for c in p.claims()][:2]
    p.merge_claims(ids, by="ana")  # merged parts leave the ledger
    return p


def old_filter(p, case="", level="", domain="", status="", words="", strength="") -> list[InfluenceClaim]:
    """The filter the web page ran in Python before (every active claim loaded with its evidence)."""
    needle = words.strip().lower()
    picked = [c for c in p.claims()
              if (not case or c.case_name == case) and (not level or c.level == level)
              and (not status or c.status == status) and (not domain or c.domain == domain)
              and (not needle or needle in f"{c.change} {c.note} {c.activity}".lower())]
    if strength:
        picked = [c for c in picked if p.claim_strength(c)[0] == strength]
    return picked


filters = st.fixed_dictionaries({
    "case": st.sampled_from(["", "Northvale", "Glanmorfa", "Nowhere"]),
    "level": st.sampled_from(["", *LEVELS]), "domain": st.sampled_from(["", *DOMAINS]),
    "status": st.sampled_from(["", *STATUSES, "rejected"]), "words": st.sampled_from(WORDS),
    "strength": st.sampled_from(["", "", "claimed", "corroborated", "documented"])})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wanted=filters, limit=st.integers(1, 9))
def test_sql_filter_and_pages_give_the_old_python_filter(ledger, wanted, limit):
    expected = [c.id for c in old_filter(ledger, **wanted)]
    first = ledger.claims_page(**wanted, offset=0, limit=limit)
    assert first.matched == len(expected)
    assert first.total == len(ledger.claims())
    pages = [first.claims]
    for offset in range(limit, len(expected) + limit, limit):
        page = ledger.claims_page(**wanted, offset=offset, limit=limit)
        assert page.matched == first.matched
        pages.append(page.claims)
    assert all(len(pg) <= limit for pg in pages)
    assert [c.id for pg in pages for c in pg] == expected  # the pages partition the result, in id order
    assert ledger.claims_page(**wanted, offset=len(expected), limit=limit).claims == []


def test_a_page_holds_the_claims_with_their_evidence(ledger):
    every = {c.id: c for c in ledger.claims()}
    page = ledger.claims_page(offset=0, limit=5)
    assert page.claims and all(c == every[c.id] for c in page.claims)
    assert any(c.evidence for c in ledger.claims_page(offset=0, limit=len(every)).claims)


def test_the_fixture_exercises_every_filter(ledger):
    """Each filter value used above matches some claims and misses others (so the comparison can fail)."""
    n = len(ledger.claims())
    for key, value in [("case", "Glanmorfa"), ("level", LEVELS[0]), ("domain", DOMAINS[0]),
                       ("status", "proposed"), ("words", "room"), ("words", "Ärzte")]:
        assert 0 < ledger.claims_page(**{key: value}).matched < n, (key, value)
    strengths = {ledger.claim_strength(c)[0] for c in ledger.claims()}
    assert len(strengths) >= 2
