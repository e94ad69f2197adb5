"""Registered schema migrations keyed on SQLite's ``user_version``.

Each migration is a function run inside one transaction; a project opened by a newer
voicetrace is upgraded in order, and one written by a newer version than this code is refused
rather than damaged.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Connection, text

from . import tables

Migration = Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables.metadata.create_all(conn)
    conn.execute(text(
        "CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5("
        "text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"))


# Every foreign key that a join, a lookup or a cascading delete follows gets an index, so per-item work
# stays O(log N): without them, deleting one claim scanned all evidence and all claims (merged_into), and
# deleting a source's segments scanned codings, suggestions and evidence once per segment.
FOREIGN_KEY_INDEXES: list[tuple[str, str, tuple[str, ...]]] = [
    ("ix_claim_evidence_claim", "claim_evidence", ("claim_id",)),
    ("ix_claim_evidence_source", "claim_evidence", ("source_id", "start")),
    ("ix_claim_evidence_segment", "claim_evidence", ("segment_id",)),
    ("ix_claims_merged_into", "claims", ("merged_into",)),
    ("ix_claims_case", "claims", ("case_id",)),
    ("ix_codings_segment", "codings", ("segment_id",)),
    ("ix_codings_code", "codings", ("code_id",)),
    ("ix_suggestions_source", "suggestions", ("source_id", "start")),
    ("ix_suggestions_segment", "suggestions", ("segment_id",)),
    ("ix_suggestions_coding", "suggestions", ("coding_id",)),
    ("ix_segments_participant", "segments", ("participant_id",)),
    ("ix_segments_source_idx", "segments", ("source_id", "idx")),
    ("ix_sources_case", "sources", ("case_id", "name")),
    ("ix_sources_file", "sources", ("file_id",)),
    ("ix_participants_case", "participants", ("case_id",)),
    ("ix_connections_case", "connections", ("case_id",)),
    ("ix_codes_parent", "codes", ("parent_id",)),
    ("ix_cell_summaries_code", "cell_summaries", ("code_id",)),
    ("ix_memos_target", "memos", ("target_type", "target_id")),
]


def _foreign_key_indexes(conn: Connection) -> None:
    for name, table, columns in FOREIGN_KEY_INDEXES:
        cols = ", ".join(f'"{c}"' for c in columns)
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})"))


def _fitted_models(conn: Connection) -> None:
    tables.fitted_models.create(conn, checkfirst=True)


# Tables rebuilt with AUTOINCREMENT, and the audit object type whose ids were handed out for each
# (so an id used before this migration, then deleted, is not handed out again either).
AUTOINCREMENT_TABLES: dict[str, str | None] = {
    "cases": "case", "participants": "participant", "connections": "connection", "files": None,
    "sources": "source", "segments": None, "codings": "coding", "suggestions": "suggestion", "memos": "memo",
    "events": None, "claims": "claim", "claim_evidence": None,
}
_ID_COLUMN = re.compile(r"\bid INTEGER NOT NULL\s*,", re.IGNORECASE)
_PK_CONSTRAINT = re.compile(r",\s*PRIMARY KEY \(id\)", re.IGNORECASE)


def _ids_never_reused(conn: Connection) -> None:
    """Rebuild older tables with AUTOINCREMENT, keeping every row and id.

    SQLite cannot add AUTOINCREMENT in place, and dropping a parent table with foreign keys on
    would cascade to its children, so the rebuild runs with foreign keys off in its own
    BEGIN IMMEDIATE (earlier migrations are committed first, each with its user_version), checks
    the foreign keys before it commits, and is rolled back whole on any error. The caller
    disposes of the connection afterwards so foreign keys are on again everywhere.
    """
    raw = conn.connection.driver_connection
    todo = []
    for table in AUTOINCREMENT_TABLES:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:t"), {"t": table}).scalar()
        if sql and "AUTOINCREMENT" not in sql.upper():
            todo.append((table, str(sql)))
    if not todo:
        return  # a project created with these definitions already has it
    if raw.in_transaction:
        raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("BEGIN IMMEDIATE")
    for table, sql in todo:
        new_sql, n_id = _ID_COLUMN.subn("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", sql, count=1)
        new_sql, n_pk = _PK_CONSTRAINT.subn("", new_sql, count=1)
        if n_id != 1 or n_pk != 1:
            raise RuntimeError(f"cannot convert table {table} to AUTOINCREMENT: unexpected definition")
        new_sql = new_sql.replace(f"CREATE TABLE {table} ", f"CREATE TABLE {table}__new ", 1)
        indexes = [r[0] for r in raw.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL", (table,))]
        raw.execute(new_sql)
        raw.execute(f"INSERT INTO {table}__new SELECT * FROM {table}")
        raw.execute(f"DROP TABLE {table}")
        raw.execute(f"ALTER TABLE {table}__new RENAME TO {table}")
        for index_sql in indexes:
            raw.execute(index_sql)
        object_type = AUTOINCREMENT_TABLES[table]
        used = raw.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0
        if object_type:
            logged = raw.execute("SELECT MAX(CAST(object_id AS INTEGER)) FROM events WHERE object_type=? "
                                 "AND object_id GLOB '[0-9]*'", (object_type,)).fetchone()[0]
            used = max(used, int(logged or 0))
        raw.execute("DELETE FROM sqlite_sequence WHERE name=?", (table,))
        raw.execute("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (table, used))
    broken = raw.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the id migration: {broken[:3]}")


def _claim_numbers(conn: Connection) -> None:
    """Claims get a display number: active claims of an older project are numbered in id order.
    Idempotent, because a new project's initial schema already has the column."""
    columns = {r[1] for r in conn.execute(text("PRAGMA table_info(claims)"))}
    if "number" not in columns:
        conn.execute(text("ALTER TABLE claims ADD COLUMN number INTEGER"))
    from .claims import number_claims
    ids = [int(r[0]) for r in conn.execute(text(
        "SELECT id FROM claims WHERE merged_into IS NULL AND number IS NULL ORDER BY id"))]
    number_claims(conn, ids)


