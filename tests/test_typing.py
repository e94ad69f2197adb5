"""core, analysis, services, web and cli stay mypy-clean (pyproject [tool.mypy] packages), in `make test`.

Under xdist (make test) one worker runs mypy while the other runs tests, so it overlaps the rest of the suite."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_is_clean_on_the_typed_layers() -> None:
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                       check=False)
    assert r.returncode == 0, r.stdout[-3000:]
