import json
from pathlib import Path

import pytest

import voicetrace


def test_anchored_codings_code_whole_segments(project, corpus: Path, tmp_path: Path) -> None:
    project.import_paths([corpus])
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"file": "northvale/minutes-2008-03-12.txt", "quote": "quiet room was refurbished",
         "codes": ["grassroots_operational", "care_environment"]},
        {"file": "northvale/interview-01-margaret.txt", "quote": "made all the difference", "codes": []},
    ]) + "\n")
    assert project.import_anchored_codings([gold], coder="gold") == 2
    rows = project.codings(coder="gold")
    assert {r.code for r in rows} == {"grassroots_operational", "care_environment"}
    assert all(r.text.startswith("Item 2. Following the survey") and r.origin == "imported" for r in rows)


@pytest.mark.parametrize("rec,match", [
    ({"file": "nope.txt", "quote": "x", "codes": []}, "unknown source"),
    ({"file": "northvale/minutes-2008-03-12.txt", "quote": "not in the text", "codes": ["care_environment"]},
     "quote not found"),
    ({"file": "northvale/minutes-2008-03-12.txt", "quote": "quiet room", "codes": ["bogus"]}, "unknown code"),
])
def test_bad_anchors_write_nothing(project, corpus: Path, tmp_path: Path, rec, match) -> None:
    project.import_paths([corpus])
    gold = tmp_path / "g.jsonl"
    good = {"file": "northvale/minutes-2008-03-12.txt", "quote": "quiet room", "codes": ["care_environment"]}
    gold.write_text(json.dumps(good) + "\n" + json.dumps(rec) + "\n")
    with pytest.raises(voicetrace.InputError, match=match):
        project.import_anchored_codings([gold], coder="gold")
    assert project.codings() == []
