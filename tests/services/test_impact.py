from pathlib import Path

import docx
import pytest

import voicetrace
from voicetrace.core.impact import financial_year


def _code(p, source: str, needle: str, codes: list[str]) -> None:
    seg = next(g for g in p.segments(source) if needle in g.text)
    for c in codes:
        p.code(source, seg.start, seg.end, c, coder="ann")


@pytest.fixture
def logged(project, corpus: Path):
    project.import_paths([corpus])
    m, i = "northvale/minutes-2008-03-12.txt", "northvale/interview-01-margaret.txt"
    _code(project, m, "quiet room", ["grassroots_operational", "care_environment", "implemented"])
    _code(project, m, "car parking manager", ["organisational_network", "access_to_services", "proposed"])
    _code(project, i, "parking permits", ["grassroots_operational", "patient_information", "implemented"])
    project.build_claims()
    return project


def test_from_claims_makes_one_dated_entry_per_claim_and_is_audited(logged) -> None:
    claims = {c.id: c for c in logged.claims()}
    res = logged.impact_from_claims(by="lead")
    assert res == {"created": len(claims), "linked": 0}
    rows = logged.impact_json()
    assert {r["claim_ids"][0] for r in rows} == set(claims)
    by_domain = {claims[r["claim_ids"][0]].domain: r for r in rows}
    room, parking = by_domain["care_environment"], by_domain["access_to_services"]
    assert room["status"] == "done" and room["asked_on"] == "2008-03-12"
    assert [(s["stage"], s["date"]) for s in room["steps"]] == [("asked", "2008-03-12"), ("done", "2008-03-12")]
    assert parking["status"] == "asked" and parking["due"] == "2008-04-11" and parking["overdue"] is True
    assert parking["meeting"] == "minutes 2008-03-12 (northvale/minutes-2008-03-12.txt)"
    ev = room["steps"][1]["evidence"][0]
    assert logged.text(ev["source"])[ev["start"]:ev["end"]] == ev["text"]
    assert logged.audit_counts()["impact_from_claims"] == 1
    assert logged.impact_from_claims() == {"created": 0, "linked": 0}      # nothing twice


def test_a_claim_rebuild_relinks_entries_instead_of_duplicating_them(logged) -> None:
    logged.impact_from_claims()
    before = {r["id"]: r["request"] for r in logged.impact_json()}
    logged.build_claims()                                      # new claim ids; the old links vanish
    assert logged.impact_from_claims() == {"created": 0, "linked": len(before)}
    after = logged.impact_json()
    assert {r["id"]: r["request"] for r in after} == before
    assert {c for r in after for c in r["claim_ids"]} == {c.id for c in logged.claims()}


def test_status_changes_by_hand_are_dated_steps_and_audited(logged) -> None:
    e = logged.add_impact("Free parking for patients on treatment", case="Northvale", asked_by="Margaret",
                          asked_on="2008-05-01", meeting="May meeting", by="lead")
    assert e.due == "2008-05-31" and e.status.value == "asked"
    logged.update_impact(e.id, status="agreed", on="2008-05-20", by="lead")
    e2 = logged.update_impact(e.id, status="declined", on="2008-06-10", note="No budget this year", by="lead")
    assert [(s.stage.value, s.date) for s in e2.history()] == [("asked", "2008-05-01"), ("agreed", "2008-05-20"),
                                                               ("declined", "2008-06-10")]
    assert e2.reason == "No budget this year"
    events = [x for x in logged.events() if x["action"] in ("add_impact", "update_impact")]
    assert len(events) == 3 and all(x["actor"] == "lead" for x in events)


@pytest.mark.parametrize("call, arg", [
    (lambda p, e: p.update_impact(e, status="declined", on="2008-06-01"), "--note"),
    (lambda p, e: p.update_impact(e, status="finished"), "--status"),
    (lambda p, e: p.update_impact(e, status="done", on="2008-13-01"), "--date"),
    (lambda p, e: p.update_impact(e, status="done", on="2008-01-01"), "--date"),
    (lambda p, e: p.update_impact(e, claim_ids=[999]), "--claim"),
    (lambda p, e: p.update_impact(e), "impact update"),
    (lambda p, e: p.add_impact(" "), "request"),
    (lambda p, e: p.add_impact("x", case="Nowhere"), "Nowhere"),
    (lambda p, e: p.add_impact("x", level="tall"), "--level"),
])
def test_bad_input_is_refused_and_changes_nothing(logged, call, arg) -> None:
    e = logged.add_impact("Free parking", case="Northvale", asked_on="2008-05-01")
    before = (logged.impact_json(), len(logged.events()))
    with pytest.raises(voicetrace.VoicetraceError) as err:
        call(logged, e.id)
    assert arg in str(err.value)
    assert (logged.impact_json(), len(logged.events())) == before


def test_export_csv_xlsx_jsonl(logged, tmp_path: Path) -> None:
    import json

    import openpyxl
    logged.impact_from_claims()
    n = len(logged.impact_json())
    csv_text = logged.export_impact(tmp_path / "log.csv").read_text("utf-8")
    assert csv_text.splitlines()[0].startswith("id,case,request") and len(csv_text.strip().splitlines()) == n + 1
    ws = openpyxl.load_workbook(logged.export_impact(tmp_path / "log.xlsx")).active
    assert ws.max_row == n + 1 and ws.cell(1, 8).value == "status"
    lines = (logged.export_impact(tmp_path / "log.jsonl")).read_text("utf-8").splitlines()
    assert all({"status", "claims", "claim_ids", "steps"} <= set(json.loads(x)) for x in lines) and len(lines) == n
    with pytest.raises(voicetrace.InputError):
        logged.export_impact(tmp_path / "log.pdf")


def test_outputs_state_the_counts_of_the_log(logged, tmp_path: Path) -> None:
    logged.impact_from_claims()
    changed = [r for r in logged.impact_json() if any(
        s["stage"] in ("done", "verified") and "2007-04-01" <= s["date"] <= "2008-03-31" for s in r["steps"])]
    assert changed
    paths = logged.write_outputs("annual-report", tmp_path, period=financial_year(2007))
    d = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
    body = " ".join(p.text for p in d.paragraphs)
    word = "change was" if len(changed) == 1 else "changes were"
    assert f"{len(changed)} {word} made because people were involved" in body
    assert "Financial year 2007-08" in body
    with pytest.raises(voicetrace.InputError):
        logged.write_outputs("annual-report", tmp_path, cases=["Nowhere"])
    with pytest.raises(voicetrace.InputError):
        logged.write_outputs("brochure", tmp_path)


def test_a_project_where_nothing_changed_says_so(project, tmp_path: Path) -> None:
    assert project.impact_from_claims() == {"created": 0, "linked": 0}
    paths = project.write_outputs("gripp2", tmp_path)
    html = next(p for p in paths if p.suffix == ".html").read_text("utf-8")
    assert "Involvement had no recorded impact in this period" in html
    assert "The participant register is empty" in html
