"""The impact log page and its JSON twin; the outputs as downloads."""
from __future__ import annotations

import io

import docx

from .conftest import source_named


def _claimed(client, vt_project) -> None:  # type: ignore[no-untyped-def]
    src = source_named(vt_project, "minutes")
    seg = next(g for g in vt_project.segments(src.name) if "quiet room" in g.text)
    for code in ("grassroots_operational", "care_environment", "implemented"):
        vt_project.code(src.name, seg.start, seg.end, code, coder="tester")
    assert client.post("/api/claims/build").json()["proposed"] >= 1


def test_entries_from_claims_by_hand_and_status_steps(client, vt_project) -> None:
    _claimed(client, vt_project)
    assert "1 claim not yet in the log" in client.get("/impact").text
    assert client.post("/api/impact/from-claims").json() == {"created": 1, "linked": 0}
    rows = client.get("/api/impact").json()
    assert len(rows) == 1 and rows[0]["status"] == "done" and rows[0]["claim_ids"]
    assert "quiet room" in client.get("/impact").text
    new = client.post("/api/impact", json={"request": "Free parking <b>now</b>", "case": "Northvale",
                                            "asked_on": "2008-05-01"})
    assert new.status_code == 201 and new.json()["due"] == "2008-05-31"
    eid = new.json()["id"]
    r = client.post(f"/api/impact/{eid}/steps", json={"status": "declined", "date": "2008-06-01"})
    assert r.status_code == 400                                   # the reason is required
    r = client.post(f"/api/impact/{eid}/steps", json={"status": "declined", "date": "2008-06-01", "note": "cost"})
    assert r.json()["status"] == "declined" and r.json()["reason"] == "cost"
    page = client.get(f"/impact/{eid}").text
    assert "Free parking &lt;b&gt;now&lt;/b&gt;" in page and "declined" in page and "cost" in page
    assert client.get("/impact/999").status_code == 404


def test_forms_post_redirect_get(client, vt_project) -> None:
    r = client.post("/impact/add", data={"request": "Longer opening", "asked_on": "2008-02-01"},
                    follow_redirects=False)
    assert r.status_code == 303 and "/impact/1" in r.headers["location"]
    r = client.post("/impact/1/steps", data={"status": "agreed", "date": "2008-02-20"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/impact/1").json()["history"] == ["asked 2008-02-01", "agreed 2008-02-20"]


def test_each_output_downloads_as_html_and_docx_without_changing_the_project(client, vt_project) -> None:
    _claimed(client, vt_project)
    client.post("/api/impact/from-claims")
    events = len(vt_project.events())
    for kind in ("gripp2", "annual-report", "healthwatch", "you-said-we-did", "letters"):
        h = client.get(f"/outputs/{kind}.html", params={"fy": "2007-08"})
        assert h.status_code == 200 and "attachment" in h.headers["content-disposition"], kind
        assert "Financial year 2007-08" in h.text
        d = client.get(f"/outputs/{kind}.docx", params={"year": "2008"})
        assert d.status_code == 200
        assert len(" ".join(p.text for p in docx.Document(io.BytesIO(d.content)).paragraphs)) > 200
    assert len(vt_project.events()) == events
    assert client.get("/outputs/gripp2.html", params={"fy": "2008-10"}).status_code == 400
    assert client.get("/outputs/brochure.html").status_code == 404
    page = client.get("/impact", params={"fy": "2008-09"}).text
    assert "Period: financial year 2008-09" in page and "fy=2008-09" in page
    assert "/outputs/gripp2.docx" in client.get("/reports").text
