"""The board summary: the report's own sentences, three best-evidenced changes per case, links into the report."""
from __future__ import annotations

import re
from dataclasses import replace

from tests.reports.test_statements import _check_headline, _sentences, _study, _text
from voicetrace.analysis.characterisation import evidence_order, outcome
from voicetrace.core.memos import Memo, MemoTarget
from voicetrace.reports import build_content, render_board, render_html


def test_the_board_says_what_the_report_says_and_links_into_it() -> None:
    data = _study("more_grass")
    memo = Memo(1, MemoTarget.PROJECT, None, "Helen", "Why this review", "The board asked what changed.", "", "")
    data = replace(data, project_description="What ten groups changed.", memos=[memo])
    content = build_content(data)
    report = render_html(data, content)
    board = render_board(data, "../out/report.html", content)
    assert not re.findall(r"<(?:script|link|img|iframe)\b", board, re.IGNORECASE)
    assert "What ten groups changed." in board and "The board asked what changed." in board
    main = board[board.index('class="main-finding"'):board.index("</section>")]
    head = _sentences(main, "p")
    assert head and all(_check_headline(s, data) for s in head)
    report_ids = set(re.findall(r'id="([^"]+)"', report))
    targets = re.findall(r'href="\.\./out/report\.html#([^"]+)"', board)
    assert targets and set(targets) <= report_ids
    assert 'href="#' not in board  # every figure points into the report, not into the board itself
    steps = _sentences(board[board.index("What to do next"):], "li")
    assert any(s.startswith(("Follow up the ", "Ask the services")) for s in steps)


def test_three_best_evidenced_changes_per_case_in_order_each_with_a_quote() -> None:
    data = _study("more_grass")
    board = render_board(data)
    by_id = {c.id: c for c in data.claims}
    blocks = re.findall(r'<div class="case">\s*<h3>(.*?)<span.*?</h3>(.*?)</div>', board, flags=re.DOTALL)
    assert len(blocks) == len(data.cases)
    for case_html, body in blocks:
        ids = [int(i) for i in re.findall(r'href="report\.html#claim-(\d+)"', body)]
        assert len(ids) <= 3
        case = by_id[ids[0]].case_name if ids else None
        if not ids:
            assert "No change made or under way" in body
            continue
        pool = [c for c in data.claims if c.case_name == case and c.merged_into is None
                and outcome(c) in ("changed", "under_way")]
        assert ids == [c.id for c in sorted(pool, key=evidence_order)[:3]], _text(case_html)
        assert body.count("<q>") == len(ids)
