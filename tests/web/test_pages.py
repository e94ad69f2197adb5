"""Every page renders and has a JSON twin that says the same thing."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import source_named

PAGES = ["/", "/codebook", "/suggestions", "/search", "/search?q=parking", "/memos", "/claims", "/matrix",
         "/charts", "/reports", "/api"]
TWINS = ["/api/overview", "/api/sources", "/api/codebook", "/api/suggestions", "/api/search?q=parking",
         "/api/memos", "/api/claims", "/api/matrix", "/api/charts", "/api/reports", "/api/codings", "/api/session"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders(client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "<main" in r.text and "</html>" in r.text


@pytest.mark.parametrize("path", TWINS)
def test_json_twin(client, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")


def test_openapi_lists_the_json_twins(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ["/api/overview", "/api/sources", "/api/codings", "/api/suggestions", "/api/memos", "/api/matrix",
              "/api/claims", "/api/codebook", "/api/search", "/api/charts"]:
        assert p in paths, p
    assert "/" not in paths  # HTML pages are documented by their twins


def test_no_external_assets(client, vt_project) -> None:
    for page in ["/", "/sources/" + quote(source_named(vt_project, "interview").name), "/charts", "/api"]:
        html = client.get(page).text
        assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_overview_counts(client, vt_project) -> None:
    data = client.get("/api/overview").json()
    assert data["counts"]["sources"] == 2
    assert data["counts"]["participants"] == 2
    assert data["suggestions"] == {"pending": 2}
    html = client.get("/").text
    assert "Northvale" in html and "Margaret" in html and "interview-01-margaret.txt" in html


def test_reader_shows_turns_with_speaker_and_role(client, vt_project) -> None:
    name = source_named(vt_project, "interview").name
    data = client.get(f"/api/sources/{quote(name)}").json()
    speakers = [(s["speaker"], s["role"]) for s in data["segments"]]
    assert ("Dr Lomax", "clinician") in speakers and ("Margaret", "service_user") in speakers
    html = client.get(f"/sources/{quote(name)}").text
    assert "Dr Lomax" in html and "clinician" in html
    assert client.get("/sources/no-such-source").status_code == 404
    assert client.get("/api/sources/no-such-source").json()["error"]


def test_codebook_page_shows_definitions(client) -> None:
    html = client.get("/codebook").text
    data = client.get("/api/codebook").json()
    code = next(c for c in data["codes"] if c["id"] == "care_environment")
    assert code["definition"] and code["definition"].split()[0] in html


def test_search_links_to_the_passage(client, vt_project) -> None:
    hits = client.get("/api/search", params={"q": "parking"}).json()
    assert hits and all("parking" in h["passage"][h["match"][0]:h["match"][1]].lower() for h in hits)
    html = client.get("/search", params={"q": "parking"}).text
    assert f"#seg-{hits[0]['segment_id']}" in html and '<mark class="hit">' in html


def test_memos_add_edit_delete(client) -> None:
    m = client.post("/api/memos", json={"target_type": "case", "target_id": "Northvale", "body": "first"}).json()
    assert client.put(f"/api/memos/{m['id']}", json={"body": "second"}).json()["body"] == "second"
    assert "second" in client.get("/memos").text
    r = client.post(f"/memos/{m['id']}/edit", data={"body": "third"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/memos").json()[0]["body"] == "third"
    assert client.delete(f"/api/memos/{m['id']}").status_code == 200
    assert client.get("/api/memos").json() == []


def test_a_memo_on_something_that_is_not_there_is_refused(client) -> None:
    r = client.post("/api/memos", json={"target_type": "case", "target_id": "Nowhere", "body": "x"})
    assert r.status_code == 404 and "Nowhere" in r.text
    assert client.post("/api/memos", json={"target_type": "code", "target_id": "nope", "body": "x"}).status_code == 400
    assert client.get("/api/memos").json() == []


def test_downloads(client) -> None:
    r = client.get("/download/codings.csv")
    assert r.status_code == 200 and r.text.startswith("source,case,start,end")
    r = client.get("/download/codebook.yaml")
    assert r.status_code == 200 and "care_environment" in r.text
    assert client.get("/download/../../etc/passwd").status_code == 404
    items = {d["file"]: d for d in client.get("/api/reports").json()}
    if items["report.html"]["available"]:
        r = client.get("/download/report.html")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]


def test_the_board_summary_downloads_with_links_to_the_report_as_it_downloads(client, vt_project) -> None:
    vt_project.set_title("Northvale review")
    r = client.get("/download/board-summary.html")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert "The main finding" in r.text or "Where the changes landed" in r.text
    assert "Northvale review-report.html" in client.get("/download/report.html").headers["content-disposition"]
    assert 'href="Northvale%20review-report.html#' in r.text  # save both in one folder and the figures link
