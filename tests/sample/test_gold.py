"""Gold codings quote their sources verbatim and use only codebook ids."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from voicetrace.sample import sample_dir
from voicetrace.sample.build import text_source

from .conftest import read_csv

PRIMARY = ("level", "domain", "activity", "evidence", "status")


def _codebook() -> dict[str, str]:
    """code id -> dimension id, read from the shipped default codebook (flat list with parents)."""
    data = yaml.safe_load((sample_dir().parent / "codebook.yaml").read_text(encoding="utf-8"))
    return {code["id"]: code["parent"] for code in data["codes"] if code.get("parent")}


def _gold_rows() -> list[tuple[Path, dict]]:
    rows = []
    for path in sorted((sample_dir() / "gold").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append((path, json.loads(line)))
    return rows


def test_codebook_parses_into_dimensions() -> None:
    book = _codebook()
    assert book["grassroots_operational"] == "level"
    assert book["claimed"] == "evidence"
    assert len(set(book.values())) >= 7


def test_gold_has_at_least_400_segments_with_150_from_documents() -> None:
    rows = _gold_rows()
    assert len(rows) >= 400
    assert sum(p.name == "documents.jsonl" for p, _ in rows) >= 150


def test_gold_quotes_are_verbatim_and_codes_exist() -> None:
    book = _codebook()
    files = {e["file"] for e in read_csv("sources.csv")}
    for path, row in _gold_rows():
        assert row["file"] in files, (path.name, row["file"])
        text = text_source(row["file"]).read_text(encoding="utf-8")
        assert row["quote"].strip() and row["quote"] in text, (path.name, row["file"], row["quote"][:60])
        unknown = [c for c in row["codes"] if c not in book]
        assert not unknown, (path.name, unknown)


def test_document_gold_quotes_whole_paragraphs_with_one_primary_code_per_dimension() -> None:
    book = _codebook()
    for path, row in _gold_rows():
        if path.name != "documents.jsonl":
            continue
        text = text_source(row["file"]).read_text(encoding="utf-8")
        lines = {line.strip() for line in text.splitlines()}
        assert row["quote"] in lines, row["quote"][:60]
        dims = [book[c] for c in row["codes"]]
        if "level" in dims:
            for dim in PRIMARY:
                assert dims.count(dim) == 1, (row["quote"][:50], dim)
        else:
            assert not set(dims) & set(PRIMARY), row["quote"][:50]


@pytest.mark.parametrize("code", ["grassroots_operational", "strategic_commissioning", "national_policy",
                                  "not_adopted", "documented"])
def test_document_gold_covers_the_study_pattern(code: str) -> None:
    codes = [c for p, r in _gold_rows() if p.name == "documents.jsonl" for c in r["codes"]]
    assert code in codes
