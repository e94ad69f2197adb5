"""The report: self-contained, charts inline, every number linked to evidence, hostile text escaped."""
from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from tests.reports.study_fixture import build

from voicetrace.analysis.influence import drafts_to_claims, propose_claims
from voicetrace.reports import ReportData, render_html, render_markdown, write_xlsx

HOSTILE = '<script>alert("x")</script><img src="http://evil.example/x.png">'


def _data(study=None, **over) -> ReportData:
    s = study or build()
    ana = s["codings"][s["codings"]["coder"] == "ana"]
    claims = drafts_to_claims(propose_claims(s["segments"], s["codings"], s["codebook"], coder="ana"))
    data = ReportData(project_name="Fixture study", codebook=s["codebook"], segments=s["segments"], codings=ana,
                      cases=s["cases"], claims=claims, participants=s["participants"], connections=s["connections"],
                      agreement=None, audit_counts={"codings_created": len(ana)}, coders=["ana"],
                      generated_at="2024-05-01 10:00")
    return replace(data, **over)


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(_data())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.num_links: list[str] = []
        self._in_num = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if "num" in (a.get("class") or "").split():
                self.num_links.append(a["href"])


def test_self_contained(html):
    assert not re.findall(r'<(?:script|link|img|iframe)\b', html, re.IGNORECASE)
    assert not re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 2


def test_mentions_the_study_vocabulary(html):
    low = html.lower()
    for word in ("grass", "strategic", "corroborated", "documented", "claimed"):
        assert word in low


def test_every_internal_link_has_a_target(html):
    p = _Links()
    p.feed(html)
    internal = [h for h in p.hrefs if h.startswith("#")]
    assert internal and all(h[1:] in p.ids for h in internal), sorted({h for h in internal if h[1:] not in p.ids})
    assert all(h.startswith("#") for h in p.hrefs)
    assert len(p.num_links) > 30


def test_numbers_lead_to_quotes(html):
    p = _Links()
    p.feed(html)
    evidence = html[html.index('id="evidence"'):]
    ev_ids = [h[1:] for h in p.num_links if h.startswith("#ev-")]
    assert ev_ids
    for anchor in set(ev_ids):
        start = evidence.index(f'id="{anchor}"')
        block = evidence[start:evidence.index("</div>", start)]
        assert "<li>" in block


def test_findings_computed_from_data(html):
    assert "4</a> of <a" in html and "landed at grass-roots level" in html
    data = _data()
    grass_only = [c for c in data.claims if c.level == "grassroots_operational"]
    out = render_html(replace(data, claims=grass_only))
    assert "Most claims (" in out and "none reached strategic commissioning" in out
    assert "No influence claims have been recorded yet" in render_html(replace(data, claims=[]))


def test_pseudonyms_not_names(html):
    assert "Rose, service user" in html
    assert "Mary Jones" not in html and "Dr Alan Smith" not in html


def test_contradiction_shown(html):
    assert "Contradicting evidence" in html and "declined to cut parking charges" in html


def test_hostile_text_is_escaped():
    s = build()
    s["codings"].loc[s["codings"]["segment_id"] == 1, "text"] = HOSTILE
    s["segments"].loc[s["segments"]["segment_id"] == 1, "text"] = HOSTILE
    s["cases"].loc[0, "case"] = "Riverside <b>bold</b>"
    data = _data(s, project_name='P & "Q" <i>')
    out = render_html(data)
    assert "<script>" not in out and '<img src="http' not in out and "<b>bold</b>" not in out
    assert "&lt;script&gt;" in out and "P &amp; &#34;Q&#34; &lt;i&gt;" in out


def test_empty_project_renders():
    s = build()
    empty = s["codings"].iloc[0:0]
    out = render_html(_data(s, codings=empty, claims=[], connections=None, participants=None))
    assert "No claims yet" in out and out.count("<svg") >= 2


def test_markdown_summary():
    md = render_markdown(_data())
    assert md.startswith("# Fixture study") and "grass-roots" in md and "| Documented | 2 |" in md


def test_xlsx_sheets(tmp_path):
    s = build()
    s["codings"].loc[s["codings"]["segment_id"] == 21, "text"] = "=HYPERLINK(\"http://x\")"
    path = tmp_path / "r.xlsx"
    data = _data(s)
    data.codings.loc[data.codings.index[0], "text"] = '=cmd|"/c calc"!A1'
    write_xlsx(data, path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Matrix", "Matrix detail"]
    assert {"Matrix", "Claims", "Codings", "Cases"} <= set(wb.sheetnames)
    claims = list(wb["Claims"].values)
    assert claims[0][:2] == ("Claim", "Case") and len(claims) == 1 + 10
    codings = list(wb["Codings"].values)
    assert len(codings) == 1 + len(data.codings)
    assert "speaker" not in codings[0]
    assert all(c.data_type != "f" for row in wb["Codings"].iter_rows() for c in row)
    matrix = list(wb["Matrix"].values)
    assert [r[0] for r in matrix[1:]] == ["Hillview", "Lakeside", "Riverside"]
    assert any("Rose, service user" in (v or "") for r in matrix for v in r[1:])
    assert not (tmp_path / "r.xlsx.part").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_opens_in_headless_chromium_without_network(tmp_path):
    import shutil
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(chromium):
        pytest.skip("no chromium")
    path = tmp_path / "report.html"
    path.write_text(render_html(_data()), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        assert page.locator("svg.chart").count() >= 2
        page.locator("a.num").first.click()
        target = page.evaluate("location.hash")
        assert target.startswith("#ev-") and page.locator(target).is_visible()
        browser.close()
    assert all(u.startswith("file:") for u in requests)
