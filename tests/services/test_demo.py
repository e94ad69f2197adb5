"""The demo end to end on the bundled sample study (fake embedder; the real model runs in `make demo`)."""
from pathlib import Path

import pytest

import voicetrace
from voicetrace.analysis.autocoding import FakeEmbedder
from voicetrace.services.autocode import autocode_project
from voicetrace.services.demo import run_demo


@pytest.mark.slow
def test_demo_builds_imports_codes_and_reports(tmp_path: Path) -> None:
    steps: list[str] = []
    res = run_demo(tmp_path / "demo", step=steps.append, machine=True,
                   autocode=lambda p: autocode_project(p, embedder=FakeEmbedder(), accept_threshold=0.95, by="demo"))
    assert res.sources == 98 and res.segments > 2000 and res.gold_codings > 1500 and res.suggestions > 0
    assert len(res.by_case) == 10
    assert {"claimed", "corroborated", "documented"} <= set(res.by_strength)
    assert res.by_level.get("grassroots_operational", 0) > res.by_level.get("strategic_commissioning", 0) > 0
    html = res.report.read_text("utf-8")
    assert html.count("<svg") >= 2 and "grass" in html.lower() and "corroborated" in html
    assert res.workbook.stat().st_size > 10_000
    with voicetrace.open(res.project) as p:
        assert p.name.startswith("Sample study")
        assert {"gold"} <= set(p.coders())
        assert len({c["case"] for c in p.claims_json()}) == 10
    # running it again replaces the previous demo cleanly
    again = run_demo(tmp_path / "demo", machine=False)
    assert again.claims > 0 and again.suggestions == 0
