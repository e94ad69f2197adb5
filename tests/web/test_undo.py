"""Mistakes in the web app can be undone: a removed coding or source comes back with its ids, another
coder's coding (gold) needs a confirmation, and a source deletion shows what it removes first."""
from __future__ import annotations

from .conftest import source_named


def _coded(vt_project, coder: str):  # type: ignore[no-untyped-def]
    src = source_named(vt_project, "minutes")
    seg = vt_project.segments(src.name)[2]
    return vt_project.code(src.name, seg.start, seg.end, "care_environment", coder=coder)


def test_removing_a_coding_can_be_undone_with_the_same_id(client, vt_project) -> None:
    c = _coded(vt_project, "tester")
    r = client.delete(f"/api/codings/{c.id}")
    assert r.status_code == 200 and r.json()["undo"] > 0
    assert not vt_project.codings(coder="tester")
    r = client.post("/api/undo")
    assert r.status_code == 200 and "coding" in r.json()["undone"]
    assert [x.id for x in vt_project.codings(coder="tester")] == [c.id]
    assert client.post("/api/undo").status_code == 404  # nothing left to undo


def test_another_coders_coding_needs_force_in_the_api_and_a_confirmation_in_the_page(client, vt_project) -> None:
    gold = _coded(vt_project, "gold")
    r = client.delete(f"/api/codings/{gold.id}")
    assert r.status_code == 400 and "gold" in r.json()["error"]
    assert vt_project.codings(coder="gold")
    page = client.post(f"/codings/{gold.id}/delete", data={"back": gold.source, "segment": ""})
    assert page.status_code == 200 and "Remove gold" in page.text and vt_project.codings(coder="gold")
    done = client.post(f"/codings/{gold.id}/delete", data={"back": gold.source, "segment": "", "confirm": "yes"},
                       follow_redirects=False)
    assert done.status_code == 303 and "undo=" in done.headers["location"]
    assert not vt_project.codings(coder="gold")
    reader = client.get(done.headers["location"], headers={"Accept": "text/html"})
    assert 'action="/undo' in reader.text  # the flash offers an Undo button
    client.post("/undo", data={"back": "/"})
    assert vt_project.codings(coder="gold")[0].id == gold.id


def test_deleting_a_source_shows_the_counts_and_needs_confirm_then_undo_restores_all(client, vt_project) -> None:
    c = _coded(vt_project, "tester")
    src = c.source
    vt_project.add_memo("source", src, "about these minutes")
    before_hits = len(vt_project.search("quiet room"))
    preview = client.get("/api/source-deletion", params={"source": src}).json()
    assert preview["removes"]["codings"] == 1 and preview["removes"]["memos"] == 1
    assert preview["removes"]["suggestions"] == 2 and preview["removes"]["segments"] > 0
    r = client.post("/api/source-deletion", json={"source": src})
    assert r.status_code == 400 and "confirm" in r.json()["error"] and src in {s.name for s in vt_project.sources()}
    page = client.get("/source-delete", params={"source": src}, headers={"Accept": "text/html"})
    assert "1 codings" in page.text and "Delete the source" in page.text
    r = client.post("/api/source-deletion", json={"source": src, "confirm": True})
    assert r.status_code == 200
    assert src not in {s.name for s in vt_project.sources()}
    assert not vt_project.search("quiet room") and not vt_project.suggestions()
    client.post("/api/undo")
    assert src in {s.name for s in vt_project.sources()}
    assert [x.id for x in vt_project.codings(source=src)] == [c.id]
    assert len(vt_project.suggestions()) == 2 and vt_project.memos("source", src)
    assert len(vt_project.search("quiet room")) == before_hits  # the full-text index is back too
    assert client.get(f"/sources/{src}").status_code == 200


def _as_stored(p) -> tuple:  # type: ignore[no-untyped-def]
    return tuple((s.name, s.case, s.kind, s.date) for s in p.sources())


def test_the_source_page_moves_a_source_and_changes_its_kind_and_date_undoably(client, vt_project) -> None:
    vt_project.add_case("Glanmorfa")
    src = source_named(vt_project, "minutes")
    page = client.get(f"/sources/{src.name}", headers={"Accept": "text/html"}).text
    assert 'action="/source-edit' in page and '<option value="Glanmorfa">' in page
    assert '<option value="annual_report">' in page and 'type="date"' in page
    start = _as_stored(vt_project)
    r = client.post("/source-edit", data={"source": src.name, "case": "Glanmorfa"}, follow_redirects=False)
    assert r.status_code == 303 and "undo=" in r.headers["location"] and "err=" not in r.headers["location"]
    r = client.post("/source-edit", data={"source": src.name, "kind": "report", "date": "2009-01-02"},
                    follow_redirects=False)
    assert r.status_code == 303 and "err=" not in r.headers["location"]
    moved = source_named(vt_project, "minutes")
    assert (moved.case, moved.kind, moved.date) == ("Glanmorfa", "report", "2009-01-02")
    assert [e["action"] for e in vt_project.events(2)] == ["edit_source", "edit_source"]
    assert {e["actor"] for e in vt_project.events(2)} == {"tester"}
    back = client.post("/undo", data={"back": f"/sources/{src.name}"}, follow_redirects=False)
    assert "undo=" in back.headers["location"]  # one more change of yours can be undone: the flash offers it
    client.post("/undo", data={"back": "/"})
    assert _as_stored(vt_project) == start


def test_the_source_edit_form_refuses_bad_values_in_one_line_and_changes_nothing(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    start = _as_stored(vt_project)
    for data, words in (({"date": "2009-13-40"}, "not YYYY-MM-DD"), ({"kind": "poem"}, "poem"),
                        ({"case": "Northvail"}, "did you mean"), ({"case": "x" * 5000}, "unknown"),
                        ({"kind": src.kind}, "nothing to change")):
        r = client.post("/source-edit", data={"source": src.name, **data}, follow_redirects=False)
        assert r.status_code == 303 and "err=" in r.headers["location"], data
        shown = client.get(r.headers["location"], headers={"Accept": "text/html"})
        assert shown.status_code == 200 and words in shown.text.split('class="flash bad" role="alert">')[1], data
    assert client.post("/source-edit", data={"source": "no-such.txt", "kind": "report"}).status_code == 404
    r = client.post("/api/source-edit", json={"source": src.name, "date": "yesterday"})
    assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["error"]
    assert _as_stored(vt_project) == start and not vt_project.undoable()


def test_the_source_edit_form_needs_the_csrf_token(app, vt_project) -> None:
    from fastapi.testclient import TestClient

    from .conftest import BASE, TOKEN
    src = source_named(vt_project, "minutes")
    with TestClient(app, base_url=BASE, headers={"X-Voicetrace-Token": TOKEN}) as c:
        assert c.post("/source-edit", data={"source": src.name, "kind": "report"}).status_code == 403
        assert c.post("/source-edit", data={"source": src.name, "kind": "report"},
                      headers={"Host": "evil.example"}).status_code in (400, 403)
    assert source_named(vt_project, "minutes").kind == "minutes"


def test_the_web_deletion_page_shows_every_count_before_deleting(client, vt_project) -> None:
    src = _coded(vt_project, "tester").source
    page = client.get("/source-delete", params={"source": src}, headers={"Accept": "text/html"}).text
    for what in ("segments", "1 codings", "suggestions", "0 claim evidence", "impact evidence"):
        assert what in page, what
    assert client.post("/source-delete", data={"source": src}).status_code == 200  # no confirm: the question again
    assert src in {s.name for s in vt_project.sources()}
