"""The corpus-folder manifest: cases.csv, participants.csv, connections.csv, sources.csv.

Documented in docs/manifest.md. Parsing and checking it is here; services/importing.py applies it
(cases, participants, connections, then the files). Reading is strict about what it needs (a sources.csv row
must name a file and may name case, kind, date, title) and lenient about the rest
(column order, BOM, extra columns, blank lines).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.cases import AttributeValue, coerce_attribute, parse_role
from ..core.choices import one_of
from ..core.errors import InputError
from ..core.sources import check_date, parse_kind

MANIFEST_NAMES = ("sources.csv", "manifest.csv")
SIDE_FILES = ("cases.csv", "participants.csv", "connections.csv", *MANIFEST_NAMES)


@dataclass
class ManifestSource:
    file: str
    case: str | None
    kind: str | None
    date: str | None
    title: str | None


@dataclass
class Manifest:
    root: Path
    cases: list[tuple[str, dict[str, AttributeValue]]] = field(default_factory=list)
    participants: list[dict[str, str | list[str] | None]] = field(default_factory=list)
    connections: list[dict[str, str]] = field(default_factory=list)
    sources: list[ManifestSource] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a manifest CSV as spreadsheets save it: UTF-8 (with or without BOM) or Windows-1252,
    separated by commas, semicolons (European Excel) or tabs — sniffed, not assumed."""
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            raw = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(path.name, "manifest CSV is neither UTF-8 nor Windows-1252; save it as "
                                        "\"CSV UTF-8\" from your spreadsheet") from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(raw[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(raw), dialect=dialect)
    if reader.fieldnames is None:
        return []
    out = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(clean.values()):
            out.append(clean)
    return out


def _need(row: dict[str, str], key: str, path: Path, line: int) -> str:
    value = row.get(key, "")
    if not value:
        if key not in row:
            columns = ", ".join(repr(k) for k in row) or "none"
            raise InputError(path.name, f"no {key!r} column (columns found: {columns}); the first row must name "
                                        "the columns, separated by commas or semicolons")
        raise InputError(path.name, f"row {line}: missing {key!r}")
    return value


def check_cases(m: Manifest, known: Iterable[str]) -> None:
    """With a cases.csv, a case named elsewhere in the manifest must be declared there (or already be in
    the project): a typo like "Northvail" is an error with a "did you mean", not a new case."""
    if not (m.root / "cases.csv").is_file():
        return
    declared = [name for name, _ in m.cases] + list(known)
    named = [(s.case, find_manifest(m.root)) for s in m.sources] + \
            [(str(p["case"]) if p["case"] else None, m.root / "participants.csv") for p in m.participants] + \
            [(c["case"], m.root / "connections.csv") for c in m.connections]
    for case, where in named:
        if case:
            one_of(case, declared, (where or m.root).name, what="case (not in cases.csv)")


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_manifest(folder: Path) -> Manifest:
    m = Manifest(root=folder)
    cases_csv = folder / "cases.csv"
    if cases_csv.is_file():
        for i, row in enumerate(_rows(cases_csv), start=2):
            name = row.get("case") or row.get("name") or ""
            if not name:
                raise InputError(cases_csv.name, f"row {i}: missing 'case'")
            attrs = {k: coerce_attribute(v) for k, v in row.items() if k not in ("case", "name", "description")}
            m.cases.append((name, attrs))
    part_csv = folder / "participants.csv"
    if part_csv.is_file():
        for i, row in enumerate(_rows(part_csv), start=2):
            pseudonym = _need(row, "pseudonym", part_csv, i)
            try:
                role = parse_role(row.get("role") or "other").value
            except ValueError as e:
                raise InputError(part_csv.name, f"row {i}: {e}") from None
            aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            m.participants.append({"pseudonym": pseudonym, "role": role, "case": row.get("case") or None,
                                   "consent_date": row.get("consent_date") or None, "aliases": aliases})
    conn_csv = folder / "connections.csv"
    if conn_csv.is_file():
        for i, row in enumerate(_rows(conn_csv), start=2):
            m.connections.append({"case": _need(row, "case", conn_csv, i), "target": _need(row, "target", conn_csv, i),
                                  "target_type": row.get("target_type") or "other",
                                  "relationship": row.get("relationship") or "", "strength": row.get("strength") or ""})
    src_csv = find_manifest(folder)
    if src_csv is not None:
        for i, row in enumerate(_rows(src_csv), start=2):
            file = _need(row, "file", src_csv, i)
            kind = row.get("kind") or None
            if kind:
                try:
                    kind = parse_kind(kind).value
                except ValueError as e:
                    raise InputError(src_csv.name, f"row {i}: {e}") from None
            date = row.get("date") or None
            if date:
                check_date(date, f"{src_csv.name} row {i}")
            m.sources.append(ManifestSource(file=file, case=row.get("case") or None, kind=kind, date=date,
                                            title=row.get("title") or None))
    return m

