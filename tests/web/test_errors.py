"""The web app never answers a bare 500: busy is a 503 with Retry-After, surprises are logged with an id,
every error carries the security headers, and hostile ids, names and hosts get a clear 4xx."""
from __future__ import annotations

import logging
import sqlite3
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from voicetrace.core.errors import BUSY_MESSAGE
from voicetrace.storage import database

from .conftest import BASE, CSRF, TOKEN, source_named

HEADERS = {"X-Voicetrace-Token": TOKEN, "X-CSRF-Token": CSRF}


def _has_security_headers(r) -> bool:  # type: ignore[no-untyped-def]
    return all(h in r.headers for h in ("content-security-policy", "x-content-type-options", "x-frame-options",
                                        "referrer-policy"))


def test_a_held_write_lock_is_a_503_with_retry_after(client, vt_project, monkeypatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    vt_project.db.engine.dispose()  # new connections pick up the short wait
    src = source_named(vt_project, "interview")
    seg = vt_project.segments(src.name)[1]
    holder = sqlite3.connect(vt_project.location)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment"})
    finally:
        holder.rollback()
        holder.close()
    assert r.status_code == 503
    assert r.json() == {"error": BUSY_MESSAGE}
    assert int(r.headers["retry-after"]) > 0 and _has_security_headers(r)
    assert not vt_project.codings(source=src.name)  # nothing half-written


def test_an_unexpected_error_is_logged_with_an_id_and_answered_in_json(app, vt_project, monkeypatch,
                                                                         caplog) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr(type(vt_project), "sources", broken)
    with TestClient(app, base_url=BASE, headers=HEADERS, raise_server_exceptions=False) as c, \
            caplog.at_level(logging.ERROR, logger="voicetrace.web"):
        r = c.get("/api/sources")
        page = c.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 500 and "error id" in r.json()["error"]
    incident = r.json()["error"].split("error id ")[1].split(";")[0]
    assert any(incident in rec.getMessage() for rec in caplog.records)
    assert _has_security_headers(r)
    assert page.status_code == 500 and "text/html" in page.headers["content-type"] and _has_security_headers(page)
    assert "ZeroDivisionError" not in r.text and "Traceback" not in page.text


def test_error_pages_carry_the_security_headers(client, anon) -> None:
    for r in (client.get("/sources/no-such-source", headers={"Accept": "text/html"}),
              client.get("/api/codings/abc"), anon.get("/"), client.get("/", headers={"Host": "evil.example"})):
        assert r.status_code >= 400 and _has_security_headers(r), (r.status_code, r.headers)


@pytest.mark.parametrize("host", ["testserver", "localhost:evil.example", "127.0.0.1:80:80", "127.0.0.1:",
                                  "[::1", "127.0.0.1.evil.example", "localhost:99999"])
def test_the_host_check_refuses_names_that_only_start_like_loopback(client, host: str) -> None:
    assert client.get("/api/session", headers={"Host": host}).status_code == 403


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost:8765", "LOCALHOST", "[::1]:8765"])
def test_the_host_check_accepts_loopback_with_a_port(client, host: str) -> None:
    assert client.get("/api/session", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/api/codings/9223372036854775808", "/api/memos/99999999999999999999999",
                                  "/api/claims/9223372036854775808", "/api/suggestions/9223372036854775808/decision",
                                  "/api/evidence/9223372036854775808"])
def test_ids_beyond_int64_are_a_422_not_a_crash(client, path: str) -> None:
    for method in ("get", "delete", "patch", "post"):
        r = client.request(method, path, json={})
        assert r.status_code in (404, 405, 422), (method, path, r.status_code)
    r = client.post("/api/codings", json={"segment_id": 2**64, "code": "care_environment"})
    assert r.status_code == 422 and "error" in r.json()


def test_unknown_role_kind_or_case_in_search_is_a_400_naming_the_choices(client) -> None:
    r = client.get("/api/search", params={"q": "parking", "role": "astronaut"})
    assert r.status_code == 400 and "service_user" in r.json()["error"]
    r = client.get("/api/search", params={"q": "parking", "case": "Northvail"})
    assert r.status_code == 400 and "did you mean 'Northvale'" in r.json()["error"]
    r = client.get("/api/search", params={"q": "parking", "kind": "minuets"})
    assert r.status_code == 400 and "minutes" in r.json()["error"]


def test_downloads_work_for_a_non_latin1_project_name_and_write_no_audit_event(client, vt_project) -> None:
    vt_project.set_name("研究: 2024/25")
    before = len(vt_project.events())
    for name in ("codings.csv", "codebook.yaml", "report.html"):
        r = client.get(f"/download/{name}")
        assert r.status_code == 200, (name, r.text[:200])
        cd = r.headers["content-disposition"]
        assert cd.startswith("attachment; filename=") and cd.isascii()
        utf8 = unquote(cd.split("filename*=UTF-8''")[1])
        assert utf8.startswith("研究_ 2024_25") and utf8.endswith(name)
        assert not any(ch in utf8 for ch in ':/\\<>"|?*')
    assert len(vt_project.events()) == before


def test_uploads_keep_unicode_names_and_never_overwrite_each_other(client, vt_project) -> None:
    files = [("files", ("интервью.txt", "Первый текст.\n".encode(), "text/plain")),
             ("files", ("протокол.txt", "Второй текст.\n".encode(), "text/plain")),
             ("files", ("../../протокол.txt", "Третий текст.\n".encode(), "text/plain"))]
    r = client.post("/api/import", files=files, data={"case": "Northvale"})
    assert r.status_code == 200, r.text
    names = {s.name for s in vt_project.sources()}
    assert {"интервью.txt", "протокол.txt", "протокол (2).txt"} <= names
    texts = {vt_project.text(n) for n in ("интервью.txt", "протокол.txt", "протокол (2).txt")}
    assert len(texts) == 3


def test_csv_download_makes_formula_cells_inert(client, vt_project) -> None:
    src = source_named(vt_project, "interview")
    seg = vt_project.segments(src.name)[1]
    vt_project.code(src.name, seg.start, seg.end, "care_environment", coder="=HYPERLINK(\"http://x\")")
    body = client.get("/download/codings.csv").text
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