def _impact_log(conn: Connection) -> None:
    # A project created at v1 lacks these; one created later already has them from _initial.
    for table in tables.IMPACT_TABLES:
        table.create(conn, checkfirst=True)


def _trash(conn: Connection) -> None:
    tables.trash.create(conn, checkfirst=True)
def _source_listing_index(conn: Connection) -> None:
    # A source row holds its whole text before chars and title, so listing sources from the table reads
    # every text (hundreds of MB at 10^6 segments); this index covers the listing instead.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_sources_listing ON sources "
                      "(case_id, name, type, kind, date, sha256, chars, title)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_sources_names ON sources (id, name, case_id, kind, type)"))
    # The segment count of a source is its last idx + 1 (see storage/sources.py): that probe needs this
    # index, which early development builds of migration 2 lacked.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_segments_source_idx ON segments (source_id, idx)"))
    # Coding progress per source (codings, distinct coded segments) read from an index alone.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_codings_source_segment ON codings (source_id, segment_id)"))


# What a claim's evidence strength is computed from: its evidence rows (stance, text, coded strength),
# the kind and type of the sources they are in, and the role of the speakers of their segments. Any write
# to one of these, through any path (an edit, a cascade, an undo), forgets the stored strength of the
# claims it touches; the claims service rates forgotten ones again (see services/claims.py).
_FORGET = "UPDATE claims SET strength = NULL WHERE strength IS NOT NULL AND id"
STRENGTH_TRIGGERS = {
    "tr_strength_evidence_insert": f"AFTER INSERT ON claim_evidence BEGIN {_FORGET} = NEW.claim_id; END",
    "tr_strength_evidence_delete": f"AFTER DELETE ON claim_evidence BEGIN {_FORGET} = OLD.claim_id; END",
    "tr_strength_evidence_update": f"AFTER UPDATE ON claim_evidence BEGIN {_FORGET} IN (OLD.claim_id, NEW.claim_id); END",
    "tr_strength_source_kind": f"AFTER UPDATE OF type, kind ON sources BEGIN {_FORGET} IN "
                               "(SELECT claim_id FROM claim_evidence WHERE source_id = NEW.id); END",
    "tr_strength_segment_speaker": f"AFTER UPDATE OF participant_id, speaker_role ON segments BEGIN {_FORGET} IN "
                                   "(SELECT claim_id FROM claim_evidence WHERE segment_id = NEW.id); END",
    "tr_strength_participant_role": f"AFTER UPDATE OF role ON participants BEGIN {_FORGET} IN "
                                    "(SELECT e.claim_id FROM claim_evidence e JOIN segments g ON g.id = e.segment_id "
                                    "WHERE g.participant_id = NEW.id); END",
}


