"""core, analysis, services, web and cli stay mypy-clean (pyproject [tool.mypy] packages), in `make test`.

The run itself starts in the background at collection (tests/conftest.py), so it overlaps the suite."""
import pytest


@pytest.mark.slow
def test_mypy_is_clean_on_the_typed_layers(mypy_verdict: tuple[int, str]) -> None:
    code, output = mypy_verdict
    assert code == 0, output[-3000:]
