"""Reading .qdpx files in the shapes NVivo, ATLAS.ti, MAXQDA, QualCoder and qc really write."""
from __future__ import annotations

from pathlib import Path

from tests.exchange.refi_fixtures import (
    crlf_as_one_span,
    project_xml,
    selection,
    span_of,
    utf16_span,
    write_zip,
)
from voicetrace.exchange import QdaProject, read_qdpx

CODE_A = "11111111-aaaa-4aaa-8aaa-000000000001"
CODE_B = "11111111-aaaa-4aaa-8aaa-000000000002"
USER = "22222222-bbbb-4bbb-8bbb-000000000001"
SRC = "33333333-cccc-4ccc-8ccc-000000000001"
SRC2 = "33333333-cccc-4ccc-8ccc-000000000002"
NOTE = "44444444-dddd-4ddd-8ddd-000000000001"
VAR = "55555555-eeee-4eee-8eee-000000000001"


def sel_guid(n: int) -> str:
    return f"66666666-ffff-4fff-8fff-{n:012d}"


CODEBOOK = (f'<CodeBook><Codes><Code guid="{CODE_A}" name="Access" isCodable="true" color="#112233">'
            f'<Description>getting there</Description>'
            f'<Code guid="{CODE_B}" name="Parking" isCodable="true"/></Code></Codes></CodeBook>')
USERS = f'<Users><User guid="{USER}" name="Ann"/></Users>'

# Emoji (astral), accents and several lines: the text shape that exposed NVivo's UTF-16 counting.
LINES = [
    "Interviewer: How was parking at the clinic? 🚗",
    "P1: Parking was awful 😡😡 but the new leaflet 📄 helped a lot.",
    "P1: The café moved and the waiting room got quiet rooms 🙂.",
    "Interviewer: Anything else?",
    "P1: Transport 🚌 to the hospital is still hard for carers.",
]
WORDS = ["parking", "awful", "new leaflet", "waiting room", "quiet rooms", "Transport", "hospital", "carers"]


def _all_lf_spans(text: str) -> list[tuple[str, int, int]]:
    return [(w, *span_of(text, w)) for w in WORDS]


def _assert_resolved(project: QdaProject, source_name: str, words: list[str]) -> None:
    src = next(s for s in project.sources if s.name == source_name)
    assert "\r" not in src.text and not src.text.startswith("\ufeff")
    got = sorted(s.text for s in src.selections)
    assert got == sorted(words)
    for s in src.selections:
        assert src.text[s.start:s.end] == s.text


def _nvivo_windows(tmp_path: Path) -> Path:
    raw = "\r\n".join(LINES) + "\r\n"
    sels = "".join(selection(sel_guid(i), *utf16_span(raw, w), codes=[CODE_B], user=USER)
                   for i, w in enumerate(WORDS))
    body = (USERS + CODEBOOK + "<Sources>"
            f'<TextSource guid="{SRC}" name="Interview 1" plainTextPath="internal://{SRC}.txt" '
            f'creatingUser="{USER}" creationDateTime="2019-03-01T10:00:00Z">{sels}</TextSource></Sources>')
    xml = project_xml(body, origin="NVivo for Windows 12.6.0.959")
    return write_zip(tmp_path / "nvivo.qdpx", {
        "project.qde": xml,
        f"Sources/{SRC}.txt": b"\xef\xbb\xbf" + raw.encode("utf-8"),
    })


def test_nvivo_windows_bom_crlf_utf16_positions(tmp_path: Path) -> None:
    project = read_qdpx(_nvivo_windows(tmp_path))
    _assert_resolved(project, "Interview 1", WORDS)
    src = project.sources[0]
    assert src.text == "\n".join(LINES) + "\n"
    assert src.created is not None and src.creating_user == USER
    assert all(c.code_guid == CODE_B and c.user_guid == USER for s in src.selections for c in s.codings)
    assert [u.name for u in project.users] == ["Ann"]
    assert project.skipped == {}


