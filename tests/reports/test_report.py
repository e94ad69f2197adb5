"""The report: self-contained, charts inline, every number linked to evidence, hostile text escaped."""
from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.reports.study_fixture import build
from voicetrace.analysis.claims.drafts import drafts_to_claims
from voicetrace.analysis.claims.proposal import propose_claims
from voicetrace.core.cases import short_case_names as short_names
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


def _entry(html: str, anchor: str) -> str:
    evidence = html[html.index('id="evidence"'):]
    start = evidence.index(f'id="{anchor}"')
    return evidence[start:evidence.index('<p class="small back">', start)]


def _card(html: str, claim_id: str) -> str:
    start = html.index(f'id="claim-{claim_id}"')
    end = html.find('<div class="claim', start + 10)
    return html[start:end if end > 0 else html.index('</section>', start)]


def test_numbers_lead_to_quotes(html):
    """A number links to an evidence entry; the entry quotes passages, or links to claim cards that
    do, or to other entries that do (sources and participants are listed by name)."""
    p = _Links()
    p.feed(html)
    ev_ids = sorted({h[1:] for h in p.num_links if h.startswith("#ev-")})
    assert ev_ids

    def leads_to_quotes(anchor: str, depth: int = 0) -> bool:
        block = _entry(html, anchor)
        claims = re.findall(r'href="#claim-(\d+)"', block)
        if claims:
            return all("<blockquote" in _card(html, c) for c in claims)
        links = re.findall(r'href="#(ev-\d+)"', block)
        if links:
            return depth < 2 and all(leads_to_quotes(a, depth + 1) for a in links)
        return "<li>" in block

    assert all(leads_to_quotes(a) for a in ev_ids), [a for a in ev_ids if not leads_to_quotes(a)]


def test_each_claim_card_once_and_quotes_only_there(html):
    data = _data()
    active = [c for c in data.claims if c.merged_into is None]
    for c in active:
        assert html.count(f'id="claim-{c.id}"') == 1
    assert html.count('<div class="claim') == len(active)
    evidence = html[html.index('<section id="evidence"'):html.index('<section id="methods"')]
    assert "<blockquote" not in evidence
    for c in active:  # every quote of a claim is on its card
        card = _card(html, str(c.id))
        for e in c.evidence:
            assert " ".join(e.text.split())[:40].replace('"', "&#34;").replace("'", "&#39;") in card


def test_size_grows_slowly_with_claims():
    """Claims' quotes are printed once; figures list claims one line each. The old layout repeated two
    quotes per claim under every figure (several KB a claim); this bound fails for that."""
    data = _data()
    active = [c for c in data.claims if c.merged_into is None]
    base = len(render_html(replace(data, claims=[])).encode())
    many = [replace(c, id=c.id + 1000 * i) for i in range(40) for c in active]
    size = len(render_html(replace(data, claims=many)).encode())
    assert size - base < 2500 * len(many), (size - base) / len(many)


def test_long_claim_lists_grouped_by_case():
    data = _data()
    active = [c for c in data.claims if c.merged_into is None]
    many = [replace(c, id=c.id + 1000 * i) for i in range(4) for c in active]
    out = render_html(replace(data, claims=many))
    entry = _entry(out, re.search(r'<a class="num" href="#(ev-\d+)"[^>]*>40</a>', out).group(1))
    assert entry.count('<p class="ev-case">') == 3 and "ev-claims" not in entry


def test_findings_computed_from_data(html):
    assert "4</a> of <a" in html and "were about a single service, ward or leaflet" in html
    data = _data()
    grass_only = [c for c in data.claims if c.level == "grassroots_operational"]
    out = render_html(replace(data, claims=grass_only))
    assert "Influence was greatest at grass-roots level" in out and "No claim reached strategic commissioning" in out
    md = render_markdown(replace(data, claims=grass_only))
    assert "Influence was greatest at grass-roots level: 4 of 4 claims (100%)" in md and "Most claims (" not in md
    assert "No influence claims have been recorded yet" in render_html(replace(data, claims=[]))


def test_main_finding_states_the_grassroots_strategic_contrast():
    """Grass-roots claims outnumber strategic ones and few strategic ones were carried out: said plainly."""
    data = _data()
    strategic = [c for c in data.claims if c.level in ("strategic_commissioning", "national_policy")]
    grass = [c for c in data.claims if c.level == "grassroots_operational"]
    asked = [replace(c, id=c.id + 500, status="proposed") for c in strategic[:1]]
    more_grass = grass + [replace(c, id=c.id + 100 * i) for i in (1, 2) for c in grass]
    out = render_html(replace(data, claims=more_grass + strategic + asked))
    main = out[out.index('class="main-finding"'):out.index('class="keyfigs"')]
    assert "Influence was greatest at grass-roots level" in main
    assert "still asked for" in main and "<svg" in main
    flipped = render_html(replace(data, claims=strategic + asked + grass[:1]))
    assert "Influence was greatest" not in flipped and "Strategic influence was limited" not in flipped


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


