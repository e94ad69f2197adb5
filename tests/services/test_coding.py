from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import voicetrace


def _state(p: voicetrace.Project) -> tuple[int, int]:
    with p.db.read() as c:
        return (c.exec_driver_sql("select count(*) from codings").scalar(),
                c.exec_driver_sql("select count(*) from events").scalar())


alphabet = st.sampled_from(list("ab cd\n\r\t.🙂👍🏽é\u0301\u200d€") + ["\r\n"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(alphabet, min_size=1, max_size=120).map("".join), bom=st.booleans(), data=st.data())
def test_codings_and_segments_quote_the_canonical_text_exactly(tmp_path_factory, body: str, bom: bool,
                                                               data: st.DataObject) -> None:
    if not body.strip():
        body = "x" + body
    d = tmp_path_factory.mktemp("h")
    f = d / "s.txt"
    f.write_bytes(("\ufeff" if bom else "").encode() + ("Title\n\n" + body).encode("utf-8"))
    with voicetrace.create(d / "p.db") as p:
        rep = p.import_paths([f], case="C")
        assert rep.ok, rep.failed
        text = p.text("s.txt")
        assert "\r" not in text and not text.startswith("\ufeff")
        for seg in p.segments():
            assert text[seg.start:seg.end] == seg.text
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        c = p.code("s.txt", a, b, "care_environment", coder="h")
        assert c.text == text[a:b]
        [rec] = p.codings(coder="h")
        assert (rec.start, rec.end, rec.text) == (a, b, text[a:b])


def test_overlapping_and_nested_codings_are_kept(project, corpus: Path) -> None:
    project.import_paths([corpus])
    s = "northvale/minutes-2008-03-12.txt"
    project.code(s, 10, 80, "care_environment", coder="ann")
    project.code(s, 20, 40, "care_environment", coder="ann")
    project.code(s, 30, 90, "audit_survey_visit", coder="ann")
    assert len(project.codings(coder="ann")) == 3


@pytest.mark.parametrize("kwargs,match", [
    ({"code": "no_such_code"}, "unknown code id"),
    ({"code": "level"}, "folder"),
    ({"start": 5, "end": 10**7}, "not a non-empty range"),
    ({"start": 10, "end": 10}, "not a non-empty range"),
    ({"start": -1, "end": 3}, "not a non-empty range"),
    ({"source": "nope.txt"}, "unknown source"),
    ({"coder": " "}, "coder"),
])
def test_bad_codings_are_refused_and_write_nothing(project, corpus: Path, kwargs, match) -> None:
    project.import_paths([corpus])
    before = _state(project)
    args = {"source": "northvale/minutes-2008-03-12.txt", "start": 0, "end": 5, "code": "care_environment",
            "coder": "x"}
    args.update(kwargs)
    with pytest.raises(voicetrace.VoicetraceError, match=match):
        project.code(**args)
    assert _state(project) == before


def test_uncode_removes_and_audits(project, corpus: Path) -> None:
    project.import_paths([corpus])
    c = project.code("northvale/minutes-2008-03-12.txt", 0, 5, "care_environment", coder="x")
    project.uncode(c.id, actor="x")
    assert project.codings() == []
    assert project.audit_counts()["uncode"] == 1
    with pytest.raises(voicetrace.NotFound):
        project.uncode(c.id)


def test_codings_frame_carries_case_dimension_and_speaker_role(project, corpus: Path) -> None:
    project.import_paths([corpus])
    s = "northvale/interview-01-margaret.txt"
    text = project.text(s)
    a = text.index("The parking was terrible")
    project.code(s, a, a + 24, "access_to_services", coder="ann")
    df = project.codings_frame()
    row = df.iloc[0]
    assert (row.case, row.dimension, row.role, row.pseudonym, row.text) == (
        "Northvale", "domain", "service_user", "Margaret", "The parking was terrible")


def test_memos_on_every_target(project, corpus: Path) -> None:
    project.import_paths([corpus])
    c = project.code("northvale/minutes-2008-03-12.txt", 0, 5, "care_environment", coder="x")
    for tt, tid in [("project", None), ("case", "Northvale"), ("source", "northvale/minutes-2008-03-12.txt"),
                    ("code", "care_environment"), ("coding", c.id)]:
        project.add_memo(tt, tid, f"memo on {tt}", author="ann")
    assert len(project.memos()) == 5 and project.memos("coding", c.id)[0].body == "memo on coding"
    m = project.memos("case")[0]
    project.update_memo(m.id, "changed")
    assert project.memos("case")[0].body == "changed"
    project.delete_memo(m.id)
    assert len(project.memos()) == 4
    with pytest.raises(voicetrace.InputError):
        project.add_memo("planet", None, "x")


def test_a_memo_names_something_that_exists_in_every_interface(project, corpus: Path) -> None:
    project.import_paths([corpus])
    m = project.add_memo("source", "minutes-2008-03-12.txt", "by its file name alone", author="ann")
    assert m.target_id == "northvale/minutes-2008-03-12.txt"
    with pytest.raises(voicetrace.NotFound, match="Nowhere"):
        project.add_memo("case", "Nowhere", "x")
    with pytest.raises(voicetrace.InputError, match="no_such_code"):
        project.add_memo("code", "no_such_code", "x")
    with pytest.raises(voicetrace.NotFound):
        project.add_memo("coding", "abc", "x")
    with pytest.raises(voicetrace.InputError):
        project.add_memo("case", None, "x")
    assert len(project.memos()) == 1 and project.memo(m.id) == m
    with pytest.raises(voicetrace.NotFound):
        project.memo(m.id + 1)


def test_a_codebook_change_is_recorded_as_the_coder_unless_told(project, monkeypatch) -> None:
    monkeypatch.setenv("VOICETRACE_CODER", "Ann Smith")
    project.set_codebook(project.codebook())
    project.set_codebook(project.codebook(), actor="script")
    assert [e["actor"] for e in project.events() if e["action"] == "import_codebook"] == ["script", "Ann Smith"]


def test_every_library_edit_left_unnamed_is_recorded_as_the_one_coder(project, tmp_path, monkeypatch) -> None:
    """Issue 13: one coder identity per user. The facade's writes without an explicit name record the
    coder set once for the project, never a stand-in such as "me" or "user"."""
    monkeypatch.delenv("VOICETRACE_CODER", raising=False)
    project.set_coder("Ann Smith")
    f = tmp_path / "notes.txt"
    f.write_text("The quiet room was refurbished after members asked for it.\n", encoding="utf-8")
    project.import_paths([f], case="Northvale")
    name = project.sources()[0].name
    c = project.code(name, 0, 20, "care_environment")
    memo = project.add_memo("coding", c.id, "check this")
    project.update_memo(memo.id, "checked")
    project.uncode(c.id)
    project.set_title("Northvale study")
    assert c.coder == "Ann Smith"
    actors = {e["actor"] for e in project.events() if e["action"] not in ("create_project", "set_setting")}
    assert actors == {"Ann Smith"}, actors
