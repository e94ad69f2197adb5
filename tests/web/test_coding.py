"""Coding from the browser: UTF-16 offsets in, code points stored, overlaps shown, removal."""
from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from voicetrace.web.selection import SegmentView

from .conftest import source_named


def _utf16(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_code_a_selection_after_an_emoji(client, vt_project) -> None:
    src = source_named(vt_project, "interview")
    seg = next(g for g in vt_project.segments(src.name) if "😀" in g.text)
    word = "parking"
    cp = seg.text.index(word)
    start16 = _utf16(seg.text[:cp])  # what the browser reports: one more than cp, because of the emoji
    assert start16 == cp + 1
    r = client.post("/api/codings", json={"segment_id": seg.id, "code": "access_to_services",
                                          "start": start16, "end": start16 + len(word)})
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["text"] == word
    assert (c["start"], c["end"]) == (seg.start + cp, seg.start + cp + len(word))
    assert vt_project.text(src.name)[c["start"]:c["end"]] == word
    assert c["utf16"] == {"segment_id": seg.id, "start": start16, "end": start16 + len(word)}
    assert vt_project.codings()[0].coder == "tester"


def test_no_selection_codes_the_whole_passage(client, vt_project) -> None:
    seg = vt_project.segments(source_named(vt_project, "minutes").name)[2]
    c = client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment"}).json()
    assert (c["start"], c["end"], c["text"]) == (seg.start, seg.end, seg.text)


def test_bad_requests_are_one_clear_error(client, vt_project) -> None:
    seg = vt_project.segments(source_named(vt_project, "minutes").name)[2]
    r = client.post("/api/codings", json={"segment_id": seg.id, "code": "no_such_code"})
    assert r.status_code == 400 and "no_such_code" in r.json()["error"]
    r = client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment", "start": 0, "end": 10**6})
    assert r.status_code == 400 and "outside" in r.json()["error"]
    assert client.post("/api/codings", json={"segment_id": 999999, "code": "care_environment"}).status_code == 404


def test_overlapping_codings_are_all_visible_and_removable(client, vt_project) -> None:
    src = source_named(vt_project, "minutes")
    seg = vt_project.segments(src.name)[2]
    a = client.post("/api/codings", json={"segment_id": seg.id, "code": "care_environment", "start": 0, "end": 40}).json()
    b = client.post("/api/codings", json={"segment_id": seg.id, "code": "audit_survey_visit", "start": 20,
                                          "end": 60}).json()
    html = client.get(f"/sources/{quote(src.name, safe='')}").text
    assert f'data-codings="{a["id"]} {b["id"]}"' in html  # the overlap is one mark naming both
    assert 'class="hl d2' in html
    assert html.count('class="x"') == 2
    r = client.post(f"/codings/{a['id']}/delete", data={"back": src.name, "segment": str(seg.id)},
                    follow_redirects=False)
    assert r.status_code == 303 and f"#seg-{seg.id}" in r.headers["location"]
    assert [c.id for c in vt_project.codings()] == [b["id"]]
    assert client.delete(f"/api/codings/{b['id']}").status_code == 200
    assert vt_project.codings() == []


def test_marks_keep_the_text_exact(client, vt_project) -> None:
    """Stripping the marks from a segment's HTML gives back its (escaped) text: offsets stay true."""
    import html as htmlmod
    import re
    src = source_named(vt_project, "interview")
    seg = next(g for g in vt_project.segments(src.name) if "😀" in g.text)
    client.post("/api/codings", json={"segment_id": seg.id, "code": "access_to_services", "start": 3, "end": 25})
    page = client.get(f"/sources/{quote(src.name, safe='')}").text
    inner = re.search(rf'<div class="seg-text" data-seg="{seg.id}">(.*?)</div>', page, flags=re.DOTALL).group(1)
    assert htmlmod.unescape(re.sub(r"</?mark[^>]*>", "", inner)) == seg.text


astral_text = st.text(alphabet=st.sampled_from(list("ab c\n<&é") + ["😀", "𝄞", "中"]), min_size=1, max_size=40)


@given(astral_text, st.data())
@settings(max_examples=200, deadline=None)
def test_utf16_round_trip(text: str, data: st.DataObject) -> None:
    seg = SegmentView(1, "s", 0, 100, 100 + len(text), text, None, None)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    s16, e16 = _utf16(text[:i]), _utf16(text[:j])
    assert seg.to_source(s16, e16) == (100 + i, 100 + j)
    assert seg.to_utf16(100 + i, 100 + j) == (s16, e16)
