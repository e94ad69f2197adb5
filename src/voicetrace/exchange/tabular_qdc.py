"""Our codebook <-> REFI-QDA code trees.

REFI-QDA codes have a GUID, a name, a colour and a description — no stable id, no dimension. So
that a voicetrace → REFI → voicetrace round trip keeps code ids (they are public identifiers), the
writer appends one marker line ``[voicetrace id=… dimension=…]`` to each description and the reader
takes it off again. Codes from other tools get an id derived from their name.
"""
from __future__ import annotations

import re
import unicodedata

from ..core.codebook import Code, Codebook
from .guids import guid_for
from .qda_model import QdaCode

_MARK = re.compile(r"\n*\[voicetrace id=(?P<id>[^\s\]]+)(?: dimension=(?P<dim>[^\s\]]+))?\]\s*$")


def describe(code: Code) -> str:
    parts = [code.definition]
    if code.include:
        parts.append(f"Include: {code.include}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude}")
    if code.indicators:
        parts.append("Indicators: " + "; ".join(code.indicators))
    body = "\n".join(p for p in parts if p)
    mark = f"[voicetrace id={code.id}" + (f" dimension={code.dimension}" if code.dimension else "") + "]"
    return (body + "\n\n" + mark) if body else mark


def split_description(text: str) -> tuple[str, str | None, str | None]:
    """Description without our marker, plus the id and dimension it carried (if any)."""
    m = _MARK.search(text or "")
    if not m:
        return (text or "").strip(), None, None
    return text[:m.start()].strip(), m.group("id"), m.group("dim")


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "_", s).strip("_").lower()
    return s or "code"


def _unpack(desc: str) -> dict[str, object]:
    """Inverse of :func:`describe` for descriptions we wrote ourselves."""
    fields: dict[str, object] = {"definition": [], "include": "", "exclude": "", "indicators": []}
    for line in desc.split("\n"):
        if line.startswith("Include: "):
            fields["include"] = line[9:]
        elif line.startswith("Exclude: "):
            fields["exclude"] = line[9:]
        elif line.startswith("Indicators: "):
            fields["indicators"] = [x for x in line[12:].split("; ") if x]
        else:
            fields["definition"].append(line)  # type: ignore[union-attr]
    fields["definition"] = "\n".join(fields["definition"]).strip()  # type: ignore[arg-type]
    return fields


def codebook_to_qda(cb: Codebook) -> list[QdaCode]:
    nodes = {c.id: QdaCode(guid=guid_for("code", c.id), name=c.label, color=_hex(c.colour),
                           description=describe(c), codable=c.codable) for c in cb.codes}
    roots: list[QdaCode] = []
    for c in sorted(cb.codes, key=lambda c: c.position):
        if c.parent_id and c.parent_id in nodes:
            nodes[c.parent_id].children.append(nodes[c.id])
        else:
            roots.append(nodes[c.id])
    return roots


def _hex(colour: str | None) -> str | None:
    if colour and re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour):
        return colour.upper()
    return None


def codes_from_qda(roots: list[QdaCode], taken: set[str] | None = None,
                   by_label: dict[str, str] | None = None) -> tuple[list[Code], dict[str, str]]:
    """Flatten a REFI code tree into our codes; returns the codes and a map GUID -> code id.

    A code whose marker names an id keeps it; a code from another tool whose name matches an existing
    code's id or label maps onto that code; otherwise it gets a fresh id from its name.
    """
    used = set(taken or ())
    labels = {k.lower(): v for k, v in (by_label or {}).items()}
    out: list[Code] = []
    ids: dict[str, str] = {}
    fresh: set[str] = set()

    def visit(node: QdaCode, parent: str | None) -> None:
        desc, marked, dim = split_description(node.description)
        cid = marked or labels.get(node.name.lower()) or (node.name if node.name in used else None)
        if cid is None or cid in fresh:
            base = slug(node.name)
            cid, n = base, 2
            while cid in used or cid in fresh:
                cid, n = f"{base}_{n}", n + 1
        fresh.add(cid)
        ids[node.guid] = cid
        fields = _unpack(desc) if marked else {"definition": desc}
        out.append(Code(id=cid, label=node.name or cid, parent_id=parent, dimension=dim,
                        colour=node.color, codable=node.codable, position=len(out), **fields))  # type: ignore[arg-type]
        for child in node.children:
            visit(child, cid)

    for r in roots:
        visit(r, None)
    return out, ids


def codebook_from_qda(roots: list[QdaCode], name: str) -> Codebook:
    codes, _ = codes_from_qda(roots)
    return Codebook(name=name, version="1", codes=codes)
