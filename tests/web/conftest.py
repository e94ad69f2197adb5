"""A small coded project for the web tests, written on the fly, and a client that holds the token."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import voicetrace
from voicetrace.services.suggestions import NewSuggestion
from voicetrace.web.app import create_app
from voicetrace.web.security import Secrets

TOKEN = "test-token-123"
CSRF = "test-csrf-456"
BASE = "http://127.0.0.1"  # the Host the server answers to (loopback only)

INTERVIEW = ("Interviewer: How did the group start? <script>alert(\"x\")</script>\n\n"
             "Margaret: After my treatment 😀 the parking was terrible, so we did a survey.\n\n"
             "Interviewer: And what changed?\n\n"
             "Dr Lomax: The trust confirmed the new parking permits for patients <img src=x onerror=alert(1)>.\n")
MINUTES = ("Partnership group minutes\n\nPresent: Margaret, Derek, Helen (facilitator).\n\n"
           "Item 2. Following the comfort audit, the quiet room was refurbished and new chairs installed.\n\n"
           "Action: Helen to write to the car parking manager about charges for patients.\n")


def build_project(path: Path, corpus: Path) -> voicetrace.Project:
    (corpus / "northvale").mkdir(parents=True)
    (corpus / "northvale" / "interview-01-margaret.txt").write_text(INTERVIEW, encoding="utf-8")
    (corpus / "northvale" / "minutes-2008-03-12.txt").write_text(MINUTES, encoding="utf-8")
    p = voicetrace.create(path)
    p.add_case("Northvale", {"nation": "England", "funded_facilitator": "yes"})
    p.add_participant("Margaret", "service_user", "Northvale")
    p.add_participant("Dr Lomax", "clinician", "Northvale")
    rep = p.import_paths([corpus / "northvale"], case="Northvale")
    assert rep.ok, rep.failed
    minutes = next(s for s in p.sources() if "minutes" in s.name)
    segs = p.segments(minutes.name)
    room = next(g for g in segs if "quiet room" in g.text)
    parking = next(g for g in segs if "parking" in g.text)
    p.add_suggestions([
        NewSuggestion(minutes.id, room.id, room.start, room.end, "care_environment", "lexicon", "1.0", 0.91,
                      "indicator phrase 'quiet room'"),
        NewSuggestion(minutes.id, parking.id, parking.start, parking.end, "access_to_services", "lexicon", "1.0",
                      0.55, "indicator phrase 'parking'"),
    ])
    return p


@pytest.fixture
def vt_project(tmp_path: Path) -> Iterator[voicetrace.Project]:
    p = build_project(tmp_path / "web.db", tmp_path / "corpus")
    yield p
    p.close()


@pytest.fixture
def app(vt_project: voicetrace.Project):  # type: ignore[no-untyped-def]
    return create_app(vt_project, secrets=Secrets(token=TOKEN, csrf=CSRF), coder="tester")


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """Sends the token as a header and the CSRF token on changes, like a script using the API."""
    with TestClient(app, base_url=BASE, headers={"X-Voicetrace-Token": TOKEN, "X-CSRF-Token": CSRF}) as c:
        yield c


@pytest.fixture
def anon(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url=BASE) as c:
        yield c


def source_named(p: voicetrace.Project, part: str) -> voicetrace.SourceInfo:
    return next(s for s in p.sources() if part in s.name)
