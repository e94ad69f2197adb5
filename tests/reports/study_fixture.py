"""A tiny hand-built study (3 cases, 21 segments) with answers worked out by hand.

Shared by tests/analysis and tests/reports (loaded by path, see ``load``). The frames have exactly the
columns the service layer guarantees (/work/briefs/frames.md).

Known answers (coder "ana"):
  Riverside  chemo leaflet    AR + interview(service_user)          grassroots/patient_information  corroborated
             transport scheme minutes("agreed") + commissioner      strategic/commissioning         documented
             parking charges  AR; interview says declined           organisational/access           claimed, 1 contradiction
  Hillview   waiting chairs   newsletter + interview                grassroots/care_environment     corroborated
             network strategy interview(professional), coded claimed strategic/policy                claimed
             phone number     interview, coded corroborated         grassroots/access               corroborated
  Lakeside   key worker       strategy ("approved")                 strategic/pathways              documented
             follow-up        interview(carer)                      organisational/pathways         claimed
             national plan    strategy, no decision words, planned  national/policy                 claimed
             quiet room       interview(carer)                      grassroots/care_environment     claimed
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pandas as pd

CASES = [
    {"case_id": 1, "case": "Riverside", "nation": "England", "year_formed": 2001, "members": 14,
     "funded_facilitator": True, "annual_budget_gbp": 12000, "case_study": True},
    {"case_id": 2, "case": "Hillview", "nation": "Wales", "year_formed": 2005, "members": 8,
     "funded_facilitator": False, "annual_budget_gbp": 0, "case_study": True},
    {"case_id": 3, "case": "Lakeside", "nation": "Scotland", "year_formed": 2003, "members": 11,
     "funded_facilitator": True, "annual_budget_gbp": 25000, "case_study": True},
]

# id: name, case_id, type, kind, date, (speaker, participant_id, pseudonym, role)
SOURCES: dict[int, tuple[str, int, str, str, str | None, tuple[str, int, str, str] | None]] = {
    1: ("Riverside annual report 2007", 1, "document", "annual_report", "2007-12-01", None),
    2: ("Riverside minutes & actions, March 2007", 1, "document", "minutes", "2007-03-14", None),
    3: ("Riverside interview 1", 1, "transcript", "interview", "2008-02-01", ("Mary Jones", 1, "Rose", "service_user")),
    4: ("Riverside interview 2", 1, "transcript", "interview", "2008-02-03", ("Dr Alan Smith", 2, "Ash", "commissioner")),
    5: ("Hillview newsletter spring", 2, "document", "newsletter", "2007-04-01", None),
    6: ("Hillview interview 1", 2, "transcript", "interview", "2008-03-01", ("Ivy Brown", 3, "Iris", "service_user")),
    7: ("Hillview interview 2", 2, "transcript", "interview", "2008-03-02", ("Owen Price", 4, "Oak", "professional")),
    8: ("Lakeside cancer strategy", 3, "document", "strategy", "2006-09-01", None),
    9: ("Lakeside interview 1", 3, "transcript", "interview", "2008-04-01", ("Fiona Grey", 5, "Fern", "carer")),
}

# segment id, source id, text, codes applied by "ana" to the whole segment
SEGMENTS: list[tuple[int, int, str, list[str]]] = [
    (1, 1, "The group reviewed the chemotherapy leaflet and the leaflet was revised in plain English.",
     ["grassroots_operational", "patient_information", "producing_information"]),
    (2, 3, "We went through the chemotherapy leaflet line by line and they revised the leaflet in plain English.",
     ["grassroots_operational", "patient_information", "producing_information"]),
    (3, 2, "The board agreed to fund a hospital transport scheme following the group's survey.",
     ["strategic_commissioning", "commissioning", "audit_survey_visit"]),
    (4, 4, "We commissioned the transport scheme because the group's survey showed patients could not get there.",
     ["strategic_commissioning", "commissioning", "audit_survey_visit"]),
    (5, 1, "Parking charges for cancer patients were reduced across the trust after our campaign.",
     ["organisational_network", "access_to_services", "proactive_campaigning"]),
    (6, 3, "Honestly the parking campaign went nowhere: the trust declined to cut parking charges.",
     ["organisational_network", "access_to_services", "not_adopted"]),
    (7, 3, "The nurses treat us as equal partners, it is a good working relationship.", ["enabler_relationships"]),
    (8, 4, "Their lived experience changed how we see the service.", ["enabler_experiential_knowledge_valued"]),
    (9, 5, "Thanks to our members new chairs were installed in the waiting room at the day unit.",
     ["grassroots_operational", "care_environment", "peer_review_walkaround"]),
    (10, 6, "After the walkaround the waiting room got new chairs and a water cooler.",
     ["grassroots_operational", "care_environment", "peer_review_walkaround"]),
    (11, 7, "The group's views were reflected in the network cancer strategy.",
     ["strategic_commissioning", "policy", "consultation_reference_group", "claimed"]),
    (12, 6, "Sometimes it felt like the decisions were already made, a tick-box.", ["barrier_tokenism"]),
    (13, 7, "We work well together but the big decisions were already decided elsewhere.",
     ["barrier_tokenism", "enabler_relationships"]),
    (14, 6, "We asked for a single phone number for the clinic and now there is one.",
     ["grassroots_operational", "access_to_services", "feedback_complaints", "corroborated"]),
    (15, 8, ("The strategy gives every patient a key worker, as recommended by the partnership group; "
            "the network board approved the strategy in May."),
     ["strategic_commissioning", "service_delivery_pathways", "consultation_reference_group"]),
    (16, 9, "I sit on the lung tumour group as the carer representative.", ["representation_on_boards"]),
    (17, 9, "The lung tumour group changed the follow-up pathway after we raised it.",
     ["organisational_network", "service_delivery_pathways", "representation_on_boards"]),
    (18, 9, "Our facilitator is funded by Macmillan and keeps us going.", ["enabler_dedicated_resources"]),
    (19, 8, "Members of the group will be consulted about the national cancer plan.",
     ["national_policy", "policy", "consultation_reference_group", "planned"]),
    (20, 9, "The ward now has a quiet room, which we pushed for.",
     ["grassroots_operational", "care_environment", "proactive_campaigning"]),
    (21, 8, "Meetings are held quarterly in the library.", []),
]

# a second coder double-codes segment 1 the same way (tests the coder filter and de-duplication)
SECOND_CODER = [(1, ["grassroots_operational", "patient_information", "producing_information"])]

CONNECTIONS = [
    {"case_id": 1, "case": "Riverside", "target": "County Commissioning Group", "target_type": "commissioner",
     "relationship": "annual presentation"},
    {"case_id": 1, "case": "Riverside", "target": "Cancer Network Board", "target_type": "board",
     "relationship": "lay seat"},
    {"case_id": 2, "case": "Hillview", "target": "Hillview Primary Care Trust", "target_type": "commissioner",
     "relationship": "consulted on strategy"},
    {"case_id": 2, "case": "Hillview", "target": "University of Westshire", "target_type": "research",
     "relationship": "occasional"},
    {"case_id": 3, "case": "Lakeside", "target": "Lung tumour group", "target_type": "clinical_group",
     "relationship": "carer representative"},
]


def _dimensions() -> dict[str, str]:
    from voicetrace.storage.codebooks import load_default_codebook
    cb = load_default_codebook()
    return {c.id: cb.dimension_of(c.id) or "" for c in cb.codes}


def build() -> dict[str, Any]:
    """Frames, codebook and per-source texts of the fixture study."""
    from voicetrace.storage.codebooks import load_default_codebook

    codebook = load_default_codebook()
    dims = _dimensions()
    cases = {c["case_id"]: c["case"] for c in CASES}
    texts: dict[int, str] = {k: "" for k in SOURCES}
    seg_rows, cod_rows = [], []
    order: dict[int, int] = {}
    for seg_id, src, text, _ in SEGMENTS:
        start = len(texts[src])
        texts[src] += text + "\n"
        name, case_id, stype, kind, date, spk = SOURCES[src]
        speaker, pid, pseudonym, role = spk if spk else (None, None, None, None)
        order[src] = order.get(src, -1) + 1
        seg_rows.append({
            "segment_id": seg_id, "source_id": src, "source": name, "case_id": case_id, "case": cases[case_id],
            "source_type": stype, "source_kind": kind, "source_date": date, "index": order[src],
            "start": start, "end": start + len(text), "text": text, "speaker": speaker,
            "participant_id": pid, "pseudonym": pseudonym, "role": role,
        })
    segs = pd.DataFrame(seg_rows)
    by_id = {r["segment_id"]: r for r in seg_rows}
    coding_id = 0
    for coder, plan in (("ana", [(s, c) for s, _, _, c in SEGMENTS]), ("ben", SECOND_CODER)):
        for seg_id, codes in plan:
            seg = by_id[seg_id]
            for code in codes:
                coding_id += 1
                cod_rows.append({
                    "coding_id": coding_id, "source_id": seg["source_id"], "source": seg["source"],
                    "case_id": seg["case_id"], "case": seg["case"], "source_type": seg["source_type"],
                    "source_kind": seg["source_kind"], "source_date": seg["source_date"],
                    "start": seg["start"], "end": seg["end"], "text": seg["text"], "code": code,
                    "code_path": codebook.path(code), "dimension": dims.get(code) or None, "coder": coder,
                    "origin": "human", "created_at": "2008-05-01T10:00:00", "segment_id": seg_id,
                    "speaker": seg["speaker"], "participant_id": seg["participant_id"],
                    "pseudonym": seg["pseudonym"], "role": seg["role"],
                })
    codings = pd.DataFrame(cod_rows)
    participants = pd.DataFrame([
        {"participant_id": spk[1], "pseudonym": spk[2], "role": spk[3], "case_id": case_id,
         "case": cases[case_id], "consent_date": "2008-01-15"}
        for _, case_id, _, _, _, spk in SOURCES.values() if spk])
    return {
        "codebook": codebook, "segments": segs, "codings": codings, "cases": pd.DataFrame(CASES),
        "participants": participants, "connections": pd.DataFrame(CONNECTIONS), "texts": texts,
    }


def load() -> Any:
    """This module, importable from any test folder (tests/ has no packages)."""
    name = "voicetrace_test_study_fixture"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
