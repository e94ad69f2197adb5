"""Codebook persistence and the packaged default codebook."""
from __future__ import annotations

import json
from importlib import resources

import yaml
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from ..core.codebook import Code, Codebook, codebook_from_mapping
from . import tables


def codebook_to_mapping(cb: Codebook) -> dict:
    out_codes = []
    for c in cb.codes:
        d: dict = {"id": c.id, "label": c.label}
        if c.parent_id:
            d["parent"] = c.parent_id
        if c.dimension:
            d["dimension"] = c.dimension
        if not c.codable:
            d["codable"] = False
        for key in ("definition", "include", "exclude"):
            if getattr(c, key):
                d[key] = getattr(c, key)
        if c.indicators:
            d["indicators"] = list(c.indicators)
        if c.examples:
            d["examples"] = list(c.examples)
        if c.colour:
            d["colour"] = c.colour
        if c.residual:
            d["residual"] = True
        out_codes.append(d)
    return {"name": cb.name, "version": cb.version, "decision_rules": list(cb.decision_rules), "codes": out_codes}


# libyaml's loader when PyYAML was built with it: the pure-Python one spent half of every new project's
# creation parsing the packaged codebook (0.25 of 0.5 s).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_default_codebook() -> Codebook:
    data = yaml.load(resources.files("voicetrace.data").joinpath("codebook.yaml").read_text("utf-8"),
                     Loader=_YAML_LOADER)
    return codebook_from_mapping(data, subject="default codebook")


def read_codebook(conn: Connection) -> Codebook:
    info = conn.execute(select(tables.codebook_info)).first()
    rows = conn.execute(select(tables.codes).order_by(tables.codes.c.position)).all()
    codes = [Code(id=r.id, label=r.label, parent_id=r.parent_id, dimension=r.dimension,
                  definition=r.definition, include=r.include, exclude=r.exclude,
                  indicators=json.loads(r.indicators), examples=json.loads(r.examples), colour=r.colour,
                  codable=bool(r.codable), residual=bool(r.residual), position=r.position) for r in rows]
    return Codebook(name=info.name if info else "codebook", version=info.version if info else "0",
                    codes=codes, decision_rules=json.loads(info.decision_rules) if info else [])


def write_codebook(conn: Connection, cb: Codebook, *, replace: bool) -> dict[str, int]:
    """Upsert codes (parents first); with ``replace`` drop unused codes that are not in ``cb``."""
    have = {r.id for r in conn.execute(select(tables.codes.c.id))}
    rows = [{"id": c.id, "label": c.label, "dimension": c.dimension, "definition": c.definition,
             "include": c.include, "exclude": c.exclude,
             "indicators": json.dumps(c.indicators, ensure_ascii=False),
             "examples": json.dumps(c.examples, ensure_ascii=False), "colour": c.colour,
             "codable": c.codable, "residual": c.residual, "position": c.position} for c in cb.codes]
    new = [{**r, "parent_id": None} for r in rows if r["id"] not in have]
    old = [{f"v_{k}": v for k, v in r.items()} for r in rows if r["id"] in have]
    # Inserted without parents first so foreign-key order never matters, then parents are set; each as one
    # executemany, because a statement per code made creating a project cost a tenth of a second.
    if new:
        conn.execute(insert(tables.codes), new)
    if old:
        conn.execute(update(tables.codes).where(tables.codes.c.id == bindparam("v_id"))
                     .values({k: bindparam(f"v_{k}") for k in rows[0] if k != "id"}), old)
    if cb.codes:
        conn.execute(update(tables.codes).where(tables.codes.c.id == bindparam("v_id"))
                     .values(parent_id=bindparam("v_parent")),
                     [{"v_id": c.id, "v_parent": c.parent_id} for c in cb.codes])
    added, updated, removed = len(new), len(old), 0
    if replace:
        keep = {c.id for c in cb.codes}
        used = {r[0] for r in conn.execute(select(tables.codings.c.code_id).distinct())}
        used |= {r[0] for r in conn.execute(select(tables.suggestions.c.code_id).distinct())}
        for cid in sorted(have - keep - used):
            conn.execute(update(tables.codes).where(tables.codes.c.parent_id == cid).values(parent_id=None))
            conn.execute(delete(tables.codes).where(tables.codes.c.id == cid))
            removed += 1
    conn.execute(delete(tables.codebook_info))
    conn.execute(insert(tables.codebook_info).values(
        id=1, name=cb.name, version=cb.version, decision_rules=json.dumps(cb.decision_rules, ensure_ascii=False)))
    return {"added": added, "updated": updated, "removed": removed}
