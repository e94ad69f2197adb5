"""No endpoint returns an unbounded list: every list is one page, with a ceiling on its size."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import source_named

PAGED = [("/api/codings", 5000), ("/api/sources", 5000), ("/api/overview", 5000), ("/api/claims", 5000),
         ("/api/matrix", 1000), ("/api/memos", 1000)]


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


def test_matrix_json_pages_through_the_cases(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    for g in vt_project.segments(src.name):
        vt_project.code(src.name, g.start, g.end, "care_environment", coder="pager")
    vt_project.add_case("Aardvark")
    vt_project.edit_source(source_named(vt_project, "interview").name, case="Aardvark", actor="pager")
    whole = client.get("/api/matrix", params={"dimension": "domain"}).json()
    assert whole["total_cases"] == len(whole["cases"]) == 2 and whole["next_offset"] is None
    cells, offset = [], 0
    while offset is not None:
        page = client.get("/api/matrix", params={"dimension": "domain", "offset": offset, "limit": 1}).json()
        assert len(page["cases"]) == 1 and page["total_cases"] == 2 and page["top"] == whole["top"]
        cells += page["cells"]
        offset = page["next_offset"]
    assert cells == whole["cells"]
    assert client.get("/api/matrix", params={"offset": 5}).json()["cells"] == []


def test_memos_json_pages_and_counts(client, vt_project) -> None:
    for k in range(5):
        vt_project.add_memo("project", None, f"memo {k}", author="tester")
    r = client.get("/api/memos", params={"offset": 1, "limit": 2})
    assert [m["body"] for m in r.json()] == ["memo 1", "memo 2"] and r.headers["X-Total-Count"] == "5"
    assert client.get("/api/memos", params={"offset": 9}).json() == []


def test_memos_page_is_paged(client, vt_project) -> None:
    for k in range(53):
        vt_project.add_memo("project", None, f"note number {k}", author="tester")
    first = client.get("/memos").text
    assert "note number 49" in first and "note number 50" not in first and "of 53" in first
    last = client.get("/memos", params={"page": 99}).text  # past the end: the last page
    assert "note number 52" in last and "note number 49" not in last


def test_reader_lists_a_bounded_number_of_memos_and_cases(client, vt_project) -> None:
    name = source_named(vt_project, "minutes").name
    for k in range(21):
        vt_project.add_memo("source", name, f"reader memo {k}", author="tester")
    page = client.get(f"/sources/{quote(name, safe='')}").text
    assert "reader memo 19" in page and "reader memo 20" not in page and "All 21 memos on this source" in page
    assert '<select id="se-case"' in page
    for i in range(200):
        vt_project.add_case(f"Case {i:03d}")
    page = client.get(f"/sources/{quote(name, safe='')}").text
    assert '<select id="se-case"' not in page and 'type="text" name="case"' in page and "Case 150" not in page
    r = client.post("/source-edit", data={"source": name, "case": "Case 150"}, follow_redirects=False)
    assert r.status_code == 303 and vt_project.source(name).case == "Case 150"


def test_overview_json_pages_its_cases_too(client, vt_project) -> None:
    for i in range(3):
        vt_project.add_case(f"Case {i:03d}")
    whole = client.get("/api/overview").json()
    names = [c["name"] for c in whole["cases"]]
    assert len(names) == whole["counts"]["cases"] >= 3
    paged = [c["name"] for off in range(len(names))
             for c in client.get("/api/overview", params={"offset": off, "limit": 1}).json()["cases"]]
    assert paged == names
    assert client.get("/api/overview", params={"offset": len(names)}).json()["cases"] == []
    assert len(client.get("/").text) > 0  # the page still lists every case group (60 at a time)


def test_claims_page_offers_a_case_menu_only_while_it_is_short(client, vt_project) -> None:
    assert '<select name="case"' in client.get("/claims").text
    for i in range(200):
        vt_project.add_case(f"Case {i:03d}")
    page = client.get("/claims").text
    assert '<select name="case"' not in page and 'type="search" name="case"' in page and "Case 150" not in page
    assert "one of " in page and "cases, by name" in page
    filtered = client.get("/claims", params={"case": "Case 150"})
    assert filtered.status_code == 200 and 'value="Case 150"' in filtered.text


NUMBERS = st.one_of(st.integers(min_value=-10, max_value=2**70), st.sampled_from(["", "x", "1.5", "-0", "1e3"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/api/matrix", "/api/memos", "/matrix", "/memos"]), offset=NUMBERS, limit=NUMBERS,
       page=NUMBERS)
def test_paging_parameters_never_fail_the_server(client, path: str, offset: object, limit: object,
                                                 page: object) -> None:
    r = client.get(path, params={"offset": str(offset), "limit": str(limit), "page": str(page)})
    assert r.status_code in (200, 422), r.text[:300]
