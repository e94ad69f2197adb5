"""The four registers agree with each other and with the text sources on disk."""
from __future__ import annotations

import datetime as dt
import re

from voicetrace.core.sources import SourceKind
from voicetrace.sample import sample_dir
from voicetrace.sample.build import text_source

from .conftest import read_csv

ROLES = {"service_user", "carer", "professional", "facilitator", "commissioner", "manager", "clinician", "other"}
TARGET_TYPES = {"network_board", "tumour_group", "commissioner", "trust_patient_experience", "local_charity",
                "national_body", "other"}
FORMATS = {".docx", ".odt", ".pdf", ".html", ".md", ".txt"}


def test_cases_register_is_complete() -> None:
    cases = read_csv("cases.csv")
    assert len(cases) == 10
    assert sum(c["case_study"] == "yes" for c in cases) == 5
    for case in cases:
        assert case["nation"] in {"England", "Wales", "Scotland"}
        assert case["funded_facilitator"] in {"yes", "no"}
        assert int(case["annual_budget_gbp"]) > 0 and int(case["members"]) > 0
        assert 1995 < int(case["year_formed"]) < 2009
        assert case["reason_sampled"].strip()


def test_every_manifest_entry_has_a_text_source_and_valid_fields() -> None:
    cases = {c["case"] for c in read_csv("cases.csv")}
    kinds = {k.value for k in SourceKind}
    entries = read_csv("sources.csv")
    assert len({e["file"] for e in entries}) == len(entries)
    for entry in entries:
        assert text_source(entry["file"]).is_file(), entry["file"]
        assert entry["case"] in cases
        assert entry["kind"] in kinds
        assert "/" in entry["file"] and entry["file"].rsplit(".", 1)[-1] in {f[1:] for f in FORMATS}
        dt.date.fromisoformat(entry["date"])
        assert entry["title"].strip()


def test_every_group_has_the_documents_real_groups_write() -> None:
    by_case: dict[str, set[str]] = {}
    for entry in read_csv("sources.csv"):
        by_case.setdefault(entry["case"], set()).add(entry["kind"])
    for case, kinds in by_case.items():
        assert {"annual_report", "minutes", "work_plan", "newsletter"} <= kinds, case


def test_forty_interviews_in_the_five_case_studies() -> None:
    studies = {c["case"] for c in read_csv("cases.csv") if c["case_study"] == "yes"}
    interviews = [e for e in read_csv("sources.csv") if e["kind"] == "interview"]
    assert len(interviews) == 40
    assert {e["case"] for e in interviews} == studies
    for case in studies:
        assert sum(e["case"] == case for e in interviews) == 8


def test_participants_match_interview_files() -> None:
    participants = read_csv("participants.csv")
    assert len({p["pseudonym"] for p in participants}) == len(participants) == 40
    by_name = {p["pseudonym"]: p for p in participants}
    for entry in read_csv("sources.csv"):
        if entry["kind"] != "interview":
            continue
        slug = re.sub(r"^interview-\d+-", "", entry["file"].split("/")[1].rsplit(".", 1)[0])
        match = [p for p in participants if re.sub(r"[^a-z0-9]+", "-", p["pseudonym"].lower()) == slug]
        assert len(match) == 1, entry["file"]
        person = match[0]
        assert person["role"] in ROLES
        assert person["case"] == entry["case"]
        dt.date.fromisoformat(person["consent_date"])
        assert person["consent_date"] <= entry["date"]
    assert by_name  # registers are not empty


def test_transcript_speakers_are_the_interviewer_or_registered_participants() -> None:
    participants = read_csv("participants.csv")
    names: dict[str, set[str]] = {}
    for p in participants:
        labels = {p["pseudonym"], *(a.strip() for a in p.get("aliases", "").split(";") if a.strip())}
        names.setdefault(p["case"], set()).update(labels)
    label = re.compile(r"^([A-Z][A-Za-z'’.-]*(?: [A-Z][A-Za-z'’.-]*){0,2}):\s")
    for entry in read_csv("sources.csv"):
        if entry["kind"] != "interview":
            continue
        text = text_source(entry["file"]).read_text(encoding="utf-8")
        speakers = {m.group(1) for line in text.splitlines() if (m := label.match(line))}
        assert "Interviewer" in speakers, entry["file"]
        others = speakers - {"Interviewer"}
        assert others, entry["file"]
        assert others <= names[entry["case"]], (entry["file"], others - names[entry["case"]])


def test_connections_are_typed_and_belong_to_known_cases() -> None:
    cases = {c["case"] for c in read_csv("cases.csv")}
    rows = read_csv("connections.csv")
    assert {r["case"] for r in rows} == cases
    for row in rows:
        assert row["target_type"] in TARGET_TYPES
        assert row["target"].strip() and row["relationship"].strip()


def test_formats_are_spread() -> None:
    suffixes = [e["file"].rsplit(".", 1)[-1] for e in read_csv("sources.csv") if e["kind"] != "interview"]
    for fmt in ("docx", "pdf", "odt", "html", "txt", "md"):
        assert suffixes.count(fmt) >= 3, fmt


def test_the_sample_says_it_is_fictional() -> None:
    readme = (sample_dir() / "README.md").read_text(encoding="utf-8").lower()
    assert "fictional" in readme
