"""Claims, their evidence and the matrix's cell summaries: reads, writes, numbering, the delete of a rebuild.

Plain functions over a connection, so that each query's cost is visible in one place; the
indexes they rely on are registered in :mod:`voicetrace.storage.migrations`.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, text, update

from . import tables
from .cases import SPEAKER_JOIN, SPEAKER_ROLE
from .database import now_iso, pk
from .segments import SPAN_SEGMENT_SQL, spans_text


def claim_rows(conn: Connection, ids: Sequence[int] | None = None, *, active: bool = False) -> list[Row[Any]]:
    """Claims (all, the active ones, or the given ids) with their case name, ordered by id."""
    where, params = "WHERE k.merged_into IS NULL" if active else "", {}
    if ids is not None:
        where = "WHERE k.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = "[" + ",".join(str(int(i)) for i in ids) + "]"
    return list(conn.execute(text(
        f"SELECT k.*, c.name AS case_name FROM claims k LEFT JOIN cases c ON c.id = k.case_id {where} "
        "ORDER BY k.id"), params).all())


def evidence_rows(conn: Connection, claim_ids: Sequence[int] | None = None, *, active: bool = False) -> list[Row[Any]]:
    """Evidence of all claims, of the active ones, or of the given ones (through ix_claim_evidence_claim).

    ``active``: merged-away claims keep their evidence rows; at 10 % of 10^6 segments coded they are
    four claims in five, which a reader (report, ledger) never sees."""
    where, params = "WHERE e.claim_id IN (SELECT id FROM claims WHERE merged_into IS NULL)" if active else "", {}
    if claim_ids is not None:
        where = "WHERE e.claim_id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = "[" + ",".join(str(int(i)) for i in claim_ids) + "]"
    return list(conn.execute(text(f"""
        SELECT e.id, e.claim_id, e.source_id, s.name AS source_name, e.start, e."end", e.text, e.stance,
               s.type AS source_type, s.kind AS source_kind, p.pseudonym AS speaker,
               {SPEAKER_ROLE} AS speaker_role, e.coded_strength, e.segment_id
        FROM claim_evidence e JOIN sources s ON s.id = e.source_id
        LEFT JOIN segments g ON g.id = e.segment_id {SPEAKER_JOIN}
        {where} ORDER BY e.claim_id, s.name, e.start"""), params).all())


def _active_claims_where(case: str | None, level: str | None, domain: str | None, status: str | None,
                         strength: str | None = None, rated: Sequence[int] = ()) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the ledger's filters over active claims ``k`` (an empty value is no filter).

    ``strength`` is the stored one; ``rated`` are claims known (rated in memory) to have that strength
    although the stored value is not there yet (a read-only project)."""
    where, params = ["k.merged_into IS NULL"], {}
    if case:
        where.append("k.case_id IN (SELECT id FROM cases WHERE name = :case)")
        params["case"] = case
    for column, value in (("level", level), ("domain", domain), ("status", status)):
        if value:
            where.append(f"k.{column} = :{column}")
            params[column] = value
    if strength:
        where.append("(k.strength = :strength OR k.id IN (SELECT value FROM json_each(:rated)))")
        params.update(strength=strength, rated=json.dumps([int(i) for i in rated]))
    return " AND ".join(where), params


def filtered_claim_ids(conn: Connection, *, case: str | None = None, level: str | None = None,
                       domain: str | None = None, status: str | None = None, strength: str | None = None,
                       rated: Sequence[int] = (), offset: int = 0,
                       limit: int | None = None) -> tuple[list[int], int]:
    """One page (``limit`` from ``offset``, in id order) of the active claims that match, and how many match:
    a COUNT and a LIMIT/OFFSET over the claims table, no evidence read."""
    where, params = _active_claims_where(case, level, domain, status, strength, rated)
    total = int(conn.execute(text(f"SELECT COUNT(*) FROM claims k WHERE {where}"), params).scalar_one())
    page = "" if limit is None else " LIMIT :limit OFFSET :offset"
    ids = [int(r[0]) for r in conn.execute(text(f"SELECT k.id FROM claims k WHERE {where} ORDER BY k.id{page}"),
                                           {**params, "limit": limit, "offset": offset})]
    return ids, total


