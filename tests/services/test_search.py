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
