"""Writing .qdpx: schema-valid, spec conventions, and write -> read gives the same project."""
from __future__ import annotations

import dataclasses
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.exchange.refi_fixtures import project_xml, span_of, utf16_len, write_zip
from voicetrace.exchange import (
    QdaCase,
    QdaCode,
    QdaCoding,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSet,
    QdaSource,
    QdaUser,
    QdaVariable,
    guid_for,
    read_qdpx,
    validate_qde,
    write_qdpx,
)


def canonical(project: QdaProject) -> dict[str, Any]:
    """Content that must survive a round trip (origin/warnings describe the file, not the data)."""
    data = dataclasses.asdict(project)
    for key in ("origin", "warnings", "skipped", "guid_aliases"):
        data.pop(key)
    for note in data["notes"]:
        note["targets"] = sorted(note["targets"])
    for src in data["sources"]:
        for sel in src["selections"]:
            sel["note_guids"] = sorted(sel["note_guids"])
    return data


def sample_project() -> QdaProject:
    g = guid_for
    text = "Interviewer: Parking? 🚗\nP1: The café e\u0301 leaflet changed.\n\nP2: Quiet rooms 🙂 now."
    a, b = span_of(text, "Parking")
    c, d = span_of(text, "café e\u0301 leaflet")
    e, f = span_of(text, "Quiet rooms 🙂")
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    sel1 = QdaSelection(g("segment", 1), a, b, text[a:b], [QdaCoding(g("coding", 1), g("code", "access"), g("user", "ann"), when)],
                        note_guids=[g("memo", 1)], creating_user=g("user", "ann"), created=when)
    sel2 = QdaSelection(g("segment", 2), c, d, text[c:d], [QdaCoding(g("coding", 2), g("code", "info"), g("user", "bob")),
                                                           QdaCoding(g("coding", 3), g("code", "access"), g("user", "ann"))])
    sel3 = QdaSelection(g("segment", 3), e, f, text[e:f], [QdaCoding(g("coding", 4), g("code", "env"))])
    return QdaProject(
        name="Partnership study",
        description="Influence of involvement",
        users=[QdaUser(g("user", "ann"), "Ann"), QdaUser(g("user", "bob"), "Bob")],
        codes=[
            QdaCode(g("code", "domain"), "Domain", None, "B. domain of change", False, [
                QdaCode(g("code", "access"), "access_to_services", "#1f77b4", "Parking, transport"),
                QdaCode(g("code", "info"), "patient_information", "#abc"),
            ]),
            QdaCode(g("code", "env"), "care_environment"),
        ],
        variables=[QdaVariable(g("var", "region"), "region", "Text"), QdaVariable(g("var", "members"), "members", "Integer"),
                   QdaVariable(g("var", "funded"), "funded facilitator", "Boolean"),
                   QdaVariable(g("var", "budget"), "budget", "Float", "GBP a year"),
                   QdaVariable(g("var", "formed"), "formed", "Date"), QdaVariable(g("var", "seen"), "seen", "DateTime")],
        cases=[QdaCase(g("case", 1), "Northvale", "case-study group",
                       {g("var", "region"): "North", g("var", "members"): 14, g("var", "funded"): True,
                        g("var", "budget"): 1250.5, g("var", "formed"): date(2004, 3, 1), g("var", "seen"): when},
                       [g("source", 1)]),
               QdaCase(g("case", 2), "Tayburn")],
        sources=[QdaSource(g("source", 1), "interview-06", "text", text, "Interview with P1", g("user", "ann"), when,
                           g("user", "bob"), when, {g("var", "region"): "North"}, [sel1, sel2, sel3]),
                 QdaSource(g("source", 2), "empty-ish", "text", "x")],
        notes=[QdaNote(g("memo", 1), "Parking memo", "Check with\nthe trust", g("user", "ann"), when, [g("segment", 1)]),
               QdaNote(g("memo", 2), "Case memo", "Northvale is typical", None, None, [g("case", 1)]),
               QdaNote(g("memo", 3), "Project memo", "Overall impressions"),
               QdaNote(g("memo", 4), "Code memo", "Define better", targets=[g("code", "env"), g("coding", 2), g("source", 2)])],
        sets=[QdaSet(g("set", 1), "Grass roots", "level A", [g("code", "access"), g("code", "env")], [g("source", 1)], [g("memo", 3)])],
    )


