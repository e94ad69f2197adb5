"""Pages read by SQL (memos, matrix rows, case names, segment frames, a source's neighbours) are slices
of the whole list, in the same order, with the whole list's count."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import voicetrace

CASES = ["Beta", "alpha", "Gamma ✓", "Delta"]  # mixed case and a non-ASCII name: SQL and Python must agree
CODES = ["care_environment", "access_to_services", "grassroots_operational"]
offsets = st.integers(min_value=0, max_value=40)
limits = st.integers(min_value=1, max_value=12)


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[voicetrace.Project]:
    root = tmp_path_factory.mktemp("paging")
    p = voicetrace.create(root / "p.db")
    for i, case in enumerate(CASES):
        p.add_case(case)
        d = root / f"c{i}"
        d.mkdir()
        for j in range(i + 1):
            (d / f"notes-{j}.txt").write_text(f"Para one {case} {j}.\n\nPara two about the quiet room.\n\n"
                                              "Para three.\n", encoding="utf-8")
        assert p.import_paths([d], case=case).ok
    loose = root / "loose"
    loose.mkdir()
    (loose / "stray.txt").write_text("A source with no case.\n\nIts second paragraph.\n", encoding="utf-8")
    assert p.import_paths([loose]).ok
    for n, s in enumerate(p.sources()):
        for k, g in enumerate(p.segments(s.name)):
            p.code(s.name, g.start, g.end, CODES[(n + k) % 3], coder="ana")
        p.add_memo("source", s.name, f"memo on {s.name}", author="ana")
    for k in range(5):
        p.add_memo("project", None, f"project memo {k}", author="ben")
    yield p
    p.close()


@settings(max_examples=25, deadline=None)
@given(offset=offsets, limit=limits, target=st.sampled_from([None, "source", "project", "case"]))
def test_a_memo_page_is_a_slice_of_all_memos(paged: voicetrace.Project, offset: int, limit: int,
                                             target: str | None) -> None:
    every = paged.memos(target)
    page = paged.memos_page(target, offset=offset, limit=limit)
    assert page.items == every[offset:offset + limit] and page.total == len(every)
    assert page.next_offset == (offset + limit if offset + limit < len(every) else None)


def test_memo_pages_on_one_target_and_the_count(paged: voicetrace.Project) -> None:
    name = paged.sources()[0].name
    assert paged.memos_page("source", name, limit=1).items == paged.memos("source", name)
    assert paged.memo_count() == len(paged.memos())


@settings(max_examples=25, deadline=None)
@given(offset=st.integers(min_value=0, max_value=8), limit=st.integers(min_value=1, max_value=6))
def test_a_matrix_page_is_a_slice_of_the_whole_matrix(paged: voicetrace.Project, offset: int, limit: int) -> None:
    every = paged.matrix_page(CODES)
    rows = [r["case"] for r in every.items]
    assert every.total == len(rows) == len(CASES) + 1 and rows[-1] is None  # the case-less row last
    assert rows[:-1] == sorted(CASES)  # by name as stored (code point order), like the old Python sort
    page = paged.matrix_page(CODES, offset=offset, limit=limit)
    assert page.items == every.items[offset:offset + limit] and page.total == every.total
    assert all([c["code"] for c in r["cells"]] == CODES for r in page.items)


def test_the_matrix_page_counts_equal_the_framework_matrix(paged: voicetrace.Project) -> None:
    full = {(r["case"] if isinstance(r["case"], str) else None, r["code"]): r["count"]
            for r in paged.framework_matrix(codes=CODES).to_dict("records")}
    cells = [c for off in range(len(CASES) + 1) for r in paged.matrix_page(CODES, offset=off, limit=1).items
             for c in r["cells"]]
    assert {(c["case"], c["code"]): c["count"] for c in cells if c["count"]} == \
        {k: v for k, v in full.items() if v}
    assert paged.matrix_top(CODES) == max(full.values())


def test_neighbours_are_the_sources_either_side_in_the_list(paged: voicetrace.Project) -> None:
    names = [s.name for s in paged.sources()]
    assert len(names) == 11
    for i, name in enumerate(names):
        assert paged.neighbour_sources(name) == {"prev": names[i - 1] if i else None,
                                                 "next": names[i + 1] if i + 1 < len(names) else None}


@settings(max_examples=20, deadline=None)
@given(offset=offsets, limit=limits)
def test_a_segments_frame_page_is_a_slice_of_the_whole(paged: voicetrace.Project, offset: int, limit: int) -> None:
    every = paged.segments_frame()
    page = paged.segments_frame(offset=offset, limit=limit)
    assert _records(page) == _records(every.iloc[offset:offset + limit])


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows with every missing value as None (a page holding only case-less rows types the column apart)."""
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_segment_frames_walk_every_segment_once_in_order(paged: voicetrace.Project) -> None:
    every = paged.segments_frame()
    walked = pd.concat(list(paged.segment_frames(size=4)), ignore_index=True)
    assert list(walked.segment_id) == list(every.segment_id) and len(every) == 32


