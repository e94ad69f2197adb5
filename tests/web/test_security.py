"""Token, Host, CSRF, escaping and body limits: the local server is guarded like a public one."""
from __future__ import annotations

import re

import pytest

from .conftest import BASE, CSRF, TOKEN, source_named


@pytest.mark.parametrize("path", ["/", "/api/sources", "/openapi.json", "/static/app.css", "/codebook", "/nope"])
def test_every_path_needs_the_token(anon, path: str) -> None:
    assert anon.get(path).status_code == 401


def test_wrong_token_is_refused(anon) -> None:
    assert anon.get("/api/sources", params={"token": "guess"}).status_code == 401
    assert anon.get("/api/sources", headers={"X-Voicetrace-Token": TOKEN + "x"}).status_code == 401


def test_query_token_sets_a_strict_httponly_cookie_that_then_suffices(anon) -> None:
    r = anon.get("/", params={"token": TOKEN})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert TOKEN in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert anon.get("/api/sources").status_code == 200  # the cookie jar now carries it


def test_bearer_header_is_accepted(anon) -> None:
    assert anon.get("/api/sources", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_foreign_host_header_is_refused(client) -> None:
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 403
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_security_headers(client) -> None:
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"  # the token is in URLs: never leak it
    assert r.headers["x-frame-options"] == "DENY"


def test_every_internal_link_and_form_carries_the_token(client, vt_project) -> None:
    for page in ["/", "/sources/" + source_named(vt_project, "interview").name, "/suggestions", "/codebook",
                 "/memos", "/search?q=parking", "/charts", "/reports", "/matrix", "/claims"]:
        html = client.get(page).text
        targets = re.findall(r'(?:href|src)="(/[^"#]*)', html)
        assert targets, page
        for t in targets:
            assert f"token={TOKEN}" in t, (page, t)
        for form in re.findall(r"<form[^>]*>.*?</form>", html, flags=re.DOTALL):
            action = re.search(r'action="([^"]*)"', form).group(1)
            if 'method="get"' in form:
                assert f'name="token" value="{TOKEN}"' in form, (page, action)
            else:
                assert f"token={TOKEN}" in action and f'value="{CSRF}"' in form, (page, action)


def test_state_changes_need_the_csrf_token(app, vt_project) -> None:
    from fastapi.testclient import TestClient
    seg = vt_project.segments(source_named(vt_project, "minutes").name)[1]
    body = {"segment_id": seg.id, "code": "care_environment"}
    with TestClient(app, base_url=BASE, headers={"X-Voicetrace-Token": TOKEN}) as c:
        assert c.post("/api/codings", json=body).status_code == 403
        assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
        assert c.post("/memos", data={"body": "x"}).status_code == 403
        assert c.post("/memos", data={"body": "x", "csrf_token": "wrong"}).status_code == 403
        assert vt_project.codings() == [] and vt_project.memos() == []
        assert c.post("/api/codings", json=body, headers={"X-CSRF-Token": CSRF}).status_code == 201
        r = c.post("/memos", data={"body": "x", "csrf_token": CSRF}, follow_redirects=False)
        assert r.status_code == 303
    assert len(vt_project.codings()) == 1 and len(vt_project.memos()) == 1


def test_cross_origin_post_is_refused_even_with_csrf(client, vt_project) -> None:
    seg = vt_project.segments(source_named(vt_project, "minutes").name)[1]
    r = client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment"},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_source_text_is_escaped(client, vt_project) -> None:
    html = client.get("/sources/" + source_named(vt_project, "interview").name).text
    assert "&lt;script&gt;" in html
    assert '<script>alert("x")</script>' not in html
    assert "<img src=x onerror" not in html


def test_escaped_in_search_and_queue_and_memos(client, vt_project) -> None:
    vt_project.add_memo("project", None, "<b>bold</b><script>alert(1)</script>")
    assert "<script>alert(1)" not in client.get("/memos").text
    html = client.get("/search", params={"q": "alert"}).text
    assert "&lt;script&gt;" in html and '<script>alert("x")' not in html


def test_upload_size_is_limited(client) -> None:
    big = b"x" * (1024 * 1024 + 10)
    r = client.post("/api/memos", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_upload_imports_a_file(client, vt_project) -> None:
    files = {"files": ("notes <b>.txt", b"Our leaflet was rewritten in plain English.\n", "text/plain")}
    r = client.post("/api/import", files=files, data={"case": "Northvale"})
    assert r.status_code == 200, r.text
    assert len(r.json()["imported"]) == 1
    assert any("leaflet" in h.snippet for h in vt_project.search("leaflet"))