def test_round_trip_sample_project(tmp_path: Path) -> None:
    project = sample_project()
    write_qdpx(project, tmp_path / "out.qdpx")
    again = read_qdpx(tmp_path / "out.qdpx")
    assert again.warnings == [] and again.skipped == {}
    assert canonical(again) == canonical(project)
    for src in again.sources:
        for sel in src.selections:
            assert src.text[sel.start:sel.end] == sel.text


def test_written_archive_follows_the_writer_checklist(tmp_path: Path) -> None:
    project = sample_project()
    path = tmp_path / "out.qdpx"
    write_qdpx(project, path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde")
        texts = {n: zf.read(n) for n in names if n.startswith("sources/")}
    assert names[0] == "project.qde"
    assert sorted(texts) == sorted(f"sources/{s.guid}.txt" for s in project.sources)
    assert not xml.startswith(b"\xef\xbb\xbf") and xml.startswith(b"<?xml")
    assert validate_qde(xml) == []
    assert b'origin="voicetrace ' in xml and b"positions in Unicode code points; LF line endings" in xml
    for src in project.sources:
        assert f'plainTextPath="internal://{src.guid}.txt"'.encode() in xml
        assert texts[f"sources/{src.guid}.txt"] == src.text.encode("utf-8")
    # deterministic output: same project, same bytes
    write_qdpx(project, tmp_path / "again.qdpx")
    assert (tmp_path / "again.qdpx").read_bytes() == path.read_bytes()


def test_validate_qde_reports_problems() -> None:
    bad_order = project_xml('<Sources><TextSource guid="33333333-cccc-4ccc-8ccc-000000000001" name="x">'
                            "<PlainTextContent>a</PlainTextContent></TextSource></Sources>"
                            '<Users><User guid="22222222-bbbb-4bbb-8bbb-000000000001"/></Users>')
    assert validate_qde(bad_order)
    both = project_xml('<Sources><TextSource guid="33333333-cccc-4ccc-8ccc-000000000001" plainTextPath="internal://a.txt">'
                       "<PlainTextContent>a</PlainTextContent></TextSource></Sources>")
    assert any("exactly one" in p for p in validate_qde(both))
    assert validate_qde(project_xml("")) == []


def test_guid_for_is_stable_and_distinct() -> None:
    assert guid_for("code", "access") == guid_for("code", "access")
    assert guid_for("code", 1) != guid_for("source", 1)
    assert guid_for("code", 1) == guid_for("code", "1")  # ids compare by their text
    assert len(guid_for("x", "y")) == 36 and guid_for("x", "y") == guid_for("x", "y").lower()


def test_vendor_file_survives_read_write_read(tmp_path: Path) -> None:
    """An ATLAS.ti-style import (descriptions as memos) re-exports without duplicating memos."""
    code = "11111111-AAAA-4AAA-8AAA-000000000001"
    text = "Carers asked for a quiet room."
    a, b = span_of(text, "quiet room")
    body = (f'<CodeBook><Codes><Code guid="{code}" name="env" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="33333333-CCCC-4CCC-8CCC-000000000001" name="d"><PlainTextContent>{text}</PlainTextContent>'
            f'<PlainTextSelection guid="66666666-FFFF-4FFF-8FFF-000000000001" startPosition="{a}" endPosition="{b}">'
            f'<Description>nice</Description><Coding guid="66666666-FFFF-4FFF-8FFF-000000000002"><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection></TextSource></Sources>")
    first = read_qdpx(write_zip(tmp_path / "a.qdpx", {"Trial.qde": project_xml(body, origin="ATLAS.ti 26")}))
    write_qdpx(first, tmp_path / "b.qdpx")
    second = read_qdpx(tmp_path / "b.qdpx")
    assert canonical(second) == canonical(first)
    assert len(second.notes) == 1


# ------------------------------------------------------------------ property tests

_chars = st.one_of(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    st.sampled_from(["😀", "🚗", "👩🏽‍⚕️", "e\u0301", "\u0301", "\n", " ", "a", "𝔘"]),
)


@st.composite
def text_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = "".join(draw(st.lists(_chars, min_size=1, max_size=60)))
    n = len(text)
    pairs = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).filter(lambda p: p[0] != p[1]), max_size=8))
    return text, [(min(p), max(p)) for p in pairs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=text_with_spans(),
       name=st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                    min_size=1, max_size=20))
