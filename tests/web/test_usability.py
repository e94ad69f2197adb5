"""What a co-researcher relies on: the coder name, the QDPX export, readable errors, long lists in pages."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from voicetrace.core.cases import short_case_names as short_names
from voicetrace.web.rendering import page_window

from .conftest import BASE, CSRF, source_named


def test_the_coder_name_can_be_changed_and_is_recorded(client, vt_project) -> None:
    assert client.get("/api/session").json()["coder"] == "tester"
    assert client.put("/api/session", json={"coder": "  Helen   Farrow "}).json()["coder"] == "Helen Farrow"
    seg = vt_project.segments(source_named(vt_project, "minutes").name)[2]
    client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment"})
    assert [c.coder for c in vt_project.codings()] == ["Helen Farrow"]
    assert "Coding as <strong id=\"coder-name\">Helen Farrow</strong>" in client.get("/").text


def test_the_coder_form_needs_csrf_and_a_sensible_name(anon, client) -> None:
    r = anon.post("/settings/coder?token=test-token-123", data={"coder": "mallory"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/settings/coder", data={"coder": "Derek", "back": "/claims", "csrf_token": CSRF},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/claims?")
    r = client.post("/settings/coder", data={"coder": "x" * 61, "back": "https://evil.example/"},
                    headers={"accept": "text/html"})
    assert r.status_code == 400 and "1 to 60" in r.text
    r = client.post("/settings/coder", data={"coder": "Ann", "back": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"].startswith("/?")


def test_qdpx_download_is_a_refi_zip(client) -> None:
    items = {d["file"]: d for d in client.get("/api/reports").json()}
    assert items["project.qdpx"]["available"]
    r = client.get("/download/project.qdpx")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "project.qde" in names
    assert "project.qdpx" in client.get("/reports").text


def test_bad_form_input_is_explained_in_the_page_not_as_json(client) -> None:
    r = client.post("/memos", data={"title": "no body"}, headers={"accept": "text/html"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "not understood" in r.text and "body" in r.text and '"detail"' not in r.text
    r = client.post("/api/memos", json={"title": "no body"})
    assert r.status_code == 422 and "body" in r.json()["error"]


def test_every_answer_says_how_long_the_server_took(client) -> None:
    timing = client.get("/api/overview").headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0


def test_reader_filters_codings_by_coder(client, vt_project) -> None:
    src = source_named(vt_project, "interview")
    seg = next(g for g in vt_project.segments(src.name) if "parking" in g.text)
    vt_project.code(src.name, seg.start, seg.start + 10, "care_environment", coder="gold")
    vt_project.code(src.name, seg.start + 5, seg.end, "access_to_services", coder="tester")
    page = f"/sources/{quote(src.name, safe='')}"
    both = client.get(page).text
    assert both.count('class="chip ') == 2 and 'mark class="hl d2' in both
    only = client.get(page, params={"coder": "gold"}).text
    assert only.count('class="chip ') == 1 and "Care environment" in only and 'mark class="hl d2' not in only
    assert client.get(page, params={"coder": "nobody"}).text.count('class="chip ') == 2


def test_claims_page_filters_and_pages(client) -> None:
    r = client.get("/claims", params={"q": "no such words anywhere", "page": 7})
    assert r.status_code == 200 and "No claims match" in r.text


def test_search_explains_a_query_it_cannot_run_in_the_page(client) -> None:
    r = client.get("/search", params={"q": '"unbalanced'})
    assert r.status_code == 200


def test_overview_groups_sources_by_case(client, vt_project) -> None:
    html = client.get("/").text
    assert '<details class="case-group"' in html and "Northvale" in html
    assert html.index('href="/sources/') > html.index("case-group")


names = st.lists(st.lists(st.sampled_from(["North", "Vale", "Cancer", "Group", "East", "A", "B"]), min_size=1,
                          max_size=5).map(" ".join), min_size=1, max_size=8, unique=True)


@given(names)
def test_short_case_names_are_unique_prefixes(ns: list[str]) -> None:
    short = short_names(ns)
    for n in ns:
        assert n.startswith(short[n])
    # a name shortened to a prefix never collides with another name's short form
    shortened = [short[n] for n in ns if short[n] != n]
    assert len(set(shortened)) == len(shortened)
    assert not set(shortened) & {short[n] for n in ns if short[n] == n}


@given(st.integers(0, 10_000), st.integers(-5, 500), st.integers(1, 200))
def test_page_window_covers_the_list_exactly_once(total: int, page: int, size: int) -> None:
    w = page_window(total, page, size)
    assert 1 <= w["page"] <= w["pages"]
    assert 0 <= w["start"] <= w["end"] <= total
    assert w["end"] - w["start"] == (min(size, total - (w["page"] - 1) * size) if total else 0)
    starts = [page_window(total, p, size)["start"] for p in range(1, w["pages"] + 1)]
    assert starts == [i * size for i in range(w["pages"])]


def test_coder_name_is_remembered_by_the_project(tmp_path) -> None:
    from fastapi.testclient import TestClient

    import voicetrace
    from voicetrace.web.app import create_app
    from voicetrace.web.security import Secrets
    db = tmp_path / "c.db"
    voicetrace.create(db).close()
    sec = Secrets()
    app = create_app(db, secrets=sec)
    c = TestClient(app, base_url=BASE)
    tok = {"X-Voicetrace-Token": sec.token}
    csrf = c.get("/api/session", headers=tok).json()["csrf_token"]
    r = c.put("/api/session", json={"coder": "Ann Coder"}, headers={**tok, "X-CSRF-Token": csrf})
    assert r.status_code == 200
    again = create_app(db, secrets=Secrets())
    assert again.state.web.coder == "Ann Coder"


def test_title_and_description_are_set_on_the_overview_and_shown_everywhere(client, anon, vt_project) -> None:
    page = client.get("/").text
    assert "Give the project a title and a description" in page  # none set yet: the form is offered open
    r = anon.post("/settings/project?token=test-token-123", data={"title": "Mallory's"}, follow_redirects=False)
    assert r.status_code == 403 and vt_project.describe().title_is_default
    r = client.post("/settings/project", data={"title": "Northvale  review", "description": "What changed in 2008.",
                                               "csrf_token": CSRF}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/").text
    assert "<h1>Northvale review</h1>" in page and "What changed in 2008." in page
    assert "<title>Overview · Northvale review · voicetrace</title>" in page
    assert client.get("/api/project").json()["title"] == "Northvale review"
    assert client.put("/api/project", json={"description": "Now with interviews."}).json() == {
        **client.get("/api/project").json(), "title": "Northvale review", "description": "Now with interviews."}
    r = client.put("/api/project", json={"title": " "})
    assert r.status_code == 400 and "title" in r.json()["error"]
    assert vt_project.title == "Northvale review"
