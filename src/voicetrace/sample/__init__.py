"""The bundled fictional sample study and the benchmark corpus generator.

The sample study (ten invented cancer network partnership groups) lets people try voicetrace
without real, sensitive data; ``build.build_corpus`` renders it into office formats and
``synth.generate_corpus`` makes synthetic corpora of any size for benchmarks.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_dir() -> Path:
    """The installed folder holding the sample study's registers, text sources and gold codes."""
    return Path(str(resources.files("voicetrace") / "data" / "sample_study"))


__all__ = ["sample_dir"]
