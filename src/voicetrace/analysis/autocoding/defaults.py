"""The packaged default codebook and training data, read without a project.

`voicetrace classify` needs no project and analysis may not import storage, so this reads the packaged
YAML straight into `core.Codebook`; projects pass their own (possibly edited) codebook instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from voicetrace.analysis.autocoding.predictions import CodeSpace, Labels
from voicetrace.core.codebook import Codebook
from voicetrace.core.codebook import codebook_from_mapping as _from_mapping
from voicetrace.core.errors import InputError
from voicetrace.core.jsonlines import jsonl_records


def _data_dir() -> Path:
    return Path(str(resources.files("voicetrace") / "data"))


def codebook_from_mapping(doc: Any, subject: str = "codebook") -> Codebook:
    try:
        return _from_mapping(doc, subject=subject)
    except ValueError as e:
        raise InputError(subject, str(e).removeprefix(f"{subject}: ")) from None


def default_codebook() -> Codebook:
    path = _data_dir() / "codebook.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~8x faster
    return codebook_from_mapping(yaml.load(path.read_text(encoding="utf-8"), Loader=loader), str(path))


@dataclass(frozen=True)
class Example:
    """One labelled passage; `group` keeps passages of one source in one cross-validation fold."""

    text: str
    labels: Labels
    group: str


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as fh:
        yield from jsonl_records(fh, str(path))


def training_files() -> list[Path]:
    """statements.jsonl first, then every other statements*.jsonl in data/training (name order), so more
    seed text can ship as separate files (e.g. a block kept apart for held-out evaluation)."""
    folder = _data_dir() / "training"
    main = folder / "statements.jsonl"
    others = sorted(p for p in folder.glob("statements*.jsonl") if p != main)
    return ([main] if main.is_file() else []) + others


def load_statements(path: Path | None = None) -> list[Example]:
    """The seed statements shipped in data/training (written to the codebook, not to the sample study).

    With no path, all packaged statement files are read; with a path, only that file."""
    paths = [path] if path is not None else training_files()
    out: list[Example] = []
    for p in paths:
        for n, rec in _read_jsonl(p):
            text = rec.get("text")
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{p}:{n}", "missing 'text'")
            out.append(Example(text, Labels.from_record(rec), str(rec.get("group") or f"{p.stem}:{n}")))
    return out


def load_gold(space: CodeSpace, folder: Path | None = None) -> list[Example]:
    """The bundled sample-study gold quotes, when present: {"file", "quote", "codes": [...]} per line."""
    folder = folder or _data_dir() / "sample_study" / "gold"
    if not folder.is_dir():
        return []
    out: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, rec in _read_jsonl(path):
            quote = rec.get("quote") or rec.get("text")
            if not isinstance(quote, str) or not quote.strip():
                continue
            codes = [str(c) for c in rec.get("codes") or []]
            labels = space.labels_from_codes(codes)
            labels.multi_labelled = True
            out.append(Example(quote, labels, f"gold:{rec.get('file') or path.stem}"))
    return out