def _stored_strength(conn: Connection) -> None:
    """Claims keep their evidence strength, so the ledger filters by it in SQL; NULL (every claim of an
    older project, at first) means "rate it again". Idempotent: a new project's table has the column."""
    columns = {r[1] for r in conn.execute(text("PRAGMA table_info(claims)"))}
    if "strength" not in columns:
        conn.execute(text("ALTER TABLE claims ADD COLUMN strength TEXT"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_claims_strength ON claims (strength, merged_into)"))
    for name, body in STRENGTH_TRIGGERS.items():
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))


def _matrix_indexes(conn: Connection) -> None:
    # The framework matrix counts codings per case and code. Its page drives from the page's cases'
    # sources to their codings of the dimension's codes (source, code, segment: the speaker join needs
    # the segment), and its heat scale groups every coding of those codes by source (code, source);
    # both read these indexes only, never the codings table with its texts.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_codings_source_code ON codings (source_id, code_id, segment_id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_codings_code_source ON codings (code_id, source_id)"))


def _coding_order_index(conn: Connection) -> None:
    # Codings are listed by source name, then position: with this index SQLite walks the sources by
    # name and each source's codings in order, and a page stops after its rows instead of sorting
    # every coding first (1.3 s a page at 350,000 codings).
    conn.execute(text('CREATE INDEX IF NOT EXISTS ix_codings_source_span ON codings (source_id, start, "end")'))


# Counts kept by triggers on every write (a click, an import, an undo, a cascade from a deleted source
# or case alike), so the overview's progress per case and the matrix's heat scale read a row per case
# and code or per source instead of grouping every coding, which took 0.3-1.6 s at 350,000 codings
# each time anything had changed:
#   coding_cells   codings per case (0: no case) and code        -> the matrix's heat scale
#   source_tally   codings and coded segments per source         -> progress per source and per case
#   segment_tally  codings per coded segment, so a segment's first coding and its last are seen
_CASE_OF = "(SELECT COALESCE(case_id, 0) FROM sources WHERE id = {row}.source_id)"
_TALLY_ADD = f"""
    INSERT INTO coding_cells (case_key, code_id, n) SELECT {_CASE_OF.format(row="new")}, new.code_id, 1
        WHERE true ON CONFLICT (case_key, code_id) DO UPDATE SET n = n + 1;
    INSERT INTO source_tally (source_id, codings, coded_segments) VALUES (new.source_id, 1, 0)
        ON CONFLICT (source_id) DO UPDATE SET codings = codings + 1;
    INSERT INTO segment_tally (source_id, segment_id, n) SELECT new.source_id, new.segment_id, 1
        WHERE new.segment_id IS NOT NULL ON CONFLICT (source_id, segment_id) DO UPDATE SET n = n + 1;"""
_TALLY_REMOVE = f"""
    UPDATE coding_cells SET n = n - 1 WHERE case_key = {_CASE_OF.format(row="old")} AND code_id = old.code_id;
    DELETE FROM coding_cells WHERE case_key = {_CASE_OF.format(row="old")} AND code_id = old.code_id AND n <= 0;
    UPDATE segment_tally SET n = n - 1 WHERE source_id = old.source_id AND segment_id = old.segment_id;
    DELETE FROM segment_tally WHERE source_id = old.source_id AND segment_id = old.segment_id AND n <= 0;
    UPDATE source_tally SET codings = codings - 1 WHERE source_id = old.source_id;
    DELETE FROM source_tally WHERE source_id = old.source_id AND codings <= 0;"""