def test_round_trip_random_texts_and_spans(tmp_path: Path, data: tuple[str, list[tuple[int, int]]], name: str) -> None:
    text, spans = data
    code = QdaCode(guid_for("code", "c"), "c")
    sels = [QdaSelection(guid_for("segment", i), a, b, text[a:b], [QdaCoding(guid_for("coding", i), code.guid)])
            for i, (a, b) in enumerate(spans)]
    project = QdaProject(name=name, codes=[code], sources=[QdaSource(guid_for("source", 1), "s", text=text, selections=sels)])
    path = tmp_path / "p.qdpx"
    write_qdpx(project, path)
    again = read_qdpx(path)
    assert canonical(again) == canonical(project)
    assert again.skipped == {}


_word = st.lists(st.sampled_from([*"abcdefgéü", "😀", "🚗", "e\u0301"]), min_size=1, max_size=6).map("".join)
_sep = st.sampled_from([" ", "\n", ", ", ".\n\n", " 🙂 ", "\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.tuples(_word, _sep), min_size=1, max_size=25), picks=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 3)), min_size=1, max_size=6),
       crlf=st.booleans())
def test_nvivo_positions_resolve_exactly(tmp_path: Path, words: list[tuple[str, str]], picks: list[tuple[int, int]], crlf: bool) -> None:
    """NVivo counts UTF-16 units over CRLF text; word-aligned selections must land exactly."""
    lf_text = "".join(w + s for w, s in words)
    starts, pos = [], 0
    for w, s in words:
        starts.append((pos, pos + len(w)))
        pos += len(w) + len(s)
    raw = lf_text.replace("\n", "\r\n") if crlf else lf_text
    expected, sels = [], ""
    for i, (k, extra) in enumerate(picks):
        k = k % len(words)
        last = min(len(words) - 1, k + extra)
        a, b = starts[k][0], starts[last][1]
        raw_a = len(lf_text[:a].replace("\n", "\r\n")) if crlf else a
        raw_b = len(lf_text[:b].replace("\n", "\r\n")) if crlf else b
        u_a, u_b = utf16_len(raw[:raw_a]), utf16_len(raw[:raw_b])
        expected.append(lf_text[a:b])
        sels += (f'<PlainTextSelection guid="66666666-ffff-4fff-8fff-{i:012d}" startPosition="{u_a}" endPosition="{u_b}">'
                 '<Coding guid="77777777-ffff-4fff-8fff-%012d"><CodeRef targetGUID="11111111-aaaa-4aaa-8aaa-000000000001"/></Coding>'
                 "</PlainTextSelection>" % i)
    body = ('<CodeBook><Codes><Code guid="11111111-aaaa-4aaa-8aaa-000000000001" name="c" isCodable="true"/></Codes></CodeBook>'
            f'<Sources><TextSource guid="33333333-cccc-4ccc-8ccc-000000000001" name="n" plainTextPath="internal://t.txt">{sels}'
            "</TextSource></Sources>")
    path = write_zip(tmp_path / "n.qdpx", {"project.qde": project_xml(body, origin="NVivo 14"),
                                            "Sources/t.txt": b"\xef\xbb\xbf" + raw.encode()})
    project = read_qdpx(path)
    (src,) = project.sources
    assert src.text == lf_text
    assert [s.text for s in src.selections] == expected
    assert all(src.text[s.start:s.end] == s.text for s in src.selections)
