"""REFI-QDA through the service layer: round trips are identities; foreign files survive a second trip."""
from pathlib import Path

import pytest

import voicetrace
from tests.exchange.test_qdpx_vendors import WORDS, _nvivo_windows
from voicetrace.core.codebook import Code, Codebook


def _snapshot(p: voicetrace.Project) -> dict:
    return {
        "sources": sorted((s.name, s.case, p.text(s.name)) for s in p.sources()),
        "codes": sorted((c.id, c.label, c.parent_id, c.definition, c.codable, c.dimension) for c in p.codebook().codes),
        "codings": sorted((c.source, c.start, c.end, c.text, c.code, c.coder) for c in p.codings()),
        "memos": sorted((m.target_type.value, m.target_id if m.target_type.value != "coding" else None, m.body)
                        for m in p.memos()),
        "cases": sorted((c.name, tuple(sorted(c.attributes.items()))) for c in p.cases()),
    }


def test_export_import_is_an_identity(project, corpus: Path, tmp_path: Path) -> None:
    project.import_paths([corpus])
    cb = project.codebook()
    project.set_codebook(Codebook(cb.name, cb.version, [*cb.codes, Code("my_theme", "My theme 🙂", definition="mine",
                                                                         position=999)], cb.decision_rules))
    m = "northvale/minutes-2008-03-12.txt"
    c1 = project.code(m, 10, 60, "my_theme", coder="ann")
    project.code(m, 20, 40, "care_environment", coder="ben")
    project.code(m, 10, 60, "care_environment", coder="ben")
    for tt, tid in [("project", None), ("case", "Northvale"), ("source", m), ("code", "my_theme"), ("coding", c1.id)]:
        project.add_memo(tt, tid, f"memo on {tt} 🙂", author="ann")
    out = tmp_path / "x.qdpx"
    project.export_qdpx(out)
    with voicetrace.create(tmp_path / "back.db") as back:
        s = back.import_qdpx(out)
        assert s.sources == 2 and s.codings == 3
        a, b = _snapshot(project), _snapshot(back)
        for key in a:
            assert a[key] == b[key], key
        [cm] = back.memos("coding")
        assert back.coding(int(cm.target_id)).code == "my_theme"


def test_foreign_file_survives_import_export_import(tmp_path: Path) -> None:
    f = _nvivo_windows(tmp_path)
    with voicetrace.create(tmp_path / "one.db") as one:
        s = one.import_qdpx(f)
        assert s.codings == len(WORDS) and s.coders == ["Ann"]
        assert sorted(c.text for c in one.codings()) == sorted(WORDS)
        one.export_qdpx(tmp_path / "again.qdpx")
        first = _snapshot(one)
    with voicetrace.create(tmp_path / "two.db") as two:
        two.import_qdpx(tmp_path / "again.qdpx")
        assert _snapshot(two) == first


def test_hostile_archive_leaves_project_untouched(project, tmp_path: Path) -> None:
    import zipfile
    bad = tmp_path / "slip.qdpx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("project.qde", "<Project/>")
        z.writestr("../../evil.txt", "x")
    before = project.audit_counts()
    with pytest.raises(voicetrace.InputError):
        project.import_qdpx(bad)
    assert project.sources() == [] and project.audit_counts() == before



def test_round_trip_keeps_kind_date_case_roles_and_so_every_claims_strength(project, corpus: Path,
                                                                             tmp_path: Path) -> None:
    """A re-import once turned minutes into `other` and dropped dates and roles: 3 documented claims became 0."""
    from voicetrace.analysis.claims.strength import claim_strength
    project.import_paths([corpus])
    minutes, interview = "northvale/minutes-2008-03-12.txt", "northvale/interview-01-margaret.txt"
    for source, needle, codes in [
        (minutes, "the quiet room was refurbished", ["grassroots_operational", "care_environment"]),
        (interview, "The trust confirmed the new parking permits", ["grassroots_operational", "access_to_services"]),
        (interview, "The parking was terrible", ["organisational_network", "access_to_services"]),
    ]:
        text = project.text(source)
        a = text.index(needle)
        for code in codes:
            project.code(source, a, a + len(needle), code, coder="ann")
    project.build_claims()
    out = tmp_path / "x.qdpx"
    project.export_qdpx(out)
    before = sorted((c.case_name, c.level, c.domain, c.change, claim_strength(c).value) for c in project.claims())
    assert {s for *_, s in before} >= {"corroborated", "claimed"}
    with voicetrace.create(tmp_path / "back.db") as back:
        back.import_qdpx(out)
        src = {s.name: s for s in back.sources()}
        assert (src[minutes].kind, src[minutes].date, src[minutes].case) == ("minutes", "2008-03-12", "Northvale")
        assert (src[interview].kind, src[interview].type, src[interview].date) == ("interview", "transcript",
                                                                                   "2008-10-14")
        roles = {(s.speaker, s.participant_id is not None) for s in back.segments(interview) if s.speaker}
        assert ("Dr Lomax", True) in roles
        back.build_claims()
        after = sorted((c.case_name, c.level, c.domain, c.change, claim_strength(c).value) for c in back.claims())
        assert after == before
        assert not any(m.title == "Variable" for m in back.memos())  # our own variables are not memos


def test_a_foreign_projects_guids_and_name_survive_a_re_export(tmp_path: Path) -> None:
    from voicetrace.exchange import read_qdpx
    f = _nvivo_windows(tmp_path)
    first = read_qdpx(f)
    with voicetrace.create(tmp_path / "one.db") as one:
        one.import_qdpx(f)
        if first.name:
            assert one.title == first.name
        one.export_qdpx(tmp_path / "again.qdpx")
    again = read_qdpx(tmp_path / "again.qdpx")
    assert {s.guid for s in again.sources} == {s.guid for s in first.sources}
    assert {c.guid for c in first.cases} <= {c.guid for c in again.cases}
    foreign_codes = {c.guid for r in first.codes for c in r.walk()}
    assert foreign_codes <= {c.guid for r in again.codes for c in r.walk()}
    assert {u.guid for u in first.users} <= {u.guid for u in again.users}
    if first.name:
        assert again.name == first.name