def test_nvivo_mac_lf_root_marker(tmp_path: Path) -> None:
    raw = "\n".join(LINES)
    sels = "".join(selection(sel_guid(i), *utf16_span(raw, w), codes=[CODE_A]) for i, w in enumerate(WORDS))
    body = CODEBOOK + f'<Sources><TextSource guid="{SRC}" name="Mac" plainTextPath="internal://{SRC}.txt">{sels}</TextSource></Sources>'
    path = write_zip(tmp_path / "mac.qdpx", {
        "project.qde": project_xml(body, origin="NVivo for Mac 12.7"),
        "sources/.root": b"",
        f"sources/{SRC}.txt": raw.encode("utf-8"),
    })
    project = read_qdpx(path)
    _assert_resolved(project, "Mac", WORDS)


def test_utf16_detected_without_origin_when_text_has_emoji(tmp_path: Path) -> None:
    raw = "\n".join(LINES)
    sels = "".join(selection(sel_guid(i), *utf16_span(raw, w), codes=[CODE_A]) for i, w in enumerate(WORDS))
    body = CODEBOOK + f'<Sources><TextSource guid="{SRC}" name="X"><PlainTextContent>{raw}</PlainTextContent>{sels}</TextSource></Sources>'
    project = read_qdpx(write_zip(tmp_path / "x.qdpx", {"project.qde": project_xml(body, origin="SomeDotNetTool 2")}))
    _assert_resolved(project, "X", WORDS)


def test_code_points_kept_when_they_align(tmp_path: Path) -> None:
    """Spec-conformant positions must not be 'corrected' by the heuristic."""
    raw = "\n".join(LINES)
    sels = "".join(selection(sel_guid(i), *span_of(raw, w), codes=[CODE_A]) for i, w in enumerate(WORDS))
    body = CODEBOOK + f'<Sources><TextSource guid="{SRC}" name="Y"><PlainTextContent>{raw}</PlainTextContent>{sels}</TextSource></Sources>'
    project = read_qdpx(write_zip(tmp_path / "y.qdpx", {"project.qde": project_xml(body, origin="QualCoder 3.5")}))
    _assert_resolved(project, "Y", WORDS)
    assert not any("UTF-16" in w for w in project.warnings)


def test_atlas_ti_trial_qde_uppercase_guids_crlf_as_one_descriptions(tmp_path: Path) -> None:
    raw = "\r\n".join(LINES[:3]) + "\r\n"
    encoded = raw.replace("\r", "&#13;")  # keeps the CR through XML end-of-line handling
    words = ["awful", "leaflet", "quiet rooms"]
    sels = "".join(
        selection("{" + sel_guid(i).upper() + "}", *crlf_as_one_span(raw, w), codes=[CODE_A.upper()],
                  description=f"comment on {w}" if i != 1 else None)
        for i, w in enumerate(words)
    )
    codebook = CODEBOOK.replace(CODE_A, CODE_A.upper()).replace(CODE_B, "{" + CODE_B.upper() + "}")
    body = (codebook + f'<Sources><TextSource guid="{SRC.upper()}" name="Doc 1">'
            f"<PlainTextContent>{encoded}</PlainTextContent>{sels}</TextSource></Sources>")
    path = write_zip(tmp_path / "atlas.qdpx", {"Trial.qde": project_xml(body, origin="ATLAS.ti 26.0.1")})
    project = read_qdpx(path)
    _assert_resolved(project, "Doc 1", words)
    assert [c.guid for c in project.all_codes()] == [CODE_A, CODE_B]
    assert project.guid_aliases[CODE_A.upper()] == CODE_A
    assert project.guid_aliases["{" + CODE_B.upper() + "}"] == CODE_B
    src = project.sources[0]
    memos = {n.text: n for n in project.notes}
    assert set(memos) == {"comment on awful", "comment on quiet rooms"}
    by_text = {s.text: s for s in src.selections}
    assert memos["comment on awful"].targets == [by_text["awful"].guid]
    assert by_text["awful"].note_guids == [memos["comment on awful"].guid]
    assert by_text["leaflet"].note_guids == []


