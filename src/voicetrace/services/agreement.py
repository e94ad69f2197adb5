"""Agreement between coders (people or the machine), on an explicitly stated unit."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..analysis.agreement import AgreementResult, compute_agreement
from ..core.errors import InputError
from .context import Context
from .suggestions import Suggestions

if TYPE_CHECKING:
    from .coding import Coding
    from .sources import Sources

MACHINE = "machine"


class Agreement:
    """Agreement between two coders; ``machine`` is one of them through the suggestion queue."""

    def __init__(self, ctx: Context, coding: Coding, sources: Sources, suggestions: Suggestions) -> None:
        self.ctx = ctx
        self._coding = coding
        self._sources = sources
        self._suggestions = suggestions

    def _machine_codings(self, threshold: float) -> Any:
        """The machine's suggestions (whatever people later decided) as if they were one coder's codings."""
        import pandas as pd
        rows = [{"source_id": s.source_id, "start": s.start, "end": s.end, "code": s.code_id}
                for status in ("pending", "accepted", "rejected", "skipped")
                for s in self._suggestions.suggestions(status=status) if s.score >= threshold]
        return pd.DataFrame(rows, columns=["source_id", "start", "end", "code"])

    def agreement(self, coder_a: str, coder_b: str, unit: str = "segment",
                  scope: str = "both", codes: list[str] | None = None,
                  machine_threshold: float = 0.5) -> AgreementResult:
        """Compare two coders over the sources they both coded (``scope='both'``) or over every source.

        The coder name ``machine`` stands for the machine's suggestions scoring at least
        ``machine_threshold`` (human–machine agreement), whatever people decided about them.

        Segment unit: a segment counts as coded with a code when any of the coder's codings with that code
        overlaps it. Character unit: every character of the compared sources is a unit.
        """
        if unit not in ("segment", "character"):
            raise InputError("--unit", "segment or character")
        if scope not in ("both", "all"):
            raise InputError("--scope", "both or all")
        if coder_a == coder_b:
            raise InputError("--coders", "name two different coders")
        known = set(self._coding.coders())
        for c in (coder_a, coder_b):
            if c not in known and c != MACHINE:
                raise InputError("--coders", f"no codings by {c!r} (coders: {', '.join(sorted(known)) or 'none'}, "
                                             f"or '{MACHINE}' for the machine's suggestions)")
        cods = self._coding.codings_frame()
        a = self._machine_codings(machine_threshold) if coder_a == MACHINE else cods[cods.coder == coder_a]
        b = self._machine_codings(machine_threshold) if coder_b == MACHINE else cods[cods.coder == coder_b]
        if scope == "both":
            sources = set(a.source_id) & set(b.source_id)
            if not sources:
                raise InputError("--coders", f"{coder_a} and {coder_b} have coded no source in common")
        else:
            sources = {s.id for s in self._sources.sources()}
        segs = [(g.source_id, g.start, g.end) for g in self._sources.segments() if g.source_id in sources]
        lengths = {s.id: s.chars for s in self._sources.sources() if s.id in sources}

        def spans(df: Any) -> list[tuple[int, int, int, str]]:
            return [(int(r.source_id), int(r.start), int(r.end), str(r.code)) for r in df.itertuples()
                    if r.source_id in sources]
        result = compute_agreement(segs, spans(a), spans(b), unit=unit, codes=codes,  # type: ignore[arg-type]
                                   coders=(coder_a, coder_b), source_lengths=lengths)
        case_of = {s.id: s.case or "(no case)" for s in self._sources.sources()}
        spans_a, spans_b = spans(a), spans(b)
        for case in sorted({case_of[sid] for sid in sources}):
            in_case = {sid for sid in sources if case_of[sid] == case}
            result.per_case[case] = compute_agreement(
                [g for g in segs if g[0] in in_case], [x for x in spans_a if x[0] in in_case],
                [x for x in spans_b if x[0] in in_case], unit=unit, codes=list(result.per_code),  # type: ignore[arg-type]
                coders=(coder_a, coder_b), source_lengths=lengths).overall
        names = {s.id: s.name for s in self._sources.sources()}
        result.per_source = {names.get(k, k): v for k, v in result.per_source.items()}
        result.disagreements = [replace(d, source_id=names.get(d.source_id, d.source_id)) for d in result.disagreements]
        return result
