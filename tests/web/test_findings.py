"""Claims ledger and framework matrix pages over the service layer's findings."""
from __future__ import annotations

from .conftest import source_named


def _claim(client, vt_project) -> dict:  # type: ignore[no-untyped-def,type-arg]
    src = source_named(vt_project, "minutes")
    seg = next(g for g in vt_project.segments(src.name) if "quiet room" in g.text)
    for code in ("grassroots_operational", "care_environment", "audit_survey_visit", "implemented"):
        vt_project.code(src.name, seg.start, seg.end, code, coder="tester")
    assert client.post("/api/claims/build").json()["proposed"] >= 1
    return client.get("/api/claims").json()[0]


def test_claims_ledger_edit_link_unlink(client, vt_project) -> None:
    claim = _claim(client, vt_project)
    assert claim["evidence_strength"] in ("claimed", "corroborated", "documented")
    assert claim["change"][:30] in client.get("/claims").text, claim["change"]
    r = client.patch(f"/api/claims/{claim['id']}", json={"status": "sustained", "note": "checked <b>"})
    assert r.status_code == 200 and r.json()["status"] == "sustained"
    assert "checked &lt;b&gt;" in client.get(f"/claims/{claim['id']}").text
    assert client.patch(f"/api/claims/{claim['id']}", json={"level": "nowhere"}).status_code == 400
    interview = source_named(vt_project, "interview")
    lomax = next(g for g in vt_project.segments(interview.name) if "trust confirmed" in g.text)
    linked = client.post(f"/api/claims/{claim['id']}/evidence", json={
        "source": interview.name, "start": lomax.start, "end": lomax.end, "stance": "supports"}).json()
    assert len(linked["evidence"]) == len(claim["evidence"]) + 1
    new = next(e for e in linked["evidence"] if e["source"] == interview.name)
    assert client.delete(f"/api/evidence/{new['id']}").status_code == 200
    assert len(client.get(f"/api/claims/{claim['id']}").json()["evidence"]) == len(claim["evidence"])
    html = client.get(f"/claims/{claim['id']}", params={"q": "trust"}).text
    assert "Link as supports" in html


def test_matrix_cell_and_summary(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    seg = next(g for g in vt_project.segments(src.name) if "quiet room" in g.text)
    vt_project.code(src.name, seg.start, seg.end, "care_environment", coder="tester")
    data = client.get("/api/matrix", params={"dimension": "domain"}).json()
    cell = next(c for c in data["cells"] if c["code"] == "care_environment")
    assert cell["count"] == 1 and cell["case"] == "Northvale"
    r = client.put("/api/matrix/cell", json={"case": "Northvale", "code": "care_environment",
                                             "summary": "Quiet room <refurbished>"})
    assert r.status_code == 200 and r.json()["summary"] == "Quiet room <refurbished>"
    html = client.get("/matrix/cell", params={"case": "Northvale", "code": "care_environment"}).text
    assert "Quiet room &lt;refurbished&gt;" in html and "quiet room was refurbished" in html
    assert client.get("/api/matrix/cell", params={"case": "Nowhere", "code": "x"}).status_code == 404


def test_charts_have_numbers(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    seg = vt_project.segments(src.name)[2]
    vt_project.code(src.name, seg.start, seg.end, "care_environment", coder="tester")
    data = client.get("/api/charts").json()
    domain = next(s for s in data["codings"] if s["dimension"] == "domain")
    assert next(b for b in domain["bars"] if b["code"] == "care_environment")["value"] == 1
    assert "<svg" in client.get("/charts").text


def test_ledger_merges_ticked_claims_and_the_claim_page_splits_them(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    segs = vt_project.segments(src.name)
    room = next(g for g in segs if "quiet room" in g.text)
    action = next(g for g in segs if "car parking" in g.text)
    for seg, domain in ((room, "care_environment"), (action, "access_to_services")):
        for code in ("grassroots_operational", domain):
            vt_project.code(src.name, seg.start, seg.end, code, coder="tester")
    client.post("/api/claims/build")
    before = client.get("/api/claims").json()
    assert len(before) == 2 and sorted(c["number"] for c in before) == [1, 2]
    ledger = client.get("/claims").text
    assert 'name="ids"' in ledger and "Merge the ticked claims" in ledger
    r = client.post("/claims/merge", data={"ids": [str(c["id"]) for c in before]}, follow_redirects=False)
    assert r.status_code == 303
    after = client.get("/api/claims").json()
    assert len(after) == 1 and after[0]["number"] == 1 and len(after[0]["evidence"]) == 2
    page = client.get(f"/claims/{after[0]['id']}").text
    assert "Merged from 2 claims" in page and "Split into these 2 claims" in page
    r = client.post(f"/claims/{after[0]['id']}/split", follow_redirects=False)
    assert r.status_code == 303
    again = client.get("/api/claims").json()
    assert sorted(c["number"] for c in again) == [1, 2]
    # the JSON twins do the same, and a split survives proposing claims again
    merged = client.post("/api/claims/merge", json={"ids": [c["id"] for c in again]}).json()
    assert len(merged["evidence"]) == 2
    parts = client.post(f"/api/claims/{merged['id']}/split").json()
    assert len(parts) == 2
    client.post("/api/claims/build")
    assert len(client.get("/api/claims").json()) == 2
    # a claim page merges with another claim by its number
    one = client.get("/api/claims").json()[0]
    other = client.get("/api/claims").json()[1]
    r = client.post("/claims/merge", data={"into": str(one["id"]), "number": str(other["number"])},
                    follow_redirects=False)
    assert r.status_code == 303 and len(client.get("/api/claims").json()) == 1
