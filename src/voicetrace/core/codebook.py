"""The codebook: a versioned tree of codes whose definitions are the contract for coders.

Codes carry a ``dimension`` (A–H of the default codebook: level, domain, activity, enabler,
barrier, evidence, status, orientation) so analyses can ask "the level of this claim" without
knowing code ids. Folders (``codable=False``) group codes and cannot be applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DIMENSIONS: dict[str, str] = {
    "level": "A. Level of influence",
    "domain": "B. Domain of change",
    "activity": "C. Involvement activity",
    "enabler": "D. Enabling factors",
    "barrier": "E. Barriers",
    "evidence": "F. Evidence strength",
    "status": "G. Change status",
    "orientation": "H. Orientation",
}


@dataclass
class Code:
    id: str
    label: str
    parent_id: str | None = None
    dimension: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    indicators: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    colour: str | None = None
    codable: bool = True
    residual: bool = False
    position: int = 0


@dataclass
class Codebook:
    name: str
    version: str
    codes: list[Code]
    decision_rules: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.codes}

    def get(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(f"unknown code id {code_id!r}") from None

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def children(self, parent_id: str | None) -> list[Code]:
        return sorted((c for c in self.codes if c.parent_id == parent_id), key=lambda c: c.position)

    def path(self, code_id: str) -> str:
        """Slash-joined labels from the root, as QDA tools show a code's place in the tree."""
        parts: list[str] = []
        seen: set[str] = set()
        cur: str | None = code_id
        while cur is not None and cur not in seen:
            seen.add(cur)
            c = self.get(cur)
            parts.append(c.id if c.codable else c.label)
            cur = c.parent_id
        return "/".join(reversed(parts))

    def dimension_of(self, code_id: str) -> str | None:
        seen: set[str] = set()
        cur: str | None = code_id
        while cur is not None and cur not in seen:
            seen.add(cur)
            c = self.get(cur)
            if c.dimension:
                return c.dimension
            cur = c.parent_id
        return None

    def codes_in(self, dimension: str) -> list[Code]:
        return [c for c in self.codes if c.codable and self.dimension_of(c.id) == dimension]

    def validate(self) -> list[str]:
        """Problems that make a codebook unusable; empty when it is sound."""
        problems: list[str] = []
        seen: set[str] = set()
        for c in self.codes:
            if not c.id:
                problems.append("a code has an empty id")
            if c.id in seen:
                problems.append(f"duplicate code id {c.id!r}")
            seen.add(c.id)
        for c in self.codes:
            if c.parent_id is not None and c.parent_id not in seen:
                problems.append(f"code {c.id!r} has unknown parent {c.parent_id!r}")
        for c in self.codes:  # cycles
            cur, hops = c.parent_id, 0
            while cur is not None and hops <= len(self.codes):
                if cur == c.id:
                    problems.append(f"code {c.id!r} is its own ancestor")
                    break
                cur = self._by_id[cur].parent_id if cur in self._by_id else None
                hops += 1
        return problems
