"""Inter-coder agreement between two coders, with the unit of analysis always stated.

Coding is presence/absence of each code on each unit. A unit is either a segment (coded with a code by a
coder when any of that coder's codings with the code overlaps it) or a single character of the compared
sources. Everything is computed from the 2×2 table of (coder A says yes/no) × (coder B says yes/no):

- percent agreement = (both yes + both no) / units;
- Cohen's kappa = (p_o − p_e) / (1 − p_e) with p_e from each coder's own marginals;
- Krippendorff's alpha (nominal, two coders, no missing values) = 1 − (n − 1)·D / (n_yes · n_no), with n = 2 ×
  units, D = number of disagreeing units, n_yes/n_no the pooled value counts. Tests check it against the
  general coincidence-matrix definition, itself checked on Krippendorff's published worked example.

Conventions for 0/0 (both coders constant and identical — e.g. a code neither coder used): kappa = alpha =
1.0, since the coders agree on every unit, and the figure carries ``degenerate: true``. With no units at
all every figure is None. "overall" pools all (unit, code) pairs into one table (it is not a mean of
per-code figures), so frequent codes weigh more, as they do in the data.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Span = tuple[Any, int, int]  # (source_id, start, end) — code points, end exclusive
CodedSpan = tuple[Any, int, int, str]  # (source_id, start, end, code_id)
Unit = Literal["segment", "character"]

CONVENTIONS = (
    "0/0 (both coders constant and identical): cohen_kappa = krippendorff_alpha = 1.0, degenerate = true; "
    "overall pools every (unit, code) pair"
)


@dataclass(frozen=True)
class Table:
    """Counts of (A, B) judgements: yes/yes, yes/no, no/yes, no/no."""

    yy: int = 0
    yn: int = 0
    ny: int = 0
    nn: int = 0

    def __add__(self, other: Table) -> Table:
        return Table(self.yy + other.yy, self.yn + other.yn, self.ny + other.ny, self.nn + other.nn)

    @property
    def n(self) -> int:
        return self.yy + self.yn + self.ny + self.nn

    @classmethod
    def from_vectors(cls, a: np.ndarray, b: np.ndarray) -> Table:
        a = np.asarray(a, dtype=bool)
        b = np.asarray(b, dtype=bool)
        yy = int(np.count_nonzero(a & b))
        yn = int(np.count_nonzero(a & ~b))
        ny = int(np.count_nonzero(~a & b))
        return cls(yy, yn, ny, int(a.size) - yy - yn - ny)


@dataclass(frozen=True)
class Scores:
    percent_agreement: float | None
    cohen_kappa: float | None
    krippendorff_alpha: float | None
    units: int
    degenerate: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "percent_agreement": self.percent_agreement,
            "cohen_kappa": self.cohen_kappa,
            "krippendorff_alpha": self.krippendorff_alpha,
            "units": self.units,
            "degenerate": self.degenerate,
        }


def cohen_kappa(t: Table) -> float | None:
    if t.n == 0:
        return None
    po = (t.yy + t.nn) / t.n
    pa = (t.yy + t.yn) / t.n
    pb = (t.yy + t.ny) / t.n
    pe = pa * pb + (1 - pa) * (1 - pb)
    if pe >= 1.0:
        return 1.0  # both constant and identical: see module docstring
    return (po - pe) / (1 - pe)


def krippendorff_alpha_binary(t: Table) -> float | None:
    if t.n == 0:
        return None
    n = 2 * t.n
    n_yes = 2 * t.yy + t.yn + t.ny
    n_no = 2 * t.nn + t.yn + t.ny
    if n_yes == 0 or n_no == 0:
        return 1.0  # one value only: no disagreement possible
    return 1.0 - (n - 1) * (t.yn + t.ny) / (n_yes * n_no)


def scores(t: Table) -> Scores:
    if t.n == 0:
        return Scores(None, None, None, 0)
    degenerate = (t.yn + t.ny == 0) and (t.yy == 0 or t.nn == 0)
    k = cohen_kappa(t)
    a = krippendorff_alpha_binary(t)
    return Scores(
        percent_agreement=round((t.yy + t.nn) / t.n, 6),
        cohen_kappa=None if k is None else round(k, 6),
        krippendorff_alpha=None if a is None else round(a, 6),
        units=t.n,
        degenerate=degenerate,
    )


@dataclass(frozen=True)
class Disagreement:
    """A unit (segment, or a run of characters) where exactly one coder applied the code."""

    source_id: Any
    start: int
    end: int
    code: str
    coder_a: bool
    coder_b: bool

    def to_json(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "start": self.start, "end": self.end, "code": self.code,
                "coder_a": self.coder_a, "coder_b": self.coder_b}


@dataclass
class AgreementResult:
    unit: Unit
    coders: tuple[str, str]
    overall: Scores
    per_code: dict[str, Scores]
    per_source: dict[Any, Scores]
    disagreements: list[Disagreement] = field(default_factory=list)
    per_case: dict[Any, Scores] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The CLI.md `agreement --format json` shape, plus per_source, disagreements and conventions."""
        def fig(s: Scores) -> dict[str, Any]:
            return s.to_json()

        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "overall": fig(self.overall),
            "per_code": {c: fig(s) for c, s in self.per_code.items()},
            "per_source": {str(k): fig(s) for k, s in self.per_source.items()},
            "per_case": {str(k): fig(s) for k, s in self.per_case.items()},
            "disagreements": [d.to_json() for d in self.disagreements],
            "conventions": CONVENTIONS,
        }


