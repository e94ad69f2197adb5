"""No endpoint returns an unbounded list: every list is one page, with a ceiling on its size."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import source_named

PAGED = [("/api/codings", 5000), ("/api/sources", 5000), ("/api/overview", 5000), ("/api/claims", 5000)]


@pytest.mark.parametrize(("path", "ceiling"), PAGED)
def test_list_endpoints_refuse_a_page_above_their_ceiling(client, path: str, ceiling: int) -> None:
    assert client.get(path, params={"limit": ceiling}).status_code == 200
    r = client.get(path, params={"limit": ceiling + 1})
    assert r.status_code == 422 and "limit" in r.json()["error"]
    assert client.get(path, params={"offset": -1}).status_code == 422


def test_reader_json_pages_through_a_source(client, vt_project) -> None:
    name = source_named(vt_project, "interview").name
    every = [g.id for g in vt_project.segments(name)]
    seen, offset = [], 0
    while offset is not None:
        page = client.get(f"/api/sources/{quote(name)}", params={"offset": offset, "limit": 1}).json()
        assert len(page["segments"]) == 1 and page["total_segments"] == len(every)
        seen += [s["id"] for s in page["segments"]]
        offset = page["next_offset"]
    assert seen == every
    assert client.get(f"/api/sources/{quote(name)}", params={"limit": 2001}).status_code == 422


def test_reader_page_keeps_a_coding_chip_on_the_passage_it_starts_in(client, vt_project) -> None:
    name = source_named(vt_project, "interview").name
    segs = vt_project.segments(name)
    c = vt_project.code(name, segs[0].start + 2, segs[1].end - 1, "care_environment", coder="tester")
    first = client.get(f"/api/sources/{quote(name)}", params={"offset": 0, "limit": 1}).json()
    second = client.get(f"/api/sources/{quote(name)}", params={"offset": 1, "limit": 1}).json()
    assert c.id in [k["id"] for k in first["segments"][0]["codings"]]
    assert c.id not in [k["id"] for k in second["segments"][0]["codings"]]


def test_codings_and_sources_page_in_order(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    for g in vt_project.segments(src.name):
        vt_project.code(src.name, g.start, g.end, "care_environment", coder="pager")
    every = [c["id"] for c in client.get("/api/codings").json()]
    assert len(every) >= 3
    pages = [c["id"] for off in range(len(every)) for c in client.get("/api/codings",
                                                                       params={"offset": off, "limit": 1}).json()]
    assert pages == every
    names = [s["name"] for s in client.get("/api/sources").json()]
    assert [s["name"] for s in client.get("/api/sources", params={"offset": 1, "limit": 1}).json()] == names[1:2]
    overview = client.get("/api/overview", params={"limit": 1}).json()
    assert len(overview["sources"]) == 1 and overview["counts"]["sources"] == len(names)
