from voicetrace.analysis.impact import status_of_passages, summarise
from voicetrace.core.impact import Stage, calendar_year, financial_year, parse_period

from ..impact_fixture import claims, entries


def _steps(e):
    return [(s.stage.value, s.date) for s in e.history()]


def test_stages_are_dated_by_the_passages_that_evidence_them() -> None:
    room, parking, leaflet = entries()
    assert _steps(room) == [("asked", "2008-03-12"), ("done", "2008-10-14"), ("verified", "2008-10-14")]
    assert "a document and an interview" in room.step_for(Stage.VERIFIED).note
    assert [r.source for r in room.step_for(Stage.DONE).evidence] == ["northvale/interview-01-margaret.txt",
                                                                      "northvale/interview-02-lomax.txt"]
    assert room.asked_by == "Northvale Cancer Partnership Group: Margaret (service user)"
    assert room.meeting == "minutes 2008-03-12 (northvale/minutes-2008-03-12.txt)"
    assert room.due == "2008-04-11" and room.status is Stage.VERIFIED
    assert _steps(parking) == [("asked", "2008-05-01"), ("declined", "2008-09-01")]
    assert parking.reason == "The trust board declined free parking because of the cost."
    # the request itself is not in the work plan: it is dated by its first record, and says so
    assert _steps(leaflet) == [("asked", "2009-02-01"), ("agreed", "2009-02-01")]
    assert "not in the sources" in leaflet.steps[0].note
    assert room.stage_on("2008-06-30") is Stage.ASKED and room.stage_on("2008-01-01") is None


def test_period_summary_counts_what_happened_in_the_period() -> None:
    s = summarise(entries(), financial_year(2008))
    ids = {k: sorted(e.id for e in getattr(s, k)) for k in s.counts()}
    assert ids == {"active": [1, 2, 3], "asked": [2, 3], "responded": [1, 2, 3], "changed": [1], "verified": [1],
                   "declined": [2], "open_at_end": [3], "overdue": [], "responded_in_time": [3]}
    before = summarise(entries(), financial_year(2008).previous())
    assert before.period.label == "financial year 2007-08"
    assert {k: len(v) for k, v in vars(before).items() if isinstance(v, list)} == {
        "active": 1, "asked": 1, "responded": 0, "changed": 0, "verified": 0, "declined": 0, "open_at_end": 1,
        "overdue": 0, "responded_in_time": 0}
    # at the end of 2008 the parking request had been answered late; nothing is overdue without an answer
    cal = summarise(entries(), calendar_year(2008))
    assert [e.id for e in cal.changed] == [1] and [e.id for e in cal.responded_in_time] == []


def test_an_unanswered_request_is_overdue_after_its_due_date() -> None:
    leaflet = entries()[2]
    leaflet.steps = leaflet.steps[:1]           # asked 2009-02-01, no answer
    assert [e.id for e in summarise([leaflet], parse_period("2009-01-01", "2009-03-31")).overdue] == [3]
    assert summarise([leaflet], parse_period("2009-01-01", "2009-02-28")).overdue == []   # due 3 March


def test_periods_parse_and_step_back() -> None:
    assert parse_period(financial="2008-09") == financial_year(2008)
    assert financial_year(2008).start == "2008-04-01" and financial_year(2008).end == "2009-03-31"
    assert parse_period(year="2008").previous() == calendar_year(2007)
    p = parse_period("2008-01-01", "2008-01-31")
    assert p.previous().start == "2007-12-01" and p.previous().end == "2007-12-31"
    assert parse_period().previous() is None
    for bad in ({"financial": "2008-11"}, {"year": "08"}, {"start": "2008-02-30"},
                {"start": "2009-01-01", "end": "2008-01-01"}, {"year": "2008", "start": "2008-01-01"}):
        try:
            parse_period(**bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_passage_status_is_the_status_coding_overlapping_it_most() -> None:
    c = claims()[0]
    e = c.evidence[0]
    codings = [{"source_id": e.source_id, "start": e.start, "end": e.start + 5, "code": "planned", "dimension": "status"},
               {"source_id": e.source_id, "start": e.start, "end": e.end, "code": "proposed", "dimension": "status"},
               {"source_id": e.source_id, "start": e.start, "end": e.end, "code": "care_environment",
                "dimension": "domain"}]
    assert status_of_passages([c], codings) == {(e.source_id, e.start, e.end): "proposed"}
