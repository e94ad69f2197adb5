"""A project's title and description: set at creation or later, audited, checked, used by the report."""
from pathlib import Path

import pytest

import voicetrace
from voicetrace.core.projects import default_title


def _events(p: voicetrace.Project, action: str) -> list[str]:
    with p.db.read() as c:
        return [r[0] for r in c.exec_driver_sql("select detail from events where action = ?", (action,))]


def test_the_default_title_reads_like_a_title_not_a_file_name(tmp_path: Path) -> None:
    with voicetrace.create(tmp_path / "cancer_network-2009.db") as p:
        info = p.describe()
        assert info.title == "Cancer network 2009" and info.title_is_default and info.description == ""
        assert p.title == p.name == "Cancer network 2009"
    assert default_title("x/__.db") == "__" and default_title("p.db") == "P"


def test_title_and_description_set_at_creation_and_later_are_audited(tmp_path: Path) -> None:
    loc = tmp_path / "s.db"
    with voicetrace.create(loc, title="  Ten partnership   groups ", description="What changed?\r\n\r\nWho said so.") as p:
        assert p.title == "Ten partnership groups" and p.description == "What changed?\n\nWho said so."
        assert not p.describe().title_is_default
    with voicetrace.open(loc) as p:
        assert p.title == "Ten partnership groups"
        info = p.set_title("Northvale review 2024")
        assert info.title == "Northvale review 2024" and info.description == "What changed?\n\nWho said so."
        p.set_description("")
        assert p.description == ""
        assert len(_events(p, "describe_project")) == 2
        assert "Ten partnership groups" in _events(p, "create_project")[0]


@pytest.mark.parametrize("kwargs,subject", [
    ({"title": "   "}, "title"), ({"title": "a" * 201}, "title"), ({"title": "bad\x07bell"}, "title"),
    ({"description": "x" * 5001}, "description"), ({"description": "nul\x00"}, "description"),
])
def test_bad_title_or_description_is_refused_and_changes_nothing(tmp_path: Path, kwargs, subject) -> None:
    with voicetrace.create(tmp_path / "p.db", title="Kept", description="Kept too") as p:
        before = len(_events(p, "describe_project"))
        with pytest.raises(voicetrace.InputError, match=f"^{subject}: "):
            p.update_project(**kwargs)
        assert (p.title, p.description) == ("Kept", "Kept too")
        assert len(_events(p, "describe_project")) == before
    with pytest.raises(voicetrace.InputError, match=f"^{subject}: "):
        voicetrace.create(tmp_path / "new.db", **kwargs)
    assert not (tmp_path / "new.db").exists()


def test_the_report_is_headed_with_the_title_and_description(tmp_path: Path) -> None:
    with voicetrace.create(tmp_path / "p.db", title="Glanmorfa year review",
                           description="What the group changed in 2024.") as p:
        data = p.report_data()
        assert data.project_name == "Glanmorfa year review"
        assert data.project_description == "What the group changed in 2024."
