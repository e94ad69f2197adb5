"""Codebooks and codings as YAML / CSV / QDC files (spreadsheet people and other tools)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from ..core.cells import formula_safe, formula_unescaped
from ..core.codebook import Codebook
from ..core.errors import InputError
from ..storage.codebooks import codebook_from_mapping, codebook_to_mapping

CSV_COLUMNS = ["id", "label", "parent", "dimension", "definition", "include", "exclude", "indicators",
               "examples", "colour", "codable"]
MAX_CODEBOOK_BYTES = 20 * 1024 * 1024


def read_codebook_file(path: Path) -> Codebook:
    if not path.is_file():
        raise InputError(path.name, "no such file")
    if path.stat().st_size > MAX_CODEBOOK_BYTES:
        raise InputError(path.name, "codebook file is larger than 20 MB")
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            data = yaml.safe_load(path.read_text("utf-8-sig"))
            return codebook_from_mapping(data, subject=path.name)
        if suffix == ".csv":
            return _codebook_from_csv(path)
        if suffix == ".qdc":
            from .qdc import read_qdc
            from .tabular_qdc import codebook_from_qda
            codes, _sets = read_qdc(path)
            return codebook_from_qda(codes, name=path.stem)
    except UnicodeDecodeError:
        raise InputError(path.name, "not UTF-8 text") from None
    except yaml.YAMLError as e:
        raise InputError(path.name, f"not valid YAML ({str(e).splitlines()[0]})") from None
    except ValueError as e:
        raise InputError(path.name, str(e).removeprefix(path.name + ": ")) from None
    raise InputError(path.name, "unsupported codebook format (use .yaml, .csv or .qdc)")


def _codebook_from_csv(path: Path) -> Codebook:
    rows = [{k: formula_unescaped(v) if isinstance(v, str) else v for k, v in r.items()}
            for r in csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))]
    if not rows or "id" not in {(k or "").strip().lower() for k in rows[0]}:
        raise ValueError(f"{path.name}: CSV needs at least an 'id' column")
    codes = []
    for r in rows:
        r = {(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}
        if not r.get("id"):
            continue
        codes.append({"id": r["id"], "label": r.get("label") or r["id"], "parent": r.get("parent") or None,
                      "dimension": r.get("dimension") or None, "definition": r.get("definition", ""),
                      "include": r.get("include", ""), "exclude": r.get("exclude", ""),
                      "indicators": [x.strip() for x in r.get("indicators", "").split(";") if x.strip()],
                      "examples": [x.strip() for x in r.get("examples", "").split(";") if x.strip()],
                      "colour": r.get("colour") or r.get("color") or None,
                      "codable": r.get("codable", "yes").lower() not in ("no", "false", "0")})
    return codebook_from_mapping({"name": path.stem, "version": "1", "codes": codes}, subject=path.name)


def write_codebook_file(cb: Codebook, path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        path.write_text(yaml.safe_dump(codebook_to_mapping(cb), sort_keys=False, allow_unicode=True, width=110),
                        "utf-8")
    elif suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS)
            for c in cb.codes:
                w.writerow([formula_safe(v) for v in (
                    c.id, c.label, c.parent_id or "", c.dimension or "", c.definition, c.include, c.exclude,
                    "; ".join(c.indicators), "; ".join(c.examples), c.colour or "", "yes" if c.codable else "no")])
    elif suffix == ".qdc":
        from .qdc import write_qdc
        from .tabular_qdc import codebook_to_qda
        write_qdc(codebook_to_qda(cb), path, origin="voicetrace")
    else:
        raise InputError(path.name, "unsupported codebook format (use .yaml, .csv or .qdc)")
    return path


