"""Start-up cost: the CLI must not load the heavy libraries before a command needs them."""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["pandas", "sqlalchemy", "sklearn", "onnxruntime", "onnx", "tokenizers", "numpy", "docx", "odf", "lxml",
         "pypdfium2", "pypdf", "openpyxl", "fastapi", "jinja2", "voicetrace.services", "voicetrace.ingest"]


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded_after("import voicetrace.cli") == []


def test_help_loads_no_heavy_library() -> None:
    code = ("import sys\nfrom voicetrace.cli import app\nsys.argv = ['voicetrace', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code) == []


def test_the_public_api_still_resolves_lazily() -> None:
    assert _loaded_after("import voicetrace") == []
    assert "voicetrace.services" in _loaded_after("import voicetrace\nvoicetrace.Project")
