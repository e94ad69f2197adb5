"""Minutes are written item by item: two items of one set of minutes are two records, never one claim."""
from __future__ import annotations

from dataclasses import replace

from voicetrace.analysis.claims.drafts import ClaimDraft
from voicetrace.analysis.claims.items import ItemIndex, item_label, response_ask
from voicetrace.analysis.claims.merging import merge_drafts
from voicetrace.core.claims import Evidence

MINUTES = [  # (source, start, paragraph) as the store gives them
    (7, 0, "Glanmorfa Cancer Partnership Group"),
    (7, 40, "Present: Gwyneth (Chair), Emrys, Carys"),
    (7, 90, "1. Minutes of the last meeting and matters arising"),
    (7, 150, "The minutes of 22 April were agreed."),
    (7, 200, "Radiotherapy leaflet: the bilingual leaflet was printed in April and is sent to new patients."),
    (7, 300, "Carys said the leaflet was agreed by everyone at the last meeting."),
    (7, 380, "Travel sheet: Mr Pritchard sent word that first appointment letters now include a travel sheet."),
    (7, 480, "Helen reported: the minutes were agreed."),
    (7, 530, "## 2. X41 bus"),
    (7, 550, "Gwyneth read the reply from Glan Coaches."),
    (7, 600, "3. Any other business"),
]


def test_headings_and_labels_are_item_boundaries_and_other_paragraphs_continue_the_item() -> None:
    idx = ItemIndex(MINUTES)
    assert idx.item_of(7, 160) == (90, "")
    assert idx.item_of(7, 200) == (90, "radiotherapy leaflet")
    assert idx.item_of(7, 310) == (90, "radiotherapy leaflet")  # a paragraph with no label continues the item
    assert idx.item_of(7, 380) == (90, "travel sheet")
    assert idx.item_of(7, 480) == (90, "travel sheet")  # "Helen reported:" is who spoke, not an item
    assert idx.item_of(7, 550) == (530, "")  # a markdown heading is a heading too
    assert idx.item_of(7, 50) == (-1, "present")
    assert idx.item_of(8, 10) is None  # not a set of minutes the index knows
    assert idx.title_of(7, 550) == "X41 bus"
    assert idx.title_of(7, 160) == ""  # every meeting has matters arising: no title worth reading
    assert idx.title_of(7, 200) == ""  # the label is already in the passage
    assert idx.title_of(7, 605) == ""


def test_item_label() -> None:
    assert item_label("Quiet room on Ward Teifi: Bethan reported that the ward manager agreed") == "quiet room on ward teifi"
    assert item_label("Megan described her experience of getting from Cwmderwen to Tregarth: the X41 stops") == ""
    assert item_label("Sister Corless confirmed: the chairs came") == ""
    assert item_label("The chairs came.") == ""


def _draft(key: str, text: str, start: int, *, kind: str = "minutes", sid: int = 7,
           source_type: str = "document", domain: str = "access_to_services") -> ClaimDraft:
    ev = Evidence(id=1, claim_id=1, source_id=sid, source_name=f"s{sid}.txt", start=start, end=start + len(text),
                  text=text, source_type=source_type, source_kind=kind,
                  speaker_role="service_user" if source_type == "transcript" else None)
    return ClaimDraft(key, 1, "Glanmorfa", "audit_survey_visit", text, "grassroots_operational", domain,
                      "implemented", None, [ev], [key], evidence_status=["implemented"])


# Two items of one meeting, sharing the meeting's bookkeeping and a few words, about two changes.
LEAFLET = ("Radiotherapy leaflet: the bilingual leaflet was printed in April and is now sent with first "
           "appointment letters to all new patients at Tregarth, as members agreed.")
SHEET = ("Travel sheet: Mr Pritchard sent word that first appointment letters to new patients at Tregarth "
         "now include a travel sheet, as members agreed.")


def test_two_items_of_one_set_of_minutes_never_share_a_claim() -> None:
    drafts = [_draft("a", LEAFLET, 200), _draft("b", SHEET, 380)]
    assert len(merge_drafts(drafts)) == 1  # their words alone would merge them ...
    out = merge_drafts(drafts, items=ItemIndex(MINUTES))
    assert [d.merged_from for d in out] == [["a"], ["b"]]  # ... their items keep them apart


def test_an_account_of_one_item_joins_that_item_s_claim() -> None:
    talk = _draft("t", "Oh yes, the travel sheet with the appointment letters, with bus times, a great help at Tregarth.",
                  0, kind="interview", sid=9, source_type="transcript")
    out = merge_drafts([_draft("a", LEAFLET, 200), _draft("b", SHEET, 380), talk], items=ItemIndex(MINUTES))
    assert sorted(sorted(d.merged_from) for d in out) == [["a"], ["b", "t"]]