def filtered_claim_words(conn: Connection, *, case: str | None = None, level: str | None = None,
                         domain: str | None = None, status: str | None = None, strength: str | None = None,
                         rated: Sequence[int] = ()) -> list[Row[Any]]:
    """Id, change, note and activity of the active claims that match, in id order: what a words filter
    reads (the claims' own columns, no evidence)."""
    where, params = _active_claims_where(case, level, domain, status, strength, rated)
    return list(conn.execute(text(f"SELECT k.id, k.change, k.note, k.activity FROM claims k WHERE {where} "
                                  "ORDER BY k.id"), params).all())


def unrated_claim_ids(conn: Connection) -> list[int]:
    """Active claims with no stored strength (new, or their evidence changed since): ix_claims_strength."""
    return [int(r[0]) for r in conn.execute(text(
        "SELECT id FROM claims WHERE strength IS NULL AND merged_into IS NULL ORDER BY id"))]


def set_claim_strengths(conn: Connection, strengths: dict[int, str]) -> None:
    """Store each claim's rated strength (written after its evidence, so no trigger forgets it)."""
    if strengths:
        conn.execute(text("UPDATE claims SET strength = :s WHERE id = :i"),
                     [{"i": int(i), "s": s} for i, s in strengths.items()])


def known_claim_ids(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of these ids are claims (active or merged)."""
    return {int(r[0]) for r in conn.execute(text("SELECT id FROM claims WHERE id IN (SELECT value FROM json_each(:ids))"),
                                            {"ids": "[" + ",".join(str(int(i)) for i in ids) + "]"})}


def merged_parts(conn: Connection, claim_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute(text("SELECT id FROM claims WHERE merged_into = :i ORDER BY id"),
                                            {"i": claim_id})]


def active_claim_spans(conn: Connection) -> dict[int, set[tuple[int, int, int]]]:
    """Display number -> evidence spans of every numbered active claim (what a rebuild renumbers from)."""
    out: dict[int, set[tuple[int, int, int]]] = {}
    for number, source_id, start, end in conn.execute(text(
            "SELECT k.number, e.source_id, e.start, e.\"end\" FROM claims k JOIN claim_evidence e ON e.claim_id = k.id "
            "WHERE k.merged_into IS NULL AND k.number IS NOT NULL")):
        out.setdefault(int(number), set()).add((int(source_id), int(start), int(end)))
    return out


def used_claim_numbers(conn: Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute(text("SELECT number FROM claims WHERE number IS NOT NULL"))}


def number_claims(conn: Connection, claim_ids: Sequence[int], wanted: dict[int, int] | None = None) -> None:
    """Give each claim a display number: the one in ``wanted`` when it is free, else the lowest free
    number, in the order given. Numbers held by any claim (merged parts too) are never reused, so a
    part that comes back on a split keeps its own."""
    used = used_claim_numbers(conn)
    wanted = wanted or {}
    rest = []
    for cid in claim_ids:
        n = wanted.get(cid)
        if n is not None and n not in used:
            used.add(n)
            conn.execute(text("UPDATE claims SET number = :n WHERE id = :i"), {"n": n, "i": cid})
        else:
            rest.append(cid)
    n = 0
    for cid in rest:
        n += 1
        while n in used:
            n += 1
        used.add(n)
        conn.execute(text("UPDATE claims SET number = :n WHERE id = :i"), {"n": n, "i": cid})


def count_active_claims(conn: Connection, exclude: Sequence[int] = ()) -> int:
    ids = "[" + ",".join(str(int(i)) for i in exclude) + "]"
    return int(conn.execute(text("SELECT COUNT(*) FROM claims WHERE merged_into IS NULL AND id NOT IN "
                                 "(SELECT value FROM json_each(:ids))"), {"ids": ids}).scalar_one())


def claim_id_by_number(conn: Connection, number: int) -> int | None:
    """The active claim with this display number (a merged part's number belongs to its merge)."""
    row = conn.execute(text("SELECT id FROM claims WHERE number = :n AND merged_into IS NULL"), {"n": number}).first()
    return int(row[0]) if row else None


def delete_unkept_claims(conn: Connection) -> None:
    """Remove every proposed claim nobody edited, set-based: the parts first (merged_into), then the
    rest; the evidence goes with them (ON DELETE CASCADE through ix_claim_evidence_claim)."""
    # A claim a person edited or made (a manual merge) is kept, and so are the parts folded into it,
    # so that the merge can still be undone after a rebuild.
    kept = "SELECT id FROM claims WHERE origin = 'manual' OR edited_by IS NOT NULL"
    unkept = f"origin != 'manual' AND edited_by IS NULL AND (merged_into IS NULL OR merged_into NOT IN ({kept}))"
    conn.execute(text(f"UPDATE claims SET merged_into = NULL WHERE merged_into IN (SELECT id FROM claims WHERE {unkept})"))
    conn.execute(text(f"DELETE FROM claim_evidence WHERE claim_id IN (SELECT id FROM claims WHERE {unkept})"))
    conn.execute(text(f"DELETE FROM claims WHERE {unkept}"))


def kept_claim_spans(conn: Connection) -> set[tuple[int, int, int]]:
    """The passages of claims a person made or edited: a rebuild proposes nothing over them again."""
    k, e = tables.claims, tables.claim_evidence
    kept = select(k.c.id).where((k.c.edited_by.is_not(None)) | (k.c.origin == "manual"))
    return {(int(r.source_id), int(r.start), int(r.end))
            for r in conn.execute(select(e.c.source_id, e.c.start, e.c.end).where(e.c.claim_id.in_(kept)))}


def insert_claim(conn: Connection, *, case_id: int | None, activity: str, change: str, level: str, domain: str,
                 status: str, date: str | None, origin: str, edited_by: str | None, note: str = "",
                 merged_into: int | None = None) -> int:
    now = now_iso()
    return int(pk(conn.execute(insert(tables.claims).values(
        case_id=case_id, activity=activity, change=change, level=level, domain=domain, status=status, date=date,
        merged_into=merged_into, origin=origin, edited_by=edited_by, note=note, created_at=now, updated_at=now))))


def insert_claims(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Many claims in one driver-level executemany (rows as :func:`insert_claim` takes them, every row
    with the keys of the first), their new ids in the rows' order.

    The ids are the ones AUTOINCREMENT would give the rows one by one (one more than the larger of the
    highest id ever used and the highest id present), assigned here inside the transaction: an INSERT
    ... RETURNING in parameter order ran once per row on SQLite, and a build stores 10^5 claims."""
    if not rows:
        return []
    now = now_iso()
    k = tables.claims
    full = [{"note": "", "merged_into": None, **r, "created_at": now, "updated_at": now} for r in rows]
    first = int(conn.exec_driver_sql(
        "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'claims'), 0), "
        "COALESCE((SELECT max(id) FROM claims), 0)) + 1").scalar_one())
    ids = list(range(first, first + len(full)))
    keys = ["id", *full[0]]
    compiled = insert(k).compile(dialect=conn.dialect, column_keys=keys)
    order = compiled.positiontup or []
    conn.exec_driver_sql(str(compiled), [tuple(i if c == "id" else r[c] for c in order) for i, r in zip(ids, full)])
    return ids


def insert_evidence_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Many evidence items (claim_id, source_id, start, end, stance, coded_strength), their segment looked
    up by SQLite in the same statement, run once per row by one driver-level executemany, and their text
    read for all of them at once (``segments.spans_text``, what ``SPAN_TEXT_SQL`` reads): a build stores
    10^5 items, and re-reading a source's text per item and SQLAlchemy's per-row parameters were most of it."""
    if not rows:
        return
    snippets = spans_text(conn, [(r["source_id"], r["start"], r["end"]) for r in rows])
    seg = SPAN_SEGMENT_SQL.format(s="?2", b="?4", e="?5")
    conn.exec_driver_sql(
        'INSERT INTO claim_evidence(claim_id, source_id, segment_id, start, "end", text, stance, coded_strength) '
        f"VALUES (?1, ?2, {seg}, ?4, ?5, ?6, ?7, ?8)",
        [(r["claim_id"], r["source_id"], None, r["start"], r["end"], snippet, r["stance"], r["coded_strength"])
         for r, snippet in zip(rows, snippets, strict=True)])


def update_claim(conn: Connection, claim_ids: int | Sequence[int], **values: Any) -> None:
    """Set columns of one claim (or several), stamping ``updated_at``."""
    k = tables.claims
    where = k.c.id == claim_ids if isinstance(claim_ids, int) else k.c.id.in_(list(claim_ids))
    conn.execute(update(k).where(where).values(updated_at=now_iso(), **values))


def delete_claim(conn: Connection, claim_id: int) -> None:
    conn.execute(delete(tables.claim_evidence).where(tables.claim_evidence.c.claim_id == claim_id))
    conn.execute(delete(tables.claims).where(tables.claims.c.id == claim_id))


def unfold_parts(conn: Connection, merged_id: int, by: str) -> None:
    """The parts of a merge stand alone again, as edited by ``by`` (so a rebuild keeps them apart)."""
    conn.execute(update(tables.claims).where(tables.claims.c.merged_into == merged_id).values(
        merged_into=None, edited_by=by, updated_at=now_iso()))


def insert_evidence(conn: Connection, claim_id: int, source_id: int, segment_id: int | None, start: int, end: int,
                    snippet: str, stance: str, coded_strength: str | None) -> int:
    return int(pk(conn.execute(insert(tables.claim_evidence).values(
        claim_id=claim_id, source_id=source_id, segment_id=segment_id, start=start, end=end, text=snippet,
        stance=stance, coded_strength=coded_strength))))


def evidence_claim_id(conn: Connection, evidence_id: int) -> int | None:
    """The claim an evidence item belongs to (None for an unknown item)."""
    e = tables.claim_evidence
    cid = conn.execute(select(e.c.claim_id).where(e.c.id == evidence_id)).scalar()
    return None if cid is None else int(cid)


def delete_evidence(conn: Connection, evidence_id: int) -> None:
    conn.execute(delete(tables.claim_evidence).where(tables.claim_evidence.c.id == evidence_id))


def set_evidence_stance(conn: Connection, evidence_id: int, stance: str) -> None:
    e = tables.claim_evidence
    conn.execute(update(e).where(e.c.id == evidence_id).values(stance=stance))


# ---- the framework matrix's cell summaries (a person's words per case and code) ----------------

def set_cell_summary(conn: Connection, case_id: int | None, code: str, summary: str, by: str) -> None:
    """Write (or, for an empty summary, remove) the summary of one cell."""
    s = tables.cell_summaries
    if summary.strip():
        conn.execute(text(
            "INSERT INTO cell_summaries(case_id, code_id, summary, updated_by, updated_at) "
            "VALUES (:c, :k, :s, :b, :t) ON CONFLICT(case_id, code_id) DO UPDATE SET "
            "summary=excluded.summary, updated_by=excluded.updated_by, updated_at=excluded.updated_at"),
            {"c": case_id, "k": code, "s": summary, "b": by, "t": now_iso()})
    else:
        conn.execute(delete(s).where((s.c.case_id == case_id) & (s.c.code_id == code)))


def cell_summaries(conn: Connection) -> dict[tuple[str, str], str]:
    """(case name, code) -> summary."""
    s, c = tables.cell_summaries, tables.cases
    rows = conn.execute(select(c.c.name, s.c.code_id, s.c.summary).select_from(
        s.join(c, c.c.id == s.c.case_id))).all()
    return {(r[0], r[1]): r[2] for r in rows}