def test_crlf_as_one_detected_without_origin(tmp_path: Path) -> None:
    raw = "\r\n".join(f"Line {i}: the parking and transport were hard" for i in range(8))
    sels = "".join(selection(sel_guid(i), *crlf_as_one_span(raw, "transport", i), codes=[CODE_A]) for i in range(1, 8))
    body = CODEBOOK + f'<Sources><TextSource guid="{SRC}" name="Z" plainTextPath="internal://{SRC}.txt">{sels}</TextSource></Sources>'
    project = read_qdpx(write_zip(tmp_path / "z.qdpx", {"project.qde": project_xml(body, origin=""),
                                                        f"sources/{SRC}.txt": raw.encode()}))
    _assert_resolved(project, "Z", ["transport"] * 7)


def test_maxqda_memo_only_selections_case_variables_duplicate_names(tmp_path: Path) -> None:
    text = "We asked for better parking.\nThe board agreed to fund a nurse."
    a = span_of(text, "better parking")
    b = span_of(text, "fund a nurse")
    sels = (selection(sel_guid(1), *a, codes=[CODE_B])
            + selection(sel_guid(2), *b, description="Memo: strategic change?"))
    variables = f'<Variables><Variable guid="{VAR}" name="Year" typeOfVariable="Integer"/></Variables>'
    cases = (f'<Cases><Case guid="77777777-0000-4000-8000-000000000001" name="Minutes">'
             f'<VariableValue><VariableRef targetGUID="{VAR}"/><IntegerValue>2009</IntegerValue></VariableValue>'
             f'<SourceRef targetGUID="{SRC}"/></Case></Cases>')
    body = (CODEBOOK + variables + cases + "<Sources>"
            f'<TextSource guid="{SRC}" name="Minutes" plainTextPath="internal://{SRC}.txt">{sels}</TextSource>'
            f'<TextSource guid="{SRC2}" name="Minutes" plainTextPath="internal://{SRC2}.txt"/>'
            "</Sources>")
    path = write_zip(tmp_path / "maxqda.qdpx", {
        "project.qde": project_xml(body, origin="MAXQDA 2024 (Release 24.0.0)"),
        f"sources/{SRC}.txt": text.encode(),
        f"sources/{SRC2}.txt": b"Second document.",
    })
    project = read_qdpx(path)
    names = [s.name for s in project.sources]
    assert names == ["Minutes", "Minutes (2)"]
    first = project.sources[0]
    assert first.variable_values == {VAR: 2009}
    assert project.cases == []
    memo_sel = next(s for s in first.selections if s.text == "fund a nurse")
    assert memo_sel.codings == []
    (note,) = project.notes
    assert note.text == "Memo: strategic change?" and note.targets == [memo_sel.guid]
    assert any("duplicate source name" in w for w in project.warnings)


def test_qualcoder_qc_bare_paths_empty_names_nonconformant_guids(tmp_path: Path) -> None:
    text = "board minutes 2017: patients asked for a quieter waiting area"
    codebook = ('<CodeBook><Codes><Code guid="c001" name="environment" isCodable="true">'
                '<Code guid="c002" name="" isCodable="true"/></Code></Codes></CodeBook>')
    sels = selection(sel_guid(1), *span_of(text, "quieter waiting area"), codes=["c001", "c002"])
    body = codebook + f'<Sources><TextSource guid="{SRC}" name="" plainTextPath="board_2017.txt">{sels}</TextSource></Sources>'
    path = write_zip(tmp_path / "qc.qdpx", {"project.qde": project_xml(body, name="qc demo"),
                                             "sources/board_2017.txt": text.encode()})
    project = read_qdpx(path)
    (src,) = project.sources
    assert src.name == "board_2017"
    codes = project.all_codes()
    assert [c.name for c in codes] == ["environment", "(unnamed code)"]
    c001 = project.guid_aliases["c001"]
    assert codes[0].guid == c001 and len(c001) == 36
    assert [c.code_guid for c in src.selections[0].codings] == [c001, project.guid_aliases["c002"]]
    # deterministic: reading again gives the same derived GUIDs
    assert read_qdpx(path).guid_aliases == project.guid_aliases