def test_one_item_of_one_meeting_may_hold_several_passages() -> None:
    more = _draft("c", "Carys said the bilingual leaflet is a great help to new patients at Tregarth.", 300)
    out = merge_drafts([_draft("a", LEAFLET, 200), more], items=ItemIndex(MINUTES))
    assert len(out) == 1


def test_a_record_is_read_with_the_title_of_the_item_it_is_filed_under() -> None:
    # The later meeting's record never says "X41" or "bus"; its item's heading does.
    later = [(8, 0, "4. X41 bus stop"),
             (8, 20, "Gwyneth read the reply from Glan Coaches: the detour would add six minutes.")]
    first = _draft("a", "Members agreed to ask for the X41 bus to stop at the entrance of the centre.", 10, sid=7)
    reply = _draft("b", later[1][2], 20, sid=8)
    index = ItemIndex([(7, 0, "2. Travel"), *later])
    assert len(merge_drafts([first, reply])) == 2
    assert len(merge_drafts([first, reply], items=index)) == 1


# A written response makes its recommendations one by one, each about something else.
RESPONSE = [(30, 0, "Response to the Cancer Reform Strategy consultation"),
            (30, 60, "2. Carers"), (30, 80, "x"), (30, 400, "3. Getting to treatment"), (30, 420, "y")]
CARERS = ("Carers are largely invisible in cancer services. We recommend that carers are offered an "
          "assessment of their own needs.")
TRAVEL = ("Travel and parking costs are a hidden cost of cancer. We recommend national guidance on free "
          "parking for patients having regular radiotherapy.")
SURVIVORSHIP = "Many members felt dropped at the end of treatment. We recommend that survivorship be a priority."


def test_response_ask_is_a_document_making_its_own_recommendation() -> None:
    assert response_ask(CARERS, "document", "strategy")
    assert response_ask("We ask that a user member sits on the commissioning group.", "document", "other")
    assert not response_ask("In May we asked the board to fund two posts.", "document", "annual_report")  # a report
    assert not response_ask(CARERS, "document", "minutes")  # minutes are items
    assert not response_ask(CARERS, "transcript", "interview")


def test_the_recommendations_of_one_response_are_one_claim() -> None:
    recs = [_draft("c", CARERS, 80, kind="strategy", sid=30), _draft("t", TRAVEL, 420, kind="strategy", sid=30),
            _draft("s", SURVIVORSHIP, 700, kind="strategy", sid=30)]
    apart = [replace(d, evidence=[replace(d.evidence[0], source_id=40 + n)]) for n, d in enumerate(recs)]
    assert len(merge_drafts(apart)) == 3  # their words alone: three changes ...
    out = merge_drafts(recs)  # no title read: the response alone makes them one
    assert [sorted(d.merged_from) for d in out] == [["c", "s", "t"]]  # ... one response: one claim


def test_recommendations_of_two_responses_stay_apart() -> None:
    one = _draft("a", CARERS, 80, kind="strategy", sid=30)
    other = _draft("b", SURVIVORSHIP, 80, kind="strategy", sid=31)
    out = merge_drafts([one, other], items=ItemIndex(RESPONSE + [(31, 0, "Response to the draft plan")]))
    assert len(out) == 2


def test_a_response_is_read_with_its_title_and_meets_the_record_of_it() -> None:
    # The minutes name the response ("our response to the Cancer Reform Strategy"); the recommendations
    # never do: the document's title does.
    record = _draft("m", "Helen reported that the group's response to the Cancer Reform Strategy consultation "
                    "had been sent to the Department of Health.", 10, sid=7)
    recs = [_draft("c", CARERS, 80, kind="strategy", sid=30), _draft("t", TRAVEL, 420, kind="strategy", sid=30)]
    index = ItemIndex(MINUTES + RESPONSE)
    assert index.document_title(30) == "Response to the Cancer Reform Strategy consultation"
    assert len(merge_drafts([record, *recs], items=ItemIndex(MINUTES))) == 2  # without the title: apart
    assert [sorted(d.merged_from) for d in merge_drafts([record, *recs], items=index)] == [["c", "m", "t"]]


# One change asked for in one item, followed up under two labels of a later meeting, and told as one by a
# report: a bench by the bus stop and a shelter over it.
ASKED = [(50, 0, "3. Bus stop at the hospice"),
         (50, 30, ("Members agreed to ask the hospice for a bench at the bus stop and a shelter over it, "
                   "so that patients waiting for the bus can sit out of the rain."))]