_CELLS_OF_SOURCE = "SELECT code_id, count(*) AS n FROM codings WHERE source_id = new.id GROUP BY code_id"
TALLY_TRIGGERS = {
    "tally_coding_insert": f"AFTER INSERT ON codings BEGIN {_TALLY_ADD} END",
    "tally_coding_delete": f"AFTER DELETE ON codings BEGIN {_TALLY_REMOVE} END",
    "tally_coding_update": f"AFTER UPDATE OF source_id, code_id, segment_id ON codings BEGIN {_TALLY_REMOVE} "
                           f"{_TALLY_ADD} END",
    "tally_segment_coded": "AFTER INSERT ON segment_tally BEGIN UPDATE source_tally "
                           "SET coded_segments = coded_segments + 1 WHERE source_id = new.source_id; END",
    "tally_segment_uncoded": "AFTER DELETE ON segment_tally BEGIN UPDATE source_tally "
                             "SET coded_segments = coded_segments - 1 WHERE source_id = old.source_id; END",
    # A source's codings go before the source does (the cascade would delete them after it, when its
    # case can no longer be looked up); a source that changes case takes its counts along.
    "tally_source_delete": "BEFORE DELETE ON sources BEGIN DELETE FROM codings WHERE source_id = old.id; END",
    "tally_source_moved": f"""AFTER UPDATE OF case_id ON sources WHEN old.case_id IS NOT new.case_id BEGIN
        UPDATE coding_cells SET n = n - (SELECT count(*) FROM codings k WHERE k.source_id = new.id
                                        AND k.code_id = coding_cells.code_id)
            WHERE case_key = COALESCE(old.case_id, 0) AND code_id IN (SELECT code_id FROM codings WHERE source_id = new.id);
        DELETE FROM coding_cells WHERE case_key = COALESCE(old.case_id, 0) AND n <= 0;
        INSERT INTO coding_cells (case_key, code_id, n) SELECT COALESCE(new.case_id, 0), c.code_id, c.n
            FROM ({_CELLS_OF_SOURCE}) c WHERE true ON CONFLICT (case_key, code_id) DO UPDATE SET n = n + excluded.n;
        END""",
}


def _coding_tallies(conn: Connection) -> None:
    conn.execute(text("CREATE TABLE IF NOT EXISTS coding_cells (case_key INTEGER NOT NULL, code_id TEXT NOT NULL, "
                      "n INTEGER NOT NULL, PRIMARY KEY (case_key, code_id)) WITHOUT ROWID"))
    conn.execute(text("CREATE TABLE IF NOT EXISTS source_tally (source_id INTEGER PRIMARY KEY, "
                      "codings INTEGER NOT NULL, coded_segments INTEGER NOT NULL)"))
    conn.execute(text("CREATE TABLE IF NOT EXISTS segment_tally (source_id INTEGER NOT NULL, "
                      "segment_id INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (source_id, segment_id)) "
                      "WITHOUT ROWID"))
    for table in ("coding_cells", "source_tally", "segment_tally"):
        conn.execute(text(f"DELETE FROM {table}"))
    conn.execute(text("INSERT INTO coding_cells SELECT COALESCE(s.case_id, 0), k.code_id, count(*) "
                      "FROM codings k JOIN sources s ON s.id = k.source_id GROUP BY 1, 2"))
    conn.execute(text("INSERT INTO segment_tally SELECT source_id, segment_id, count(*) FROM codings "
                      "WHERE segment_id IS NOT NULL GROUP BY 1, 2"))
    conn.execute(text("INSERT INTO source_tally SELECT k.source_id, k.n, COALESCE(g.n, 0) "
                      "FROM (SELECT source_id, count(*) AS n FROM codings GROUP BY source_id) k "
                      "LEFT JOIN (SELECT source_id, count(*) AS n FROM segment_tally GROUP BY source_id) g "
                      "ON g.source_id = k.source_id"))
    for name, body in TALLY_TRIGGERS.items():
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema with FTS5 over segments", _initial),
    (2, "indexes on every foreign key used in a join, lookup or delete", _foreign_key_indexes),
    (3, "fitted machine-coder models kept between autocode runs", _fitted_models),
    (4, "ids never reused: AUTOINCREMENT on every table with visible ids", _ids_never_reused),
    (5, "impact log: entries, their dated steps, evidence and claim links", _impact_log),
    (6, "a trash of deleted rows, so a deletion can be undone", _trash),
    (7, "display numbers for claims", _claim_numbers),
    (8, "covering indexes for listing sources and coding progress without reading texts", _source_listing_index),
    (9, "stored evidence strength of claims, forgotten by triggers when its evidence changes", _stored_strength),
    (10, "covering indexes for the framework matrix's counts", _matrix_indexes),
    (11, "codings listed in order without a sort", _coding_order_index),
    (12, "counts of codings per source and code and per segment, kept by triggers", _coding_tallies),
]

LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def upgrade(conn: Connection) -> list[int]:
    """Apply pending migrations; return the versions applied."""
    have = current_version(conn)
    if have > LATEST:
        raise RuntimeError(f"project schema v{have} is newer than this voicetrace (v{LATEST}); upgrade voicetrace")
    applied = []
    for version, _name, fn in MIGRATIONS:
        if version > have:
            fn(conn)
            conn.execute(text(f"PRAGMA user_version = {int(version)}"))
            applied.append(version)
    return applied
