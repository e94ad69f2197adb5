"""The benchmark generator hits its target size with varied, reproducible text."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from voicetrace.sample.synth import generate_corpus, main


def _segments(root: Path) -> list[str]:
    out: list[str] = []
    with (root / "sources.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = (root / row["file"]).read_text(encoding="utf-8")
            out.extend(block for block in text.split("\n\n") if block.strip())
    return out


@pytest.mark.parametrize("n", [1000, 4321])
def test_segment_count_is_within_ten_percent(tmp_path: Path, n: int) -> None:
    segments = _segments(generate_corpus(tmp_path / "c", n, seed=3))
    assert abs(len(segments) - n) <= 0.1 * n


def test_text_is_varied_not_copied(tmp_path: Path) -> None:
    segments = _segments(generate_corpus(tmp_path / "c", 3000, seed=1))
    spoken = [s.split(":", 1)[1] for s in segments if not s.startswith("Interviewer:") and ":" in s[:40]]
    unique = len(set(segments)) / len(segments)
    assert unique > 0.9
    assert len(set(spoken)) > 0.8 * len(spoken)


def test_same_seed_same_corpus_and_different_seed_differs(tmp_path: Path) -> None:
    a = _segments(generate_corpus(tmp_path / "a", 800, seed=7))
    b = _segments(generate_corpus(tmp_path / "b", 800, seed=7))
    c = _segments(generate_corpus(tmp_path / "c", 800, seed=8))
    assert a == b and a != c


def test_registers_and_mix_of_kinds(tmp_path: Path) -> None:
    root = generate_corpus(tmp_path / "c", 5000, seed=0)
    with (root / "sources.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (root / "cases.csv").open(newline="", encoding="utf-8") as handle:
        cases = {r["case"] for r in csv.DictReader(handle)}
    kinds = {r["kind"] for r in rows}
    assert "interview" in kinds and len(kinds) >= 4
    assert {r["case"] for r in rows} <= cases


def test_cli_writes_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "cli"), "--segments", "500"]) == 0
    assert (tmp_path / "cli" / "sources.csv").is_file()


def test_rejects_nonpositive_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_corpus(tmp_path, 0)
