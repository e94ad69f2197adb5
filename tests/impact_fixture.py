"""A small impact log with known answers: three claims whose passages date each stage.

- quiet room: asked in March 2008 minutes, done per a service user (Oct 2008) and a clinician (Nov 2008);
  minutes + interview make it corroborated on 14 Oct 2008, so it is verified that day.
- free parking: asked in May 2008 minutes, declined in September 2008 minutes (30-day response missed).
- Welsh leaflet: planned in the February 2009 work plan; still open at the end of 2008-09.
"""
from __future__ import annotations

from voicetrace.core.claims import Evidence, InfluenceClaim

CASE = "Northvale Cancer Partnership Group"
SOURCES = {1: ("northvale/minutes-2008-03-12.txt", "minutes", "document", "2008-03-12"),
           2: ("northvale/interview-01-margaret.txt", "interview", "transcript", "2008-10-14"),
           3: ("northvale/interview-02-lomax.txt", "interview", "transcript", "2008-11-04"),
           4: ("northvale/minutes-2008-05-01.txt", "minutes", "document", "2008-05-01"),
           5: ("northvale/minutes-2008-09-01.txt", "minutes", "document", "2008-09-01"),
           6: ("northvale/work-plan-2009.txt", "work_plan", "document", "2009-02-01")}
DATES = {k: v[3] for k, v in SOURCES.items()}


def ev(eid: int, claim: int, source: int, text: str, speaker: str | None = None, role: str | None = None) -> Evidence:
    name, kind, typ, _ = SOURCES[source]
    return Evidence(id=eid, claim_id=claim, source_id=source, source_name=name, start=10 * eid, end=10 * eid + len(text),
                    text=text, source_type=typ, source_kind=kind, speaker=speaker, speaker_role=role)


def claims() -> list[InfluenceClaim]:
    return [
        InfluenceClaim(1, 1, CASE, "audit_survey_visit", "A quiet room opened on the day unit.", "grassroots_operational",
                       "care_environment", "implemented", "2008-03-12", [
                           ev(1, 1, 1, "Members asked for a quiet room on the day unit."),
                           ev(2, 1, 2, "The quiet room opened in June and I use it every week.", "Margaret",
                              "service_user"),
                           ev(3, 1, 3, "We opened the quiet room in June.", "Dr Lomax", "clinician")]),
        InfluenceClaim(2, 1, CASE, "proactive_campaigning", "Members asked for free parking for patients.",
                       "organisational_network", "access_to_services", "not_adopted", "2008-05-01", [
                           ev(4, 2, 4, "Members asked for free parking for patients."),
                           ev(5, 2, 5, "The trust board declined free parking because of the cost.")]),
        InfluenceClaim(3, 1, CASE, "producing_information", "A Welsh version of the chemotherapy leaflet is planned.",
                       "grassroots_operational", "patient_information", "planned", "2009-02-01", [
                           ev(6, 3, 6, "A Welsh version of the chemotherapy leaflet is planned for the summer.")]),
    ]


PASSAGE_STATUS = {(1, 10, 10 + len("Members asked for a quiet room on the day unit.")): "proposed",
                  (2, 20, 20 + len("The quiet room opened in June and I use it every week.")): "implemented",
                  (3, 30, 30 + len("We opened the quiet room in June.")): "implemented",
                  (4, 40, 40 + len("Members asked for free parking for patients.")): "proposed",
                  (5, 50, 50 + len("The trust board declined free parking because of the cost.")): "not_adopted",
                  (6, 60, 60 + len("A Welsh version of the chemotherapy leaflet is planned for the summer.")): "planned"}
CONSENTED = {("Margaret", CASE)}


def entries():
    from voicetrace.analysis.impact import entry_from_claim
    out = []
    for i, c in enumerate(claims(), start=1):
        e = entry_from_claim(c, PASSAGE_STATUS, DATES, lambda s, k: (s, k) in CONSENTED)
        e.id = i
        out.append(e)
    return out