LATER = [(51, 0, "1. Matters arising"),
         (51, 30, "Bench: Nia reported that the hospice has put a bench at the bus stop by the gate."),
         (51, 120, "Shelter: Nia reported that a shelter now covers the bench, so patients sit out of the rain.")]


def _bench_drafts(report: str) -> list[ClaimDraft]:
    return [_draft("ask", ASKED[1][2], 30, sid=50), _draft("bench", LATER[1][2], 30, sid=51),
            _draft("shelter", LATER[2][2], 120, sid=51), _draft("report", report, 0, kind="annual_report", sid=52)]


def test_two_items_of_one_meeting_that_the_other_sources_tell_as_one_change_share_a_claim() -> None:
    told_together = ("After our letter the hospice put a bench at the bus stop by the gate and a shelter "
                     "over it: patients waiting for the bus now sit out of the rain.")
    drafts = _bench_drafts(told_together)
    index = ItemIndex(ASKED + LATER)
    assert index.item_of(51, 30) != index.item_of(51, 120)  # two items of one meeting
    out = merge_drafts(drafts, items=index)
    assert [sorted(d.merged_from) for d in out] == [["ask", "bench", "report", "shelter"]]


def test_two_items_of_one_meeting_stay_apart_when_the_other_sources_tell_them_apart() -> None:
    # The later meeting's two items share its bookkeeping (Nia reported, action closed); everything else
    # is about the bench alone, so the shelter is another change.
    later = [(51, 0, "1. Matters arising"),
             (51, 30, "Bench: Nia reported that a bench now stands by the gate. Action closed."),
             (51, 120, "Shelter: Nia reported that the shelter is now up. Action closed.")]
    drafts = [_draft("ask", "Members agreed to ask for a bench by the gate.", 30, sid=50),
              _draft("bench", later[1][2], 30, sid=51), _draft("shelter", later[2][2], 120, sid=51),
              _draft("report", "After our letter a bench was put by the gate.", 0, kind="annual_report", sid=52)]
    assert len(merge_drafts(drafts)) == 1  # the words alone would make one claim of all four ...
    out = merge_drafts(drafts, items=ItemIndex(ASKED[:1] + later))
    assert sorted(sorted(d.merged_from) for d in out) == [["ask", "bench", "report"], ["shelter"]]


# A grant application asks for one thing and then describes it in sections that never name it again.
ASK = "We request £4,000 to run a gardening club at the day centre for people living with cancer."
DESIGNED = "The sessions were planned at two workshops with members and the centre's staff in the spring."
RECALLED = "In 2007 the group rewrote the chemotherapy leaflet, now given to every new patient."


def _status(d: ClaimDraft, status: str) -> ClaimDraft:
    return replace(d, status=status, evidence_status=[status])


def test_a_paragraph_of_a_grant_application_that_names_no_claim_continues_its_ask() -> None:
    ask = _status(_draft("ask", ASK, 100, kind="grant_application", sid=60), "proposed")
    designed = _status(_draft("designed", DESIGNED, 300, kind="grant_application", sid=60), "in_progress")
    # as paragraphs of an annual report they share no words and stay apart ...
    apart = [replace(d, evidence=[replace(d.evidence[0], source_kind="annual_report")]) for d in (ask, designed)]
    assert len(merge_drafts(apart)) == 2
    # ... as paragraphs of one grant application, the second describes what the first asks for
    out = merge_drafts([ask, designed])
    assert [sorted(d.merged_from) for d in out] == [["ask", "designed"]]
    assert "grant application" in out[0].merge_reasons[0]


def test_a_grant_application_s_paragraph_on_an_earlier_change_joins_that_change() -> None:
    leaflet = _draft("leaflet", "Members rewrote the chemotherapy leaflet in plain English; it was reprinted in "
                     "the autumn and is given to every new patient.", 10, kind="annual_report", sid=61)
    ask = _status(_draft("ask", ASK, 100, kind="grant_application", sid=60), "proposed")
    recalled = _draft("recalled", RECALLED, 300, kind="grant_application", sid=60)
    out = merge_drafts([leaflet, ask, recalled])
    assert sorted(sorted(d.merged_from) for d in out) == [["ask"], ["leaflet", "recalled"]]


def test_a_grant_application_without_a_coded_ask_changes_nothing() -> None:
    designed = _draft("designed", DESIGNED, 300, kind="grant_application", sid=60)
    other = _draft("other", ASK, 100, kind="grant_application", sid=60)  # coded as done: not an ask
    assert len(merge_drafts([other, designed])) == 2
