from pathlib import Path

import pytest

import voicetrace


def _code_segment(p, source: str, needle: str, codes: list[str], coder: str = "ann") -> None:
    seg = next(g for g in p.segments(source) if needle in g.text)
    for c in codes:
        p.code(source, seg.start, seg.end, c, coder=coder)


@pytest.fixture
def coded(project, corpus: Path):
    m, i = "northvale/minutes-2008-03-12.txt", "northvale/interview-01-margaret.txt"
    project.import_paths([corpus])
    _code_segment(project, m, "quiet room", ["grassroots_operational", "care_environment", "audit_survey_visit",
                                             "implemented"])
    _code_segment(project, i, "parking permits", ["grassroots_operational", "access_to_services", "corroborated",
                                                  "implemented"])
    _code_segment(project, i, "parking was terrible", ["grassroots_operational", "access_to_services"])
    _code_segment(project, i, "made all the difference", ["enabler_dedicated_resources"])
    return project


def test_build_claims_from_codings_with_rule_based_strength(coded) -> None:
    assert coded.build_claims() >= 2
    rows = {r["domain"]: r for r in coded.claims_json()}
    assert set(rows) == {"care_environment", "access_to_services"}
    assert rows["care_environment"]["evidence_strength"] == "claimed"
    assert rows["access_to_services"]["evidence_strength"] == "corroborated"  # a clinician confirms it
    ev = rows["care_environment"]["evidence"][0]
    assert coded.text(ev["source"])[ev["start"]:ev["end"]] == ev["text"]
    assert set(rows["care_environment"]) >= {"id", "case", "activity", "change", "level", "domain", "status",
                                            "evidence_strength", "evidence"}


def test_edits_survive_a_rebuild_and_are_audited(coded) -> None:
    coded.build_claims()
    c = next(c for c in coded.claims() if c.domain == "care_environment")
    coded.update_claim(c.id, by="ann", change="Quiet room refurbished", status="sustained")
    coded.build_claims()
    again = [x for x in coded.claims() if x.domain == "care_environment"]
    assert len(again) == 1 and again[0].change == "Quiet room refurbished" and again[0].edited_by == "ann"
    assert coded.audit_counts()["edit_claim"] == 1
    with pytest.raises(voicetrace.InputError):
        coded.update_claim(c.id, by="ann", level="not_a_level")
    with pytest.raises(voicetrace.InputError):
        coded.update_claim(c.id, by="ann", evidence_strength="documented")


def test_link_unlink_and_stance_change_strength(coded) -> None:
    coded.build_claims()
    c = next(c for c in coded.claims() if c.domain == "care_environment")
    i = "northvale/interview-01-margaret.txt"
    seg = next(g for g in coded.segments(i) if "parking permits" in g.text)
    c2 = coded.link_evidence(c.id, i, seg.start, seg.end, by="ann")
    assert coded.claim_strength(c2)[0] == "corroborated"
    new = next(e for e in c2.evidence if e.source_name == i)
    coded.set_stance(new.id, "contradicts", by="ann")
    assert coded.claim_strength(coded.claim(c.id))[0] == "claimed"
    coded.unlink_evidence(new.id, by="ann")
    assert len(coded.claim(c.id).evidence) == 1
    with pytest.raises(voicetrace.InputError):
        coded.link_evidence(c.id, i, 5, 10**6)


def test_merge_is_visible_and_reversible(coded) -> None:
    coded.build_claims()
    ids = [c.id for c in coded.claims()][:2]
    merged = coded.merge_claims(ids, by="ann")
    assert merged.id not in ids
    assert all(coded.claim(i).merged_into == merged.id for i in ids)
    assert merged.id in {c.id for c in coded.claims()} and not set(ids) & {c.id for c in coded.claims()}
    parts = coded.unmerge_claim(merged.id, by="ann")
    assert sorted(p.id for p in parts) == sorted(ids)
    assert {c.id for c in coded.claims()} >= set(ids)


def test_matrix_summaries_and_report(coded, tmp_path: Path) -> None:
    coded.build_claims()
    coded.set_cell_summary("Northvale", "access_to_services", "Parking permits after the group pushed.", by="ann")
    m = coded.framework_matrix()
    cell = m[(m["case"] == "Northvale") & (m["code"] == "access_to_services")].iloc[0]
    assert cell["count"] == 2 and cell["summary"].startswith("Parking permits")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    coded.write_report(html, xlsx)
    h = html.read_text("utf-8")
    assert h.count("<svg") >= 2 and "corroborated" in h
    coded.set_cell_summary("Northvale", "enabler_dedicated_resources", "The facilitator made it work.", by="ann")
    coded.write_report(html)
    assert "The facilitator made it work." in html.read_text("utf-8")
    import openpyxl
    wb = openpyxl.load_workbook(xlsx)
    assert {"Matrix", "Claims", "Codings"} <= set(wb.sheetnames)
    assert xlsx.stat().st_size > 1000


def test_report_and_board_summary_with_memos_where_they_belong(coded, tmp_path: Path) -> None:
    coded.build_claims()
    coded.set_title("Northvale year review")
    coded.add_memo("project", None, "We read every minute of 2008.", author="ann", title="Scope")
    coded.add_memo("case", "Northvale", "The facilitator left in May.", author="ann")
    coded.add_memo("code", "access_to_services", "Parking counts here.", author="ann")
    report, board = tmp_path / "out" / "report.html", tmp_path / "board" / "board-summary.html"
    report.parent.mkdir()
    board.parent.mkdir()
    coded.write_report(report, board_path=board)
    r, b = report.read_text("utf-8"), board.read_text("utf-8")
    assert "Northvale year review" in r and "Northvale year review" in b
    summary = r[r.index('<section id="summary">'):r.index('<section id="sample">')]
    profiles = r[r.index('<section id="profiles">'):r.index('<section id="factors">')]
    methods = r[r.index('<section id="methods">'):]
    assert "We read every minute of 2008." in summary and "We read every minute of 2008." in b
    assert "The facilitator left in May." in profiles and "The facilitator left in May." not in summary
    assert "Parking counts here." in methods
    assert 'href="../out/report.html#' in b
