from pathlib import Path

import pytest

import voicetrace


def _counts(p: voicetrace.Project) -> tuple[int, int, int, int]:
    with p.db.read() as c:
        return tuple(c.exec_driver_sql(f"select count(*) from {t}").scalar()
                     for t in ("sources", "segments", "files", "segments_fts"))  # type: ignore[return-value]


def test_manifest_folder_imports_cases_participants_connections_and_sources(project, corpus: Path) -> None:
    rep = project.import_paths([corpus])
    assert rep.ok and len(rep.imported) == 2 and rep.cases == 2 and rep.participants == 2
    srcs = {s.name: s for s in project.sources()}
    assert set(srcs) == {"northvale/minutes-2008-03-12.txt", "northvale/interview-01-margaret.txt"}
    m = srcs["northvale/minutes-2008-03-12.txt"]
    assert (m.case, m.kind, m.date, m.type) == ("Northvale", "minutes", "2008-03-12", "document")
    assert srcs["northvale/interview-01-margaret.txt"].type == "transcript"
    cases = {c.name: c for c in project.cases()}
    assert cases["Northvale"].attributes == {"nation": "England", "year_formed": 2002, "funded_facilitator": True,
                                             "annual_budget_gbp": 21500}
    assert [c.target for c in project.connections()] == ["Network board"]


def test_transcript_turns_are_linked_to_the_participant_register(project, corpus: Path) -> None:
    project.import_paths([corpus])
    seg = project.segments_frame()
    turns = seg[seg.source == "northvale/interview-01-margaret.txt"]
    by_speaker = dict(zip(turns.speaker, turns.role))
    assert by_speaker == {"Interviewer": "interviewer", "Margaret": "service_user", "Dr Lomax": "clinician"}
    marg = turns[turns.speaker == "Margaret"].iloc[0]
    text = project.text("northvale/interview-01-margaret.txt")
    assert text[marg.start:marg.end] == marg.text and marg.text.startswith("Well, it was")


def test_reimport_is_recognised_not_duplicated(project, corpus: Path) -> None:
    project.import_paths([corpus])
    before = _counts(project)
    rep = project.import_paths([corpus])
    assert len(rep.duplicates) == 2 and not rep.imported
    assert _counts(project) == before


def test_same_file_into_another_case_is_recognised_not_a_silent_duplicate(project, corpus: Path) -> None:
    f = corpus / "northvale" / "minutes-2008-03-12.txt"
    project.import_paths([f], case="A")
    rep = project.import_paths([f], case="B")
    assert not rep.imported and "in case A" in rep.duplicates[0][1]  # move it with `voicetrace source move`
    assert [s.name for s in project.sources()] == ["minutes-2008-03-12.txt"]


def test_bad_files_are_named_and_leave_no_trace(project, tmp_path: Path) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "good.txt").write_text("A good paragraph.\n\nAnother one.\n")
    (d / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (d / "empty.txt").write_bytes(b"")
    (d / "picture.xyz").write_bytes(b"\x00\x01")
    rep = project.import_paths([d], case="G")
    failed = dict(rep.failed)
    assert set(failed) == {"corrupt.pdf", "empty.txt", "picture.xyz"}
    assert all(reason for reason in failed.values())
    assert [s.name for s in project.sources()] == ["good.txt"]
    assert _counts(project)[0] == 1 and _counts(project)[2] == 1


def test_folder_without_manifest_applies_options_and_recognises_transcripts(project, tmp_path: Path) -> None:
    d = tmp_path / "plain"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "notes.md").write_text("# Notes\n\nThe leaflet was revised.\n")
    (d / "talk.txt").write_text("Interviewer: Hello\nMary (service user): Hi there\nInterviewer: So?\n"
                                "Mary (service user): The chairs were replaced.\n")
    rep = project.import_paths([d], case="G", date="2009-01-02")
    assert rep.ok
    srcs = {s.name: s for s in project.sources()}
    assert srcs["sub/notes.md"].kind == "other" and srcs["sub/notes.md"].date == "2009-01-02"
    assert srcs["talk.txt"].type == "transcript" and srcs["talk.txt"].kind == "interview"
    seg = project.segments_frame()
    assert set(seg[seg.source == "talk.txt"].role) == {"interviewer", "service_user"}


@pytest.mark.parametrize("kwargs,match", [({"kind": "poem"}, "unknown kind"), ({"date": "12/03/2008"}, "YYYY-MM-DD")])
def test_bad_options_are_refused_before_anything_is_written(project, corpus: Path, kwargs, match) -> None:
    with pytest.raises(voicetrace.InputError, match=match):
        project.import_paths([corpus / "northvale" / "minutes-2008-03-12.txt"], **kwargs)
    assert project.sources() == []


def test_missing_path_is_an_error(project, tmp_path: Path) -> None:
    with pytest.raises(voicetrace.InputError, match="no such file"):
        project.import_paths([tmp_path / "nope"])


def test_progress_callback_sees_every_file(project, corpus: Path) -> None:
    seen: list[str] = []
    totals: list[int] = []

    def factory(total: int):
        totals.append(total)
        return seen.append
    project.import_paths([corpus], progress=factory)
    assert totals == [2] and len(seen) == 2


def test_import_events_are_audited(project, corpus: Path) -> None:
    project.import_paths([corpus])
    counts = project.audit_counts()
    assert counts["import_source"] == 2 and counts["create_project"] == 1


def test_uploads_import_from_bytes_like_files(project, corpus: Path) -> None:
    minutes = (corpus / "northvale" / "minutes-2008-03-12.txt").read_bytes()
    rep = project.import_files([("../minutes.txt", minutes), ("minutes.txt", b"Other words.\n"),
                                ("x.rtf", b"{\\rtf1 hi}")], case="Northvale", kind="minutes")
    assert [name for name, _, _ in rep.imported] == ["minutes.txt", "minutes (2).txt"]  # named apart, not overwritten
    assert [name for name, _ in rep.failed] == ["x.rtf"] and "unsupported file type" in rep.failed[0][1]
    assert project.source("minutes.txt").case == "Northvale" and project.text("minutes.txt") == minutes.decode()
    again = project.import_paths([corpus / "northvale" / "minutes-2008-03-12.txt"], case="Northvale")
    assert again.duplicates == [("minutes-2008-03-12.txt", "minutes.txt")] and not again.imported


def test_a_file_over_the_limit_is_refused_before_it_is_read(project, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(201 * 2**20)  # sparse: nothing is written
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    rep = project.import_paths([big])
    assert rep.failed == [("big.txt", "file is 201.0 MB, larger than the 200 MB limit")]
    assert big not in opened and project.source_count() == 0
