"""Registered schema migrations keyed on SQLite's ``user_version``.

Each migration is a function run inside one transaction; a project opened by a newer
voicetrace is upgraded in order, and one written by a newer version than this code is refused
rather than damaged.
"""
from __future__ import annotations

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


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema with FTS5 over segments", _initial),
    (2, "indexes on every foreign key used in a join, lookup or delete", _foreign_key_indexes),
    (3, "fitted machine-coder models kept between autocode runs", _fitted_models),
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
