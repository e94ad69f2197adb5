"""Framework analysis: the cases × codes matrix, code co-occurrence, enablers and barriers per case.

These follow Ritchie & Spencer's charting step: every cell keeps the codings behind it (ids and up
to three exemplar quotes) so a reader can go from a number back to what people said.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import pandas as pd

from ..core.cases import ParticipantRole
from .frames import column_values, optional_int, optional_ints, optional_str, optional_strs, records

EXEMPLARS = 3
EXEMPLAR_IDEAL_CHARS = 200
MATRIX_COLUMNS = ["case_id", "case", "code", "count", "n_sources", "n_participants", "roles", "exemplars",
                  "summary", "coding_ids"]


def _case_list(codings: pd.DataFrame, segments: pd.DataFrame | None) -> list[tuple[int | None, str | None]]:
    seen: dict[tuple[int | None, str | None], None] = {}
    for frame in (segments, codings):
        if frame is None or frame.empty or "case" not in frame.columns:
            continue
        for cid, name in zip(frame["case_id"], frame["case"]):
            seen.setdefault((optional_int(cid), optional_str(name)), None)
    return sorted(seen, key=lambda k: ((k[1] or "\uffff"), k[0] or 0))


def pick_exemplars(records: list[dict[str, Any]], n: int = EXEMPLARS) -> list[dict[str, Any]]:
    """Up to ``n`` quotes that show the range of a cell: different sources and roles first, then
    passages of readable length, then the earliest coding (so the choice is stable)."""
    pool = sorted(records, key=lambda r: (abs(len(str(r["text"])) - EXEMPLAR_IDEAL_CHARS), int(r["coding_id"])))
    chosen: list[dict[str, Any]] = []
    used_sources: set[Any] = set()
    used_roles: set[Any] = set()
    for rec in pool:
        if len(chosen) >= n:
            break
        if rec["source_id"] in used_sources or (rec.get("_role") and rec.get("_role") in used_roles):
            continue
        chosen.append(rec)
        used_sources.add(rec["source_id"])
        used_roles.add(rec.get("_role"))
    for rec in pool:
        if len(chosen) >= n:
            break
        if rec not in chosen:
            chosen.append(rec)
    return [{"coding_id": int(r["coding_id"]), "text": str(r["text"]), "source": str(r["source"]),
             "pseudonym": r.get("_pseudonym"), "role": r.get("_role")} for r in chosen]


MATRIX_INPUTS = ("coding_id", "code", "source_id", "source", "text")
"""The codings' columns a matrix cell reads as they are; case, participant, pseudonym and role are read
as plain values (``_case`` ...), the other columns left in the frame: 10 keys per coding, not 20."""


def _records(codings: pd.DataFrame) -> list[dict[str, Any]]:
    out = records(codings, [c for c in MATRIX_INPUTS if c in codings.columns])
    column = functools.partial(column_values, codings)
    # Plain values, a column at a time, as optional_str / optional_int would give them. A speaker is shown by
    # pseudonym and role only: the raw speaker label may be a real name and is never read here.
    derived: dict[str, list[Any]] = {"_pseudonym": optional_strs(column("pseudonym")), "_role": optional_strs(column("role")),
               "_case_id": optional_ints(column("case_id")), "_case": optional_strs(column("case")),
               "_participant": optional_ints(column("participant_id"))}
    for key, values in derived.items():
        for rec, value in zip(out, values, strict=True):
            rec[key] = value
    return out


def _cell(recs: list[dict[str, Any]]) -> dict[str, Any]:
    roles = sorted({r["_role"] for r in recs if r["_role"] and r["_role"] != ParticipantRole.INTERVIEWER.value})
    return {
        "count": len(recs),
        "n_sources": len({r["source_id"] for r in recs}),
        "n_participants": len({r["_participant"] for r in recs if r["_participant"] is not None}),
        "roles": roles,
        "exemplars": pick_exemplars(recs),
        "coding_ids": sorted(int(r["coding_id"]) for r in recs),
    }


def framework_matrix(codings: pd.DataFrame, segments: pd.DataFrame | None = None,
                     codes: Iterable[str] | None = None,
                     summaries: Mapping[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """One row per case × code cell (empty cells included) of the framework matrix.

    ``count`` is the number of codings, ``n_sources`` the sources they come from, ``n_participants``
    the distinct registered participants who said them, ``roles`` those speakers' roles (interviewers
    left out), ``exemplars`` up to three quotes as dicts (text, source, pseudonym, role, coding_id),
    ``summary`` the analyst's charted summary for that cell from ``summaries[(case, code)]``.
    Cases come from ``segments`` (so a case with no codings still has a row) and from ``codings``.
    """
    recs = _records(codings)
    code_list = list(codes) if codes is not None else sorted({str(r["code"]) for r in recs})
    wanted = set(code_list)
    cells: dict[tuple[int | None, str | None, str], list[dict[str, Any]]] = {}
    for r in recs:
        if r["code"] in wanted:
            cells.setdefault((r["_case_id"], r["_case"], str(r["code"])), []).append(r)
    rows = []
    for case_id, case in _case_list(codings, segments):
        for code in code_list:
            recs_here = cells.get((case_id, case, code), [])
            row: dict[str, Any] = {"case_id": case_id, "case": case, "code": code}
            row.update(_cell(recs_here))
            row["summary"] = (summaries or {}).get((case or "", code), "")
            rows.append(row)
    return pd.DataFrame(rows, columns=MATRIX_COLUMNS)


def _units(codings: pd.DataFrame, unit: str) -> dict[Any, list[dict[str, Any]]]:
    column = {"segment": "segment_id", "source": "source_id", "case": "case"}.get(unit)
    if column is None:
        raise ValueError(f"unknown co-occurrence unit {unit!r} (segment, source or case)")
    units: dict[Any, list[dict[str, Any]]] = {}
    for rec in records(codings, [c for c in dict.fromkeys((column, "code", "coding_id")) if c in codings.columns]):
        key = rec.get(column)
        if key is None or (not isinstance(key, str) and pd.isna(key)):
            continue
        units.setdefault(key, []).append(rec)
    return units


def co_occurrence(codings: pd.DataFrame, unit: str = "segment", codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Square code × code table: in how many units (segments, sources or cases) both codes were applied.

    The diagonal is the number of units carrying the code at all.
    """
    units = _units(codings, unit)
    code_list = list(codes) if codes is not None else sorted({str(c) for c in codings["code"]}) if len(codings) else []
    table = pd.DataFrame(0, index=code_list, columns=code_list, dtype=int)
    wanted = set(code_list)
    for recs in units.values():
        present = sorted({str(r["code"]) for r in recs} & wanted)
        for c in present:
            table.loc[c, c] += 1
        for a, b in combinations(present, 2):
            table.loc[a, b] += 1
            table.loc[b, a] += 1
    table.index.name = "code"
    return table


