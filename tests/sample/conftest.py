"""Fixtures for the bundled sample study: one build per test session, since rendering ~100 files
into office formats is the slow part and the tests only read the result."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from voicetrace.sample import sample_dir
from voicetrace.sample.build import build_corpus


def read_csv(name: str) -> list[dict[str, str]]:
    with (sample_dir() / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("sample") / "corpus")


@pytest.fixture(scope="session")
def built_again(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("sample2") / "corpus")
