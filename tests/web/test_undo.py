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