def test_pdf_with_representation_and_picture_skipped(tmp_path: Path) -> None:
    text = "Annual report 2010.\r\nThe group redesigned the chemotherapy leaflet."
    pdf_sel = selection(sel_guid(1), *span_of(text, "chemotherapy leaflet"), codes=[CODE_A])
    body = (CODEBOOK + "<Sources>"
            f'<PDFSource guid="{SRC}" name="Annual report" path="internal://{SRC}.pdf">'
            f'<PDFSelection guid="{sel_guid(9)}" page="1" firstX="1" firstY="2" secondX="3" secondY="4"/>'
            f'<Representation guid="{SRC2}" plainTextPath="internal://{SRC2}.txt">{pdf_sel}</Representation>'
            "</PDFSource>"
            '<PictureSource guid="88888888-0000-4000-8000-000000000001" name="Poster" path="internal://p.jpg"/>'
            '<PictureSource guid="88888888-0000-4000-8000-000000000002" name="Flyer" path="internal://f.png"/>'
            '<AudioSource guid="88888888-0000-4000-8000-000000000003" name="" path="absolute:///C:/a.m4a"/>'
            "</Sources>")
    path = write_zip(tmp_path / "pdf.qdpx", {
        "project.qde": project_xml(body),
        f"sources/{SRC}.pdf": b"%PDF-1.4 not really",
        f"sources/{SRC2}.txt": text.encode(),
        "sources/p.jpg": b"\xff\xd8",
    })
    project = read_qdpx(path)
    (src,) = project.sources
    assert src.kind == "pdf" and src.guid == SRC and src.name == "Annual report"
    assert src.text == text.replace("\r\n", "\n")
    assert [s.text for s in src.selections] == ["chemotherapy leaflet"]
    assert project.skipped["picture_sources"] == 2
    assert project.skipped["audio_sources"] == 1
    assert project.skipped["pdf_region_selections"] == 1
    assert any(w.startswith("2 picture sources not imported: Poster, Flyer") for w in project.warnings)


def test_shifted_and_zero_length_selections_are_not_imported_silently(tmp_path: Path) -> None:
    text = "The partnership group changed the parking rules and the appointment letters they sent."
    good = [("partnership", 0), ("parking", 0)]
    shifted = ["changed", "rules", "appointment", "letters"]
    sels = "".join(selection(sel_guid(i), *span_of(text, w), codes=[CODE_A]) for i, (w, _) in enumerate(good))
    for i, w in enumerate(shifted, start=10):
        a, b = span_of(text, w)
        sels += selection(sel_guid(i), a + 2, b + 2, codes=[CODE_A])  # cuts words at both ends
    sels += selection(sel_guid(30), 5, 5, codes=[CODE_A])
    body = CODEBOOK + f'<Sources><TextSource guid="{SRC}" name="Doc"><PlainTextContent>{text}</PlainTextContent>{sels}</TextSource></Sources>'
    project = read_qdpx(write_zip(tmp_path / "s.qdpx", {"project.qde": project_xml(body)}))
    assert sorted(s.text for s in project.sources[0].selections) == ["parking", "partnership"]
    assert project.skipped["shifted_selections"] == 4
    assert project.skipped["zero_length_selections"] == 1
    assert any("4 selections in Doc look shifted" in w and sel_guid(10) in w for w in project.warnings)


