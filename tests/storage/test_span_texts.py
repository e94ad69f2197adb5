"""Many spans' texts read at once are the texts the per-span SQL reads: code points, not bytes, whatever
the span (past the end, empty, reversed) or the source (unknown)."""
from __future__ import annotations

from pathlib import Path

from voicetrace.storage import segments


def test_spans_text_reads_what_the_per_span_sql_reads(project, tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "cafe.txt").write_text("Café naïve 😀 crème brûlée.\n\nThe trust agreed — £1 permits, “at last”.\n",
                                     encoding="utf-8")
    (folder / "plain.txt").write_text("Members asked for a quiet room.\n\nThe quiet room was refurbished.\n",
                                      encoding="utf-8")
    assert project.import_paths([folder]).ok
    with project.db.read() as conn:
        ids = [int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM sources ORDER BY id")]
        spans = [(s, b, e) for s in ids + [max(ids) + 99] for b, e in
                 [(0, 4), (5, 11), (11, 13), (12, 30), (0, 0), (20, 9), (3, 10_000), (9_000, 9_001), (-2, 3)]]
        many = segments.spans_text(conn, spans)
        one_by_one = [segments._span_by_sql(conn, s, b, e)[0] for s, b, e in spans]
    assert many == one_by_one
    assert "😀" in "".join(t for t in many if t)  # non-ASCII text was among them
    assert None in many                             # and an unknown source
