import re
from pathlib import Path

import docx
import pytest

from voicetrace.core.impact import Period, financial_year
from voicetrace.reports.outputs import (
    KINDS,
    OutputData,
    View,
    letters_for,
    reading_age,
    render,
    visible_text,
    write_output,
)
from voicetrace.storage.codebooks import load_default_codebook

from ..impact_fixture import CASE, SOURCES, claims, entries

EXTERNAL = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["\']?(https?:)?//', re.IGNORECASE)
LOMAX = "We opened the quiet room in June."        # a clinician with no consent on the register


def _data(period: Period | None = None, with_entries: bool = True) -> OutputData:
    return OutputData(
        title="Northvale review", organisation="Northvale Partnership", period=period or financial_year(2008),
        entries=entries() if with_entries else [], claims=claims() if with_entries else [],
        codebook=load_default_codebook(),
        participants=[{"pseudonym": "Margaret", "role": "service_user", "case": CASE, "consent_date": "2008-10-14"},
                      {"pseudonym": "Dr Lomax", "role": "clinician", "case": CASE, "consent_date": None}],
        sources=[{"name": n, "case": CASE, "kind": k, "type": t, "date": d} for n, k, t, d in SOURCES.values()],
        generated_at="1 December 2026")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_gripp2_sentences_state_the_period_counts() -> None:
    text = _text(render("gripp2", _data()))
    assert "Financial year 2008-09: 1 April 2008 to 31 March 2009" in text
    assert "involvement asked for 2 changes (1 more than the 1 in financial year 2007-08)" in text
    assert "1 change was made in the period (1 more than the 0 in financial year 2007-08)" in text
    assert "By level: 1 grass-roots." in text
    assert "1 request was declined in the period" in text
    assert "The trust board declined free parking because of the cost." in text
    assert "1 request was still open at the end of the period, 0 of them past the date a response was due" in text
    assert "The participant register holds 2 people (1 service user, 1 clinician); 1 of them" in text
    assert "Drawn from 5 sources in the period" in text      # the March 2008 minutes are before it


def test_every_count_links_to_the_entries_it_counts_and_rows_cite_evidence() -> None:
    html = render("annual-report", _data())
    assert '<a href="#changed">1</a> change was made' in html
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert {h for h in re.findall(r'href="#([^"]+)"', html)} <= anchors
    assert re.search(r'<tr id="changed-1">.*?href="#ev-\d+"', html, re.DOTALL)


def test_nobody_is_quoted_without_consent() -> None:
    for kind in KINDS:
        html = render(kind, _data())
        assert LOMAX not in html, kind
    ysd = render("you-said-we-did", _data())
    assert "The quiet room opened in June and I use it every week." in ysd and "(Margaret)" in ysd
    assert "without recorded consent are not quoted" in render("gripp2", _data())


def test_a_period_where_nothing_changed_says_so(tmp_path: Path) -> None:
    says = {"gripp2": "Involvement had no recorded impact in this period",
            "annual-report": "No change resulting from involvement is recorded for this period",
            "healthwatch": "the outcomes table is empty",
            "you-said-we-did": "We have no record of a change in this period",
            "letters": "Our records for this period hold no change linked to"}
    for kind in KINDS:
        paths = write_output(kind, _data(with_entries=False), tmp_path / kind)
        html = next(p for p in paths if p.suffix == ".html").read_text("utf-8")
        assert says[kind] in _text(html), kind
        doc = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
        body = " ".join(p.text for p in doc.paragraphs)
        assert says[kind] in body and len(body) >= 200, kind
    # a later period with entries that did not change anything also says so
    text = _text(render("gripp2", _data(Period("2009-03-01", "2009-03-31", "March 2009"))))
    assert "Involvement had no recorded impact in this period" in text


def test_outputs_are_self_contained_html_and_readable_docx(tmp_path: Path) -> None:
    from PIL import Image
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), (31, 78, 140)).save(logo)
    for kind in KINDS:
        paths = write_output(kind, _data(), tmp_path / kind, logo=logo)
        for h in (p for p in paths if p.suffix == ".html"):
            html = h.read_text("utf-8")
            assert not EXTERNAL.search(html) and "data:image/png;base64," in html, h
        d = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
        xml = d.element.xml
        assert "w:hyperlink" in xml and 'w:anchor="ev_1"' in xml and 'w:name="ev_1"' in xml, kind
        assert d.inline_shapes, kind            # the logo
    names = sorted(p.name for p in (tmp_path / "letters").iterdir())
    assert "all-letters.html" in names and "letter-group-northvale-cancer-partnership-group.docx" in names
    assert "letter-contributor-northvale-cancer-partnership-group-margaret.html" in names
    assert not any("lomax" in n for n in names)            # letters go to consented contributors only


def test_numbers_in_the_docx_match_the_html() -> None:
    html = render("healthwatch", _data())
    path = Path(__file__).parent / "_tmp_hw.docx"
    try:
        from voicetrace.reports.docx import html_to_docx
        html_to_docx(html, path)
        d = docx.Document(str(path))
        body = " ".join(p.text for p in d.paragraphs)
        assert "3 issues were active in the period. 2 were raised in it" in body
        cells = [c.text for row in d.tables[0].rows for c in row.cells]
        assert any("Declined: The trust board declined free parking" in c for c in cells)
    finally:
        path.unlink(missing_ok=True)


def test_reading_age_is_measured_on_the_page_and_stated() -> None:
    html = render("you-said-we-did", _data())
    m = re.search(r"Reading age of this page: about ([\d.]+) \(Flesch–Kincaid grade ([\d.-]+)", html)
    assert m, "no reading age stated"
    assert float(m.group(1)) == reading_age(visible_text(html))["age"]
    assert reading_age("The cat sat on the mat. We made a quiet room.")["age"] < 11


def test_an_organisation_can_override_the_wording_and_add_a_logo(tmp_path: Path) -> None:
    mine = tmp_path / "ours"
    mine.mkdir()
    (mine / "gripp2.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block title %}Our PPI summary{% endblock %}'
        '{% block content %}<p>We changed {{ now.changed|length }} thing(s) with our members.</p>{% endblock %}',
        encoding="utf-8")
    from PIL import Image
    Image.new("RGB", (40, 20), (200, 30, 30)).save(mine / "logo.gif")
    html = render("gripp2", _data(), templates=mine)
    assert "Our PPI summary" in html and "We changed 1 thing(s) with our members." in html
    assert "data:image/gif;base64," in html
    assert "GRIPP2 short form" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_each_output_states_its_period_and_sources(kind: str) -> None:
    text = _text(render(kind, _data()))
    assert "Period: Financial year 2008-09" in text and "Sources: Drawn from 5 sources" in text


def test_a_request_quoting_someone_without_consent_is_put_in_plain_words() -> None:
    data = _data()
    room = data.entries[0]
    room.request = "We opened the quiet room in June."          # the clinician's words, no consent
    text = _text(render("letters", data, letters=letters_for(View(data))))
    assert "We opened the quiet room in June." not in text
    assert "A change to the places where care happens in one service." in text
    assert "(financial year 2008-09: 1 April 2008 to 31 March 2009)" in text