def test_case_names_page(paged: voicetrace.Project) -> None:
    page = paged.case_names_page(offset=1, limit=2)
    assert page.items == sorted(CASES)[1:3] and page.total == len(CASES)


def test_reads_on_an_empty_project(tmp_path: Path) -> None:
    p = voicetrace.create(tmp_path / "empty.db")
    try:
        assert p.matrix_page(CODES).items == [] and p.matrix_page(CODES).total == 0 and p.matrix_top(CODES) == 0
        assert p.memos_page(offset=5).items == [] and list(p.segment_frames()) == []
    finally:
        p.close()


def test_the_heat_scale_follows_every_change_to_the_counts(tmp_path: Path) -> None:
    p = voicetrace.create(tmp_path / "top.db")
    try:
        for case in ("A", "B"):
            p.add_case(case)
            d = tmp_path / case
            d.mkdir()
            (d / "notes.txt").write_text(f"One {case}.\n\nTwo.\n\nThree.\n", encoding="utf-8")
            assert p.import_paths([d], case=case).ok
        a, b = (s.name for s in p.sources())
        made = [p.code(a, g.start, g.end, "care_environment", coder="ana").id for g in p.segments(a)[:2]]
        assert p.matrix_top(CODES) == 2 and p.matrix_top(CODES) == 2  # the second read is the kept one
        p.code(b, p.segments(b)[0].start, p.segments(b)[0].end, "care_environment", coder="ana")
        p.edit_source(b, case="A", actor="ana")  # moving a source adds its codings to another case's cell
        assert p.matrix_top(CODES) == 3
        p.uncode(made[0], actor="ana")
        assert p.matrix_top(CODES) == 2
        assert p.matrix_top(["access_to_services"]) == 0  # kept per set of codes
    finally:
        p.close()


def test_kept_progress_and_coders_follow_every_change(tmp_path: Path) -> None:
    p = voicetrace.create(tmp_path / "kept.db")
    try:
        p.add_case("A")
        d = tmp_path / "a"
        d.mkdir()
        (d / "one.txt").write_text("First.\n\nSecond.\n", encoding="utf-8")
        assert p.import_paths([d], case="A").ok
        case_id = next(iter(k for k in p.case_progress() if k is not None))
        assert p.case_progress()[case_id]["coded_segments"] == 0 and p.coders() == []
        name = p.sources()[0].name
        g = p.segments(name)[0]
        made = p.code(name, g.start, g.end, "care_environment", coder="ana")
        assert p.case_progress()[case_id]["coded_segments"] == 1 and p.coders() == ["ana"]
        p.case_progress()[case_id]["coded_segments"] = 99  # a caller's copy, not the kept value
        assert p.case_progress()[case_id]["coded_segments"] == 1
        p.add_case("B")
        p.edit_source(name, case="B", actor="ana")  # moved: its progress counts for the other case
        assert case_id not in p.case_progress() and [r["coded_segments"] for r in p.case_progress().values()] == [1]
        p.uncode(made.id, actor="ana")
        assert p.coders() == []
    finally:
        p.close()
