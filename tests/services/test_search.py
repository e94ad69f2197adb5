from pathlib import Path

import pytest

import voicetrace


def test_search_finds_exact_match_offsets_with_snippets(project, corpus: Path) -> None:
    project.import_paths([corpus])
    hits = project.search("refurbished")
    assert len(hits) == 1
    h = hits[0]
    assert project.text(h.source)[h.start:h.end] == "refurbished"
    assert "[refurbished]" in h.snippet and h.case == "Northvale"


def test_search_filters_by_case_kind_and_role(project, corpus: Path) -> None:
    project.import_paths([corpus])
    assert {h.source for h in project.search("parking")} == {"northvale/minutes-2008-03-12.txt",
                                                             "northvale/interview-01-margaret.txt"}
    assert [h.kind for h in project.search("parking", kind="interview")] == ["interview", "interview"]
    assert [h.role for h in project.search("parking", role="clinician")] == ["clinician"]
    assert project.search("parking", case="Glanmorfa") == []


def test_search_accepts_punctuation_and_fts_syntax(project, corpus: Path) -> None:
    project.import_paths([corpus])
    assert project.search('quiet room"') and project.search("parking OR refurbished")
    assert project.search("park*")
    with pytest.raises(voicetrace.InputError):
        project.search("   ")


def _index_segments(p) -> int:
    """How many b-tree segments FTS5 keeps for the search index (each write adds one until merged)."""
    import sqlite3
    con = sqlite3.connect(p.db.location)
    try:
        return int(con.execute("SELECT count(DISTINCT segid) FROM segments_fts_idx").fetchone()[0])
    finally:
        con.close()


def test_an_import_of_many_files_leaves_the_index_merged_and_a_small_one_does_not(project, tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        (folder / f"note-{i}.txt").write_text(f"Note {i}.\n\nThe ward{i} was refurbished after members asked.\n",
                                             encoding="utf-8")
    project.import_paths([folder])
    assert _index_segments(project) == 1
    hits = project.search("refurbished", limit=50)
    assert len(hits) == 6 and all(project.text(h.source)[h.start:h.end] == "refurbished" for h in hits)

    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(f"Paragraph {i} about parking." for i in range(200)), encoding="utf-8")
    project.import_paths([big])   # 200 passages added to 12: merged again
    assert _index_segments(project) == 1
    small = tmp_path / "small.txt"
    small.write_text("One more refurbished room.\n", encoding="utf-8")
    project.import_paths([small])  # 1 passage added to 212: left to FTS5's own merging
    assert _index_segments(project) == 2
    assert len(project.search("refurbished", limit=50)) == 7


def test_merging_is_asked_for_by_share_of_the_index() -> None:
    from voicetrace.storage.search import needs_merging
    assert not needs_merging(0, 0)
    assert needs_merging(5, 5) and needs_merging(10, 100) and not needs_merging(9, 100)
    assert needs_merging(100_000, 1_000_000) and not needs_merging(500, 1_000_000)
