"""The hand-built study fixture (3 cases, 21 segments, two coders) shared by the analysis tests."""
import pytest

from tests.reports import study_fixture


@pytest.fixture(scope="module")
def study():
    return study_fixture.build()
