from __future__ import annotations

import pytest

from voicetrace.analysis.autocoding.defaults import default_codebook, load_statements
from voicetrace.analysis.autocoding.embedders import CachedEmbedder, FakeEmbedder
from voicetrace.analysis.autocoding.predictions import CodeSpace


@pytest.fixture(scope="session")
def space() -> CodeSpace:
    return CodeSpace(default_codebook())


@pytest.fixture(scope="session")
def fake() -> CachedEmbedder:
    return CachedEmbedder(FakeEmbedder(dim=256))


@pytest.fixture(scope="session")
def seed():
    return load_statements()
