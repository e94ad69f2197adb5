"""Agreement between coders (people or the machine), on an explicitly stated unit."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..analysis.agreement import AgreementResult, compute_agreement
from ..core.errors import InputError
from .base import ProjectCore


class AgreementMixin(ProjectCore):
    def agreement(self, coder_a: str, coder_b: str, unit: str = "segment",
                  scope: str = "both", codes: list[str] | None = None) -> AgreementResult:
        """Compare two coders over the sources they both coded (``scope='both'``) or over every source.

        Segment unit: a segment counts as coded with a code when any of the coder's codings with that code
        overlaps it. Character unit: every character of the compared sources is a unit.
        """
        if unit not in ("segment", "character"):
            raise InputError("--unit", "segment or character")
        if scope not in ("both", "all"):
            raise InputError("--scope", "both or all")
        if coder_a == coder_b:
            raise InputError("--coders", "name two different coders")
        known = set(self.coders())
        for c in (coder_a, coder_b):
            if c not in known:
                raise InputError("--coders", f"no codings by {c!r} (coders: {', '.join(sorted(known)) or 'none'})")
        cods = self.codings_frame()
        a = cods[cods.coder == coder_a]
        b = cods[cods.coder == coder_b]
        if scope == "both":
            sources = set(a.source_id) & set(b.source_id)
            if not sources:
                raise InputError("--coders", f"{coder_a} and {coder_b} have coded no source in common")
        else:
            sources = {s.id for s in self.sources()}
        segs = [(g.source_id, g.start, g.end) for g in self.segments() if g.source_id in sources]
        lengths = {s.id: s.chars for s in self.sources() if s.id in sources}

        def spans(df: Any) -> list[tuple[int, int, int, str]]:
            return [(int(r.source_id), int(r.start), int(r.end), str(r.code)) for r in df.itertuples()
                    if r.source_id in sources]
        result = compute_agreement(segs, spans(a), spans(b), unit=unit, codes=codes,  # type: ignore[arg-type]
                                   coders=(coder_a, coder_b), source_lengths=lengths)
        names = {s.id: s.name for s in self.sources()}
        result.per_source = {names.get(k, k): v for k, v in result.per_source.items()}
        result.disagreements = [replace(d, source_id=names.get(d.source_id, d.source_id)) for d in result.disagreements]
        return result
