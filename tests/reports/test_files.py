from pathlib import Path

import pytest

from voicetrace.reports.files import replacing


def test_a_finished_write_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_text("old", encoding="utf-8")
    with replacing(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_a_failed_write_leaves_the_target_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("render failed")
    assert target.read_text(encoding="utf-8") == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
