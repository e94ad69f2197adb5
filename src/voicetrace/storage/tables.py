"""Table definitions: the project's data model on disk.

Tables whose ids people see or refer to (codings, memos, claims, sources, events …) use SQLite's
AUTOINCREMENT, so a deleted id is never handed out again: a memo or an audit event about coding 7
can never come to mean another coding (migration 4 converts older projects).
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", Text))

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
    sqlite_autoincrement=True,
)

case_attributes = Table(
    "case_attributes", metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String, primary_key=True),
    Column("value", Text),            # JSON-encoded typed value
    Column("position", Integer, nullable=False, default=0),
)

participants = Table(
    "participants", metadata,
    Column("id", Integer, primary_key=True),
    Column("pseudonym", String, nullable=False),
    Column("role", String, nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL")),
    Column("consent_date", String),
    Column("aliases", Text, nullable=False, default="[]"),
    UniqueConstraint("pseudonym", "case_id"),
    sqlite_autoincrement=True,
)

connections = Table(
    "connections", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("target", String, nullable=False),
    Column("target_type", String, nullable=False, default="other"),
    Column("relationship", Text, nullable=False, default=""),
    Column("strength", String, nullable=False, default=""),
    sqlite_autoincrement=True,
)

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String, nullable=False, index=True),
    Column("filename", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    sqlite_autoincrement=True,
)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("type", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL")),
    Column("date", String),
    Column("file_id", Integer, ForeignKey("files.id"), nullable=False),
    Column("sha256", String, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String, nullable=False),
    Column("chars", Integer, nullable=False),
    Column("title", String),
    Column("metadata", Text, nullable=False, default="{}"),
    Column("imported_at", String, nullable=False),
    Index("ix_sources_sha_case", "sha256", "case_id"),
    sqlite_autoincrement=True,
)

segments = Table(
    "segments", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker", String),
    Column("speaker_role", String),
    Column("participant_id", Integer, ForeignKey("participants.id", ondelete="SET NULL")),
    Index("ix_segments_source", "source_id", "start"),
    sqlite_autoincrement=True,
)

codebook_info = Table(
    "codebook_info", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("version", String, nullable=False),
    Column("decision_rules", Text, nullable=False, default="[]"),
)

codes = Table(
    "codes", metadata,
    Column("id", String, primary_key=True),
    Column("label", String, nullable=False),
    Column("parent_id", String, ForeignKey("codes.id", ondelete="SET NULL")),
    Column("dimension", String),
    Column("definition", Text, nullable=False, default=""),
    Column("include", Text, nullable=False, default=""),
    Column("exclude", Text, nullable=False, default=""),
    Column("indicators", Text, nullable=False, default="[]"),
    Column("examples", Text, nullable=False, default="[]"),
    Column("colour", String),
    Column("codable", Boolean, nullable=False, default=True),
    Column("residual", Boolean, nullable=False, default=False),
    Column("position", Integer, nullable=False, default=0),
)

codings = Table(
    "codings", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("code_id", String, ForeignKey("codes.id"), nullable=False),
    Column("coder", String, nullable=False),
    Column("origin", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("suggestion_id", Integer),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="SET NULL")),
    Index("ix_codings_source", "source_id", "start"),
    Index("ix_codings_coder", "coder"),
    sqlite_autoincrement=True,
)

suggestions = Table(
    "suggestions", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="CASCADE")),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("code_id", String, ForeignKey("codes.id"), nullable=False),
    Column("agent", String, nullable=False),
    Column("model_version", String, nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("status", String, nullable=False, default="pending"),
    Column("decided_by", String),
    Column("decided_at", String),
    Column("coding_id", Integer),
    Column("created_at", String, nullable=False),
    Index("ix_suggestions_status", "status", "score"),
    sqlite_autoincrement=True,
)

memos = Table(
    "memos", metadata,
    Column("id", Integer, primary_key=True),
    Column("target_type", String, nullable=False),
    Column("target_id", String),
    Column("author", String, nullable=False),
    Column("title", String, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    sqlite_autoincrement=True,
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("object_type", String, nullable=False),
    Column("object_id", String),
    Column("detail", Text, nullable=False, default=""),
    sqlite_autoincrement=True,
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL")),
    Column("activity", String, nullable=False),
    Column("change", Text, nullable=False),
    Column("level", String, nullable=False),
    Column("domain", String, nullable=False),
    Column("status", String, nullable=False),
    Column("date", String),
    Column("merged_into", Integer, ForeignKey("claims.id", ondelete="SET NULL")),
    Column("origin", String, nullable=False, default="proposed"),   # proposed | manual
    Column("edited_by", String),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("number", Integer),   # display number among active claims (see core.claims.InfluenceClaim)
    # evidence strength as the rules give it for the claim's evidence; NULL until rated (see migration 9)
    Column("strength", String),
    sqlite_autoincrement=True,
)

claim_evidence = Table(
    "claim_evidence", metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("segment_id", Integer, ForeignKey("segments.id", ondelete="SET NULL")),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("stance", String, nullable=False, default="supports"),
    Column("coded_strength", String),
    sqlite_autoincrement=True,
)

cell_summaries = Table(
    "cell_summaries", metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("code_id", String, ForeignKey("codes.id", ondelete="CASCADE"), primary_key=True),
    Column("summary", Text, nullable=False),
    Column("updated_by", String, nullable=False),
    Column("updated_at", String, nullable=False),
)

embeddings = Table(
    "embeddings", metadata,
    Column("key", String, primary_key=True),     # model version + sha256 of text
    Column("vector", LargeBinary, nullable=False),
)

fitted_models = Table(
    "fitted_models", metadata,
    Column("key", String, primary_key=True),     # hash of training data, codebook, embedder, settings, code
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", String, nullable=False),
)


# ---- the impact log (schema version 5) -------------------------------------------------------------
impact_entries = Table(
    "impact_entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("request", Text, nullable=False),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="SET NULL")),
    Column("asked_by", String, nullable=False, default=""),
    Column("asked_on", String),
    Column("meeting", String, nullable=False, default=""),
    Column("response", Text, nullable=False, default=""),
    Column("level", String),
    Column("domain", String),
    Column("due", String),
    Column("origin", String, nullable=False, default="manual"),   # manual | claims
    Column("created_by", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    sqlite_autoincrement=True,
)

impact_claims = Table(
    "impact_claims", metadata,
    Column("entry_id", Integer, ForeignKey("impact_entries.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
)

impact_steps = Table(
    "impact_steps", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("impact_entries.id", ondelete="CASCADE"), nullable=False),
    Column("stage", String, nullable=False),
    Column("date", String),                      # when it happened (not when it was recorded)
    Column("note", Text, nullable=False, default=""),
    Column("recorded_by", String, nullable=False),
    Column("recorded_at", String, nullable=False),
    Index("ix_impact_steps_entry", "entry_id"),
    sqlite_autoincrement=True,
)

impact_evidence = Table(
    "impact_evidence", metadata,
    Column("id", Integer, primary_key=True),
    Column("step_id", Integer, ForeignKey("impact_steps.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("claim_id", Integer),                 # the claim it came from, kept after a claim rebuild
    Index("ix_impact_evidence_step", "step_id"),
    sqlite_autoincrement=True,
)

IMPACT_TABLES = [impact_entries, impact_claims, impact_steps, impact_evidence]

# What a deletion removed, kept so the last one can be undone (rows by table, in insert order).
trash = Table(
    "trash", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),   # zlib-compressed JSON: [[table, [row, ...]], ...]
    sqlite_autoincrement=True,
)
