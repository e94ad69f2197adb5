"""The review queue: accept, reject, skip and undo, by form (the keys) and by JSON."""
from __future__ import annotations


def test_queue_shows_score_reason_and_keys(client) -> None:
    html = client.get("/suggestions").text
    data = client.get("/api/suggestions", params={"order": "score"}).json()
    assert data["current"]["score"] == 0.91
    assert "indicator phrase" in html and "0." in html
    for key in ('data-key="a"', 'data-key="x"', 'data-key="space"', 'data-key="u"'):
        assert key in html


def test_accept_makes_a_coding_and_undo_removes_it(client, vt_project) -> None:
    sid = client.get("/api/suggestions", params={"order": "score"}).json()["current"]["id"]
    r = client.post(f"/suggestions/{sid}/decide", data={"decision": "accept", "order": "score"}, follow_redirects=False)
    assert r.status_code == 303
    [c] = vt_project.codings()
    assert c.origin == "accepted_suggestion" and c.code == "care_environment" and c.coder == "tester"
    assert client.get("/api/suggestions").json()["counts"] == {"accepted": 1, "pending": 1}
    assert client.post("/suggestions/undo", data={}, follow_redirects=False).status_code == 303
    assert vt_project.codings() == []
    assert client.get("/api/suggestions").json()["counts"] == {"pending": 2}


def test_reject_and_skip_by_json(client, vt_project) -> None:
    queue = client.get("/api/suggestions", params={"order": "id"}).json()
    first, second = queue["current"]["id"], queue["next"][0]["id"]
    assert client.post(f"/api/suggestions/{first}/decision", json={"decision": "reject"}).json()["status"] == "rejected"
    assert client.post(f"/api/suggestions/{second}/decision", json={"decision": "skip"}).json()["status"] == "skipped"
    assert vt_project.codings() == []
    # with nothing pending, skipped ones come back round
    assert client.get("/api/suggestions").json()["current"]["id"] == second
    undone = client.post("/api/suggestions/undo").json()["undone"]
    assert undone["id"] == second and undone["status"] == "pending"
    r = client.post(f"/api/suggestions/{first}/decision", json={"decision": "reject"})
    assert r.status_code == 400  # already decided


def test_empty_queue(client, vt_project) -> None:
    for s in vt_project.suggestions():
        vt_project.decide(s.id, "reject", by="someone")
    assert "queue is empty" in client.get("/suggestions").text