def co_occurrence_pairs(codings: pd.DataFrame, unit: str = "segment") -> pd.DataFrame:
    """The off-diagonal of :func:`co_occurrence` as rows, with the codings behind each pair."""
    units = _units(codings, unit)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for key in sorted(units, key=str):
        recs = units[key]
        present = sorted({str(r["code"]) for r in recs})
        for a, b in combinations(present, 2):
            cell = pairs.setdefault((a, b), {"units": [], "coding_ids": set()})
            cell["units"].append(key)
            cell["coding_ids"].update(int(r["coding_id"]) for r in recs if r["code"] in (a, b))
    rows = [{"code_a": a, "code_b": b, "n": len(v["units"]), "units": v["units"],
             "coding_ids": sorted(v["coding_ids"])} for (a, b), v in pairs.items()]
    out = pd.DataFrame(rows, columns=["code_a", "code_b", "n", "units", "coding_ids"])
    return out.sort_values(["n", "code_a", "code_b"], ascending=[False, True, True]).reset_index(drop=True)


def enablers_barriers(codings: pd.DataFrame, segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per case × enabler/barrier code: codings, sources, participants, roles and exemplar quotes.

    Only codes that were applied somewhere appear; a case lacking one has a zero row so absences show.
    """
    if codings.empty or "dimension" not in codings.columns:
        return pd.DataFrame(columns=["case_id", "case", "dimension", "code"] + MATRIX_COLUMNS[3:8] + ["coding_ids"])
    sub = codings[codings["dimension"].isin(["enabler", "barrier"])]
    dims = {str(c): str(d) for c, d in zip(sub["code"], sub["dimension"])}
    codes = sorted(dims, key=lambda c: (dims[c] != "enabler", c))
    matrix = framework_matrix(sub, segments if segments is not None else codings, codes=codes)
    matrix.insert(2, "dimension", matrix["code"].map(dims))
    return matrix.drop(columns=["summary"]).reset_index(drop=True)