def _codes(codes: Sequence[str] | None, *codings: Iterable[CodedSpan]) -> list[str]:
    if codes is not None:
        return list(dict.fromkeys(codes))
    seen: dict[str, None] = {}
    for cs in codings:
        for c in cs:
            seen.setdefault(c[3], None)
    return sorted(seen)


def _check(spans: Iterable[tuple[Any, ...]], what: str) -> None:
    for s in spans:
        if s[1] < 0 or s[2] < s[1]:
            raise ValueError(f"{what}: span {s[:3]} has start < 0 or end < start")


def compute_agreement(
    segments: Sequence[Span],
    codings_a: Sequence[CodedSpan],
    codings_b: Sequence[CodedSpan],
    unit: Unit = "segment",
    codes: Sequence[str] | None = None,
    *,
    coders: tuple[str, str] = ("A", "B"),
    source_lengths: dict[Any, int] | None = None,
) -> AgreementResult:
    """Agreement of two coders over the sources that `segments` cover.

    `source_lengths` gives each source's length in code points for character units; without it a source
    is taken to end at the last segment or coding end seen in it.
    """
    if unit not in ("segment", "character"):
        raise ValueError(f"unit must be 'segment' or 'character', not {unit!r}")
    _check(segments, "segments")
    _check(codings_a, f"codings of {coders[0]}")
    _check(codings_b, f"codings of {coders[1]}")
    code_list = _codes(codes, codings_a, codings_b)
    sources = list(dict.fromkeys(s[0] for s in segments))
    source_set = set(sources)
    a_by = _by_source_code(codings_a, source_set)
    b_by = _by_source_code(codings_b, source_set)
    per_code_t: dict[str, Table] = {c: Table() for c in code_list}
    per_source_t: dict[Any, Table] = {s: Table() for s in sources}
    disagreements: list[Disagreement] = []
    if unit == "segment":
        segs_by: dict[Any, list[tuple[int, int]]] = {}
        for sid, start, end in segments:
            segs_by.setdefault(sid, []).append((start, end))
        for sid in sources:
            spans = sorted(set(segs_by[sid]))
            starts = np.array([s for s, _ in spans])
            ends = np.array([e for _, e in spans])
            for code in code_list:
                va = _overlaps(starts, ends, a_by.get((sid, code), []))
                vb = _overlaps(starts, ends, b_by.get((sid, code), []))
                t = Table.from_vectors(va, vb)
                per_code_t[code] += t
                per_source_t[sid] += t
                for j in np.nonzero(va != vb)[0].tolist():
                    disagreements.append(Disagreement(sid, spans[j][0], spans[j][1], code, bool(va[j]), bool(vb[j])))
    else:
        for sid in sources:
            length = (source_lengths or {}).get(sid)
            if length is None:
                seen_ends = [seg[2] for seg in segments if seg[0] == sid]
                seen_ends += [c[1] for key, cs in list(a_by.items()) + list(b_by.items()) if key[0] == sid
                              for c in cs]
                length = max(seen_ends, default=0)
            for code in code_list:
                va = _paint(length, a_by.get((sid, code), []))
                vb = _paint(length, b_by.get((sid, code), []))
                t = Table.from_vectors(va, vb)
                per_code_t[code] += t
                per_source_t[sid] += t
                diff = np.flatnonzero(va != vb)
                if diff.size:
                    breaks = np.flatnonzero((np.diff(diff) != 1) | (np.diff(va[diff].astype(np.int8)) != 0)) + 1
                    for run in np.split(diff, breaks):
                        first = int(run[0])
                        disagreements.append(Disagreement(sid, first, int(run[-1]) + 1, code, bool(va[first]),
                                                          bool(vb[first])))
    overall = Table()
    for t in per_code_t.values():
        overall += t
    return AgreementResult(
        unit=unit,
        coders=coders,
        overall=scores(overall),
        per_code={c: scores(t) for c, t in per_code_t.items()},
        per_source={s: scores(t) for s, t in per_source_t.items()},
        disagreements=disagreements,
    )


def _by_source_code(codings: Iterable[CodedSpan], sources: set[Any]) -> dict[tuple[Any, str], list[tuple[int, int]]]:
    out: dict[tuple[Any, str], list[tuple[int, int]]] = {}
    for sid, start, end, code in codings:
        if sid in sources:
            out.setdefault((sid, code), []).append((start, end))
    return out


def _overlaps(starts: np.ndarray, ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    hit = np.zeros(len(starts), dtype=bool)
    for s, e in spans:
        if e > s:
            hit |= (starts < e) & (ends > s)
    return hit


def _paint(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    v = np.zeros(length, dtype=bool)
    for s, e in spans:
        v[max(0, s):min(length, e)] = True
    return v
