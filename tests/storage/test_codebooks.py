"""Writing a codebook over another: added, updated and removed codes, parents set whatever the order."""
from dataclasses import replace
from pathlib import Path

import voicetrace
from voicetrace.core.codebook import Code, Codebook
from voicetrace.storage.codebooks import load_default_codebook, read_codebook, write_codebook


def test_default_codebook_is_stored_as_packaged(tmp_path: Path) -> None:
    packaged = load_default_codebook()
    with voicetrace.create(tmp_path / "p.db") as p, p.db.read() as conn:
        stored = read_codebook(conn)
    assert [(c.id, c.parent_id, c.label, c.indicators, c.codable) for c in stored.codes] == \
        [(c.id, c.parent_id, c.label, c.indicators, c.codable) for c in packaged.codes]
    assert stored.decision_rules == packaged.decision_rules


def test_rewrite_adds_updates_reparents_and_removes_unused(tmp_path: Path) -> None:
    first = Codebook(name="mine", version="1", codes=[
        Code(id="a", label="A", codable=False, position=0), Code(id="b", label="B", parent_id="a", position=1),
        Code(id="c", label="C", position=2)])
    # the child comes before its new parent: the foreign key must not care about order
    second = Codebook(name="mine", version="2", codes=[
        Code(id="d", label="D", parent_id="b", indicators=["x"], position=0),
        replace(first.codes[1], label="B2", parent_id=None, position=1), Code(id="a", label="A", position=2)])
    with voicetrace.create(tmp_path / "p.db") as p:
        with p.db.begin() as conn:
            write_codebook(conn, first, replace=True)
            counts = write_codebook(conn, second, replace=True)
        with p.db.read() as conn:
            got = {c.id: (c.label, c.parent_id, c.indicators) for c in read_codebook(conn).codes}
            version = read_codebook(conn).version
    assert counts == {"added": 1, "updated": 2, "removed": 1}
    assert got == {"d": ("D", "b", ["x"]), "b": ("B2", None, []), "a": ("A", None, [])}
    assert version == "2"