def _long_names_data() -> ReportData:
    """Ten-word case names and a paragraph of sampling reason, as real projects have."""
    s = build()
    names = {n: f"{n} Cancer Network Partnership Group" for n in s["cases"]["case"]}
    for frame in (s["cases"], s["segments"], s["codings"], s["participants"], s["connections"]):
        if "case" in frame.columns:
            frame["case"] = frame["case"].map(lambda n: names.get(n, n))
    s["cases"]["reason_sampled"] = ("Mature group with a funded facilitator, a reported commissioning success and "
                                    "an unusually long list of connections to its network board")
    return _data(s)


def test_long_case_names_are_shortened_where_space_is_tight():
    out = render_html(_long_names_data())
    assert "Riverside Cancer Network Partnership Group" in out  # named in full in the sample and profiles
    heat = out[out.index('<section id="factors"'):out.index('<section id="synthesis"')]
    assert "Partnership Group" not in re.sub(r'title="[^"]*"', "", heat) and "<span>Riverside</span>" in heat
    sample = out[out.index('<section id="sample"'):out.index('<section id="influence"')]
    assert "Reason sampled" not in sample.split("</thead>")[0] and "<em>Reason sampled:</em> Mature group" in sample


def test_short_names():
    assert short_names(["Leeds Cancer Group", "York Cancer Group", "Hull"]) == {
        "Leeds Cancer Group": "Leeds", "York Cancer Group": "York", "Hull": "Hull"}
    # two names that would shorten to the same word stay whole
    same = short_names(["North Cancer Group", "North Group", "South Cancer Group"])
    assert same == {"North Cancer Group": "North Cancer Group", "North Group": "North Group",
                    "South Cancer Group": "South"}
    assert short_names(["Riverside"]) == {"Riverside": "Riverside"}


def test_methods_show_agreement_and_evaluation():
    agreement = {"unit": "segment", "coders": ["ana", "ben"],
                 "overall": {"percent_agreement": 0.9, "cohen_kappa": 0.712, "krippendorff_alpha": 0.705},
                 "per_code": {"barrier_tokenism": {"percent_agreement": 0.95, "cohen_kappa": 0.4, "krippendorff_alpha": 0.39}}}
    evaluation = {"gold": "ana", "segments": 120, "folds": 5, "grouped_by": "source",
                  "suggesters": {"lexicon": {"per_dimension": {"level": {"macro_f1": 0.41, "kappa": 0.3}}},
                                 "combined": {"per_dimension": {"level": {"macro_f1": 0.634, "kappa": 0.5},
                                                                "domain": {"macro_f1": None}}}}}
    out = render_html(_data(agreement=agreement, evaluation=evaluation))
    methods = out[out.index('<section id="methods"'):]
    assert "between ana and ben" in methods and "Cohen&#39;s kappa <strong>0.71</strong>" in methods
    assert "Tokenism" in methods and "0.39" in methods
    assert "Machine coding, evaluated" in methods and "0.63" in methods and "5-fold" in methods
    plain = render_html(_data())
    assert "not computed for this report" in plain and "Machine coding, evaluated" not in plain


@pytest.mark.slow
@pytest.mark.browser
def test_opens_in_headless_chromium_without_network(tmp_path):
    import shutil
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(chromium):
        pytest.skip("no chromium")
    path = tmp_path / "report.html"
    path.write_text(render_html(_long_names_data()), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        assert page.locator("svg.chart").count() >= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # nothing overflows sideways
        page.locator("a.num").first.click()
        target = page.evaluate("location.hash")
        assert target.startswith("#ev-") and page.locator(target).is_visible()
        browser.close()
    assert all(u.startswith("file:") for u in requests)


def test_each_passage_is_quoted_once_and_later_mentions_link_to_it():
    data = _data()
    doubled = replace(data, codings=pd.concat([data.codings, data.codings.assign(
        coding_id=data.codings["coding_id"] + 10_000)]))  # every passage coded twice: listed twice, quoted once
    out = render_html(doubled)
    ev = out[out.index('<section id="evidence">'):out.index('<section id="methods">')]
    quotes = re.findall(r"<li>“(.*?)”", ev, flags=re.DOTALL)
    assert quotes and len(quotes) == len(set(quotes))
    ids = set(re.findall(r'id="([^"]+)"', out))
    refs = re.findall(r'<li class="ref"><a href="#([^"]+)"', ev)
    assert refs and set(refs) <= ids
    cards = out[out.index('<section id="claims">'):out.index('<section id="evidence">')]
    assert not set(quotes) & set(re.findall(r"<blockquote[^>]*>“(.*?)”", cards, flags=re.DOTALL))


def test_written_report_is_the_rendered_one_and_a_failed_render_leaves_nothing(tmp_path, monkeypatch):
    """The report is written as it renders (in parts), byte for byte the rendered string; a render that
    fails half-way leaves neither the report nor its part file behind."""
    from voicetrace.reports import build_content, render_html, write_html
    from voicetrace.reports import html as html_module
    data = _data(build())
    content = build_content(data)
    path = tmp_path / "report.html"
    write_html(data, path, content)
    assert path.read_bytes() == render_html(data, content).encode("utf-8")

    def failing(*_args):
        yield "<html>"
        raise RuntimeError("template broke")
    monkeypatch.setattr(html_module, "_html_parts", failing)
    broken = tmp_path / "broken.html"
    with pytest.raises(RuntimeError):
        write_html(data, broken, content)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