def test_notes_noteref_links_sets_and_namespace_variants(tmp_path: Path) -> None:
    text = "Carers asked for a quiet room."
    sel = selection(sel_guid(1), *span_of(text, "quiet room"), codes=[CODE_B], note_refs=[NOTE])
    link_note = "44444444-dddd-4ddd-8ddd-000000000002"
    project_note = "44444444-dddd-4ddd-8ddd-000000000003"
    case = "77777777-0000-4000-8000-000000000009"
    codebook = CODEBOOK.replace("<CodeBook>", '<CodeBook xmlns="urn:QDA-XML:codebook:0:4">')
    body = (USERS + codebook
            + f'<Cases><Case guid="{case}" name="Group A"><SourceRef targetGUID="{SRC}"/></Case></Cases>'
            + f'<Sources><TextSource guid="{SRC}" name="Doc" plainTextPath="relative:///texts/doc.txt">{sel}</TextSource></Sources>'
            + f'<Notes><Note guid="{NOTE}" name="On quiet" creatingUser="{USER}"><PlainTextContent>Check\r\nthis</PlainTextContent></Note>'
            + f'<Note guid="{link_note}" name="Case memo" plainTextPath="internal://{link_note}.txt"/>'
            + f'<Note guid="{project_note}" name="Project memo"><PlainTextContent>overall</PlainTextContent></Note></Notes>'
            + f'<Links><Link guid="99999999-0000-4000-8000-000000000001" originGUID="{link_note}" targetGUID="{case}"/></Links>'
            + f'<Sets><Set guid="99999999-0000-4000-8000-000000000002" name="Env"><MemberCode targetGUID="{CODE_B}"/>'
            + f'<MemberSource targetGUID="{SRC}"/></Set></Sets>'
            + f'<NoteRef targetGUID="{project_note}"/>')
    path = write_zip(tmp_path / "n.qdpx", {
        "project.qde": project_xml(body, ns="urn:QDA-XML:project:1.0", extra_attrs=' basePath="/home/someone/secret"'),
        "texts/doc.txt": text.encode(),
        f"sources/{link_note}.txt": b"about the group",
    })
    project = read_qdpx(path)
    notes = {n.name: n for n in project.notes}
    selection_guid = project.sources[0].selections[0].guid
    assert notes["On quiet"].targets == [selection_guid] and notes["On quiet"].text == "Check\nthis"
    assert notes["On quiet"].author == USER
    assert notes["Case memo"].targets == [case] and notes["Case memo"].text == "about the group"
    assert notes["Project memo"].targets == []
    assert project.sets[0].member_codes == [CODE_B] and project.sets[0].member_sources == [SRC]
    assert project.cases[0].source_guids == [SRC]
    assert [c.name for c in project.all_codes()] == ["Access", "Parking"]


def test_project_without_namespace_and_odd_sources_folder_case(tmp_path: Path) -> None:
    text = "Plain words here."
    body = f'<Sources><TextSource guid="{SRC}" name="T" plainTextPath="internal://{SRC}.TXT"/></Sources>'
    path = write_zip(tmp_path / "nons.qdpx", {"PROJECT.QDE": project_xml(body, ns=None),
                                              f"SOURCES/{SRC}.txt": text.encode()})
    project = read_qdpx(path)
    assert project.sources[0].text == text


def test_rich_text_with_plain_representation_uses_the_txt(tmp_path: Path) -> None:
    text = "Plain representation."
    body = (f'<Sources><TextSource guid="{SRC}" name="R" richTextPath="internal://{SRC}.docx" '
            f'plainTextPath="internal://{SRC}.txt"/>'
            f'<TextSource guid="{SRC2}" name="OnlyRich" richTextPath="internal://{SRC2}.docx"/></Sources>')
    path = write_zip(tmp_path / "rich.qdpx", {"project.qde": project_xml(body),
                                               f"sources/{SRC}.docx": b"PK not a docx",
                                               f"sources/{SRC}.txt": text.encode(),
                                               f"sources/{SRC2}.docx": b"PK"})
    project = read_qdpx(path)
    assert [s.text for s in project.sources] == [text]
    assert project.skipped["missing_source_text"] == 1
