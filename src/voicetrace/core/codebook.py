"""The codebook: a versioned tree of codes whose definitions are the contract for coders.

Codes carry a ``dimension`` (A–H of the default codebook: level, domain, activity, enabler,
barrier, evidence, status, orientation) so analyses can ask "the level of this claim" without
knowing code ids. Folders (``codable=False``) group codes and cannot be applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


def codebook_from_mapping(data: Any, *, subject: str = "codebook") -> Codebook:
    """Build a Codebook from its YAML/JSON shape (the packaged default and user files alike); raises
    ValueError naming ``subject`` so each caller can turn it into its own kind of error."""
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        # ValueError for every shape problem, as the docstring promises its callers
        raise ValueError(f"{subject}: expected a mapping with a 'codes' list")  # noqa: TRY004
    codes = []
    for i, raw in enumerate(data["codes"]):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ValueError(f"{subject}: code #{i + 1} has no id")
        codes.append(Code(
            id=str(raw["id"]).strip(), label=str(raw.get("label") or raw["id"]),
            parent_id=(str(raw["parent"]) if raw.get("parent") else None),
            dimension=raw.get("dimension"), definition=str(raw.get("definition") or ""),
            include=str(raw.get("include") or ""), exclude=str(raw.get("exclude") or ""),
            indicators=[str(x) for x in raw.get("indicators") or []],
            examples=[str(x) for x in raw.get("examples") or []],
            colour=raw.get("colour") or raw.get("color"), codable=bool(raw.get("codable", True)),
            residual=bool(raw.get("residual", False)), position=i))
    cb = Codebook(name=str(data.get("name") or "codebook"), version=str(data.get("version") or "1"),
                  codes=codes, decision_rules=[str(r) for r in data.get("decision_rules") or []])
    problems = cb.validate()
    if problems:
        raise ValueError(f"{subject}: " + "; ".join(problems[:3]))
    return cb
