"""Folder imports that forgive what people really have: sub-folders as cases, spreadsheet-saved manifests,
old file names; and that refuse what would silently go wrong (a misspelt case, a duplicate under another case)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import voicetrace
from voicetrace.core.errors import InputError

TRANSCRIPT = ("Interviewer: How did the group start?\n\nMargaret: After my treatment the parking was terrible.\n\n"
              "Interviewer: And then?\n\nMargaret: We did a survey and the trust listened.\n")


@pytest.fixture
def project(tmp_path: Path) -> voicetrace.Project:
    p = voicetrace.create(tmp_path / "i.db")
    yield p
    p.close()


def _folder(root: Path) -> Path:
    for case in ("Northvale", "Eastmere"):
        (root / case).mkdir(parents=True)
        (root / case / f"minutes-{case}.txt").write_text(f"Minutes of {case}.\n\nItem 1. Chairs.\n", "utf-8")
    (root / "top.txt").write_text("A file at the top.\n", "utf-8")
    return root


def test_case_from_folder_uses_sub_folder_names(project, tmp_path: Path) -> None:
    rep = project.import_paths([_folder(tmp_path / "c")], case_from_folder=True, case="Loose")
    assert rep.ok and len(rep.imported) == 3
    cases = {s.name: s.case for s in project.sources()}
    assert cases == {"Northvale/minutes-Northvale.txt": "Northvale", "Eastmere/minutes-Eastmere.txt": "Eastmere",
                     "top.txt": "Loose"}


def test_the_same_file_under_another_case_is_recognised_not_duplicated(project, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "c")
    project.import_paths([folder])
    rep = project.import_paths([folder], case_from_folder=True)
    assert not rep.imported and len(rep.duplicates) == 3
    moved = {path for path, existing in rep.duplicates if "source move" in existing}
    assert moved == {"Northvale/minutes-Northvale.txt", "Eastmere/minutes-Eastmere.txt"}  # top.txt: same case
    assert len(project.sources()) == 3


def test_kind_on_a_transcript_is_warned_about(project, tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "talk.txt").write_text(TRANSCRIPT, "utf-8")
    (tmp_path / "t" / "notes.txt").write_text("Plain notes.\n", "utf-8")
    rep = project.import_paths([tmp_path / "t"], kind="minutes")
    assert [p for p, _ in rep.warnings] == ["talk.txt"] and "transcript" in rep.warnings[0][1]


@pytest.mark.skipif(os.name != "posix", reason="non-UTF-8 file names are a POSIX thing")
def test_a_non_utf8_file_name_is_decoded_and_the_folder_still_imports(project, tmp_path: Path) -> None:
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "fine.txt").write_text("Fine.\n", "utf-8")
    with open(os.path.join(os.fsencode(folder), "r\xe9union.txt".encode("cp1252")), "w", encoding="utf-8") as fh:
        fh.write("Compte rendu.\n")
    rep = project.import_paths([folder])
    assert rep.ok, rep.failed
    assert {s.name for s in project.sources()} == {"fine.txt", "réunion.txt"}
    assert project.original_file("réunion.txt")[0] == "réunion.txt"


def _manifest(root: Path, sources: bytes, cases: bytes | None = None) -> Path:
    (root / "northvale").mkdir(parents=True)
    (root / "northvale" / "m.txt").write_text("Minutes.\n\nItem 1.\n", "utf-8")
    if cases is not None:
        (root / "cases.csv").write_bytes(cases)
    (root / "sources.csv").write_bytes(sources)
    return root


def test_a_misspelt_case_in_a_manifest_is_an_error_when_cases_csv_declares_them(project, tmp_path: Path) -> None:
    root = _manifest(tmp_path / "m", b"file,case\nnorthvale/m.txt,Northvail\n", b"case,nation\nNorthvale,England\n")
    with pytest.raises(InputError, match="did you mean 'Northvale'"):
        project.import_paths([root])
    assert not project.cases() and not project.sources()  # nothing half-written


def test_a_semicolon_cp1252_manifest_from_excel_is_read(project, tmp_path: Path) -> None:
    root = _manifest(tmp_path / "m", "file;case;title\nnorthvale/m.txt;Northvale;Réunion de mars\n".encode("cp1252"))
    rep = project.import_paths([root])
    assert rep.ok and project.sources()[0].case == "Northvale" and project.sources()[0].title == "Réunion de mars"


def test_a_manifest_without_the_file_column_names_the_columns_it_found(project, tmp_path: Path) -> None:
    root = _manifest(tmp_path / "m", b"path|case\nnorthvale/m.txt|Northvale\n")
    with pytest.raises(InputError, match="no 'file' column"):
        project.import_paths([root])


def test_an_empty_folder_is_an_error_not_zero_files(project, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no files"):
        project.import_paths([tmp_path / "empty"])
