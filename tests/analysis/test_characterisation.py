"""Words a report uses of a case or a claim, by the thresholds of docs/claims.md §6."""
from voicetrace.analysis.characterisation import (
    CaseCharacter,
    best_evidenced,
    characterise_cases,
    in_formal_record,
)
from voicetrace.core.claims import Evidence, InfluenceClaim


def _ev(i: int, source: int, kind: str = "interview", stype: str = "transcript", text: str = "we did it",
        role: str | None = "service_user") -> Evidence:
    return Evidence(i, 0, source, f"s{source}", 0, len(text), text, source_type=stype, source_kind=kind,
                    speaker_role=role if stype == "transcript" else None)


def _claim(i: int, level: str, status: str, evidence: list[Evidence], case: str = "A") -> InfluenceClaim:
    return InfluenceClaim(i, 1, case, "unclear_activity", f"change {i}", level, "other_domain", status,
                          evidence=evidence)


def test_best_evidenced_orders_by_strength_then_sources_and_skips_mere_requests() -> None:
    """The report once showed a claimed, proposed claim and left out a documented two-source one."""
    asked = _claim(1, "grassroots_operational", "proposed", [_ev(1, 1)])
    claimed = _claim(2, "grassroots_operational", "implemented", [_ev(2, 2)])
    documented_two = _claim(3, "grassroots_operational", "implemented",
                            [_ev(3, 3, "minutes", "document", "The board agreed to fund it."), _ev(4, 4)])
    documented_one = _claim(4, "grassroots_operational", "in_progress",
                            [_ev(5, 5, "minutes", "document", "It was agreed.")])
    corroborated = _claim(5, "grassroots_operational", "sustained", [_ev(6, 6), _ev(7, 7, role="commissioner")])
    declined = _claim(6, "grassroots_operational", "not_adopted",
                      [_ev(8, 8, "minutes", "document", "The board agreed not to.")])
    got = best_evidenced([asked, claimed, documented_two, documented_one, corroborated, declined])
    assert [c.id for c in got] == [3, 4, 5]
    assert [c.id for c in best_evidenced([asked, claimed], 3)] == [2]
    assert [c.id for c in best_evidenced([asked, claimed], 3, changes_only=False)] == [2, 1]
    assert best_evidenced([documented_two], levels=["strategic_commissioning"]) == []


def test_case_emphasis_needs_more_than_half_for_mainly() -> None:
    """20 of 50 at grass-roots is not "mainly grass-roots", even when it outnumbers strategic claims."""
    def case(gr: int, st: int, other: int) -> CaseCharacter:
        claims = ([_claim(i, "grassroots_operational", "implemented", []) for i in range(gr)]
                  + [_claim(100 + i, "strategic_commissioning", "implemented", []) for i in range(st)]
                  + [_claim(200 + i, "organisational_network", "implemented", []) for i in range(other)])
        return characterise_cases(claims, ["A"])[0]
    assert case(20, 18, 12).emphasis == "more grass-roots"
    assert case(26, 18, 6).emphasis == "mainly grass-roots"
    assert case(25, 0, 25).emphasis == "more grass-roots"  # exactly half is not more than half
    assert case(2, 6, 3).emphasis == "mainly strategic"
    assert case(3, 3, 1).emphasis == "even" and case(0, 0, 4).emphasis == "none"


def test_a_strategy_that_mentions_a_change_is_a_written_record() -> None:
    """'What changed was rarely written down' was said of a case with a Trust strategy as evidence."""
    strategy = _claim(1, "strategic_commissioning", "implemented",
                      [_ev(1, 1, "strategy", "document", "The strategy includes a key worker for every patient.")])
    newsletter = _claim(2, "grassroots_operational", "implemented", [_ev(2, 2, "newsletter", "document")])
    talk = [_claim(3 + i, "grassroots_operational", "implemented", [_ev(3 + i, 3 + i)]) for i in range(3)]
    assert in_formal_record(strategy) and not in_formal_record(newsletter)
    few = characterise_cases([strategy, newsletter, *talk])[0]
    assert few.recorded_ids == (1,) and not few.rarely_recorded  # 1 of 5 is 20%: not fewer than 20%
    more_talk = [_claim(10 + i, "grassroots_operational", "implemented", [_ev(10 + i, 10 + i)]) for i in range(5)]
    assert characterise_cases([strategy, newsletter, *talk, *more_talk])[0].rarely_recorded
