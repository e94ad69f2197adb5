"""Every mistake a new user makes at the command line gets one clear line (or is undoable), and a refused
command leaves the project exactly as it was. Each test is one item of issue 13's list."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

from voicetrace.cli import main
from voicetrace.storage import database

HERE = "northvale/minutes-2008-03-12.txt"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    """The command fails with exactly one line on stderr and no traceback."""
    code, _out, err = run(capsys, *args)
    assert code != 0, args
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def digest(path: Path) -> str:
    """The project's content (every row, WAL included), not its file bytes, which a checkpoint may move."""
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture
def proj(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    p = tmp_path / "m.db"
    assert run(capsys, "init", p)[0] == 0
    assert run(capsys, "import", p, corpus)[0] == 0
    return p


def test_swapped_arguments_and_a_folder_as_project_say_so(proj: Path, corpus: Path, capsys) -> None:
    assert "is a folder, not a project file" in refused(capsys, "import", corpus, proj)
    assert "is a folder" in refused(capsys, "sources", corpus)


def _reads_but_refuses_writes(proj: Path, capsys: pytest.CaptureFixture[str], out_dir: Path, why: str) -> None:
    assert HERE in run(capsys, "sources", proj, "--format", "jsonl")[1]
    code, out, _ = run(capsys, "search", proj, "quiet room")
    assert code == 0 and HERE in out
    assert run(capsys, "codings", proj)[0] == 0 and run(capsys, "trash", "list", proj)[0] == 0
    assert run(capsys, "report", proj, "--out", out_dir / "r.html")[0] == 0 and (out_dir / "r.html").exists()
    for args in (("code", proj, "--source", HERE, "--start", 0, "--end", 9, "--code", "care_environment"),
                 ("source", "edit", proj, HERE, "--kind", "report"), ("undo", proj),
                 ("trash", "purge", proj, "--older-than", 0), ("memo", proj, "a note")):
        line = refused(capsys, *args)
        assert str(proj) in line and why in line and "refused" in line and "not a voicetrace project" not in line


@pytest.mark.parametrize("wal", ["pending", "checkpointed"])
def test_a_read_only_project_reads_but_refuses_writes_in_one_line(proj: Path, capsys, monkeypatch,
                                                                  tmp_path: Path, wal: str) -> None:
    """As the operating system reports it (os.access), so this runs even as root; with changes still in
    the WAL (read through it) and without (opened immutable, as in a read-only folder)."""
    real = os.access
    if wal == "checkpointed":
        con = sqlite3.connect(proj)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    before = digest(proj)
    monkeypatch.setattr(database.os, "access", lambda p, mode: False if mode == os.W_OK else real(p, mode))
    _reads_but_refuses_writes(proj, capsys, tmp_path / "elsewhere", "read-only")
    monkeypatch.undo()
    assert digest(proj) == before


@pytest.mark.parametrize("target", ["file", "folder"])
def test_a_chmod_read_only_project_or_folder_reads_but_refuses_writes(proj: Path, capsys, tmp_path_factory,
                                                                       target: str) -> None:
    held = proj if target == "file" else proj.parent
    mode = held.stat().st_mode
    before = digest(proj)
    held.chmod(0o444 if target == "file" else 0o555)
    try:
        if os.access(held, os.W_OK):
            pytest.skip("chmod does not stop this user writing (root)")
        _reads_but_refuses_writes(proj, capsys, tmp_path_factory.mktemp("out"),
                                  "folder is read-only" if target == "folder" else "file is read-only")
    finally:
        held.chmod(mode)
    assert digest(proj) == before


def test_a_held_lock_is_one_busy_line_after_a_bounded_wait(proj: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(proj)
    holder.execute("BEGIN IMMEDIATE")
    try:
        line = refused(capsys, "code", proj, "--source", HERE, "--start", 0, "--end", 5, "--code",
                       "care_environment")
    finally:
        holder.rollback()
        holder.close()
    assert line == "error: Project is busy (another voicetrace is writing); try again"


def test_report_into_a_missing_folder_makes_it_and_a_bad_path_is_one_line(proj: Path, tmp_path: Path, capsys) -> None:
    assert run(capsys, "report", proj, "--out", tmp_path / "new" / "r.html")[0] == 0
    assert (tmp_path / "new" / "r.html").is_file()
    (tmp_path / "afile").write_text("x", "utf-8")
    assert "cannot create the folder" in refused(capsys, "report", proj, "--out", tmp_path / "afile" / "r.html")
    assert "is a folder" in refused(capsys, "report", proj, "--out", tmp_path / "new")


@pytest.mark.parametrize("args,needle", [
    (("import", "{p}", "{corpus}", "--case", ""), "a case needs a name"),
    (("import", "{p}", "/dev/null"), "not a regular file or a folder"),
    (("sources", "{p}", "--format", "xml"), "choose from: table, jsonl"),
    (("search", "{p}", "room", "--limit", "-1"), "--limit: must be between 1"),
    (("search", "{p}", "room", "--case", "Northvail"), "did you mean 'Northvale'"),
    (("search", "{p}", "room", "--role", "astronaut"), "service_user"),
    (("search", "{p}", "room", "--kind", "minuets"), "minutes"),
    (("serve", "{p}", "--port", "99999", "--no-browser"), "--port: must be between 1 and 65535"),
    (("evaluate", "{p}", "--gold", "ann", "--folds", "0"), "--folds: must be between 2 and 50"),
    (("autocode", "{p}", "--accept", "5"), "--accept: must be between 0 and 1"),
    (("agreement", "{p}", "--coders", "a,b", "--format", "xml"), "choose from: table, json"),
    (("code", "{p}", "--source", "minutes-2008-03-12.tx", "--start", "0", "--end", "5", "--code", "care_environment"),
     "did you mean"),
])
def test_bad_options_are_one_line_naming_the_allowed_values(proj: Path, corpus: Path, capsys, args, needle) -> None:
    before = digest(proj)
    line = refused(capsys, *[a.format(p=proj, corpus=corpus) for a in args])
    assert needle in line, line
    assert digest(proj) == before


def test_a_fifo_imports_as_an_error_not_zero_files(proj: Path, tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(capsys, "import", proj, fifo)


def test_code_refuses_an_exact_duplicate_and_an_ambiguous_file_name(proj: Path, tmp_path: Path, capsys) -> None:
    args = ("code", proj, "--source", HERE, "--start", 0, "--end", 9, "--code", "care_environment", "--coder", "ann")
    assert run(capsys, *args)[0] == 0
    assert "already coded" in refused(capsys, *args)
    other = tmp_path / "elsewhere" / "eastmere" / "minutes-2008-03-12.txt"
    other.parent.mkdir(parents=True)
    other.write_text("Other minutes.\n\nA different text.\n", "utf-8")
    assert run(capsys, "import", proj, other.parent.parent, "--case", "Eastmere")[0] == 0
    line = refused(capsys, "code", proj, "--source", "minutes-2008-03-12.txt", "--start", 0, "--end", 5, "--code",
                   "care_environment")
    assert "ambiguous" in line and HERE in line


def test_uncode_then_undo_from_the_cli(proj: Path, capsys) -> None:
    run(capsys, "code", proj, "--source", HERE, "--start", 0, "--end", 9, "--code", "care_environment")
    _, out, _ = run(capsys, "codings", proj)
    assert len(out.splitlines()) == 1
    from voicetrace import open as vt_open
    p = vt_open(proj)
    cid = p.codings()[0].id
    p.close()
    assert run(capsys, "uncode", proj, cid)[0] == 0
    assert run(capsys, "codings", proj)[1] == ""
    assert run(capsys, "undo", proj)[0] == 0
    assert json.loads(run(capsys, "codings", proj)[1])["start"] == 0


def test_one_coder_identity_for_every_command(proj: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("VOICETRACE_CODER", raising=False)
    assert run(capsys, "coder", proj, "Ann Smith")[1].strip() == "coding as Ann Smith"
    run(capsys, "code", proj, "--source", HERE, "--start", 0, "--end", 9, "--code", "care_environment")
    run(capsys, "memo", proj, "a note")
    monkeypatch.setenv("VOICETRACE_CODER", "ben")
    run(capsys, "code", proj, "--source", HERE, "--start", 0, "--end", 5, "--code", "care_environment")
    coders = [json.loads(line)["coder"] for line in run(capsys, "codings", proj)[1].splitlines()]
    assert sorted(coders) == ["Ann Smith", "ben"]
    from voicetrace import open as vt_open
    p = vt_open(proj)
    assert p.memos()[0].author == "Ann Smith"
    p.close()


def test_source_move_edit_delete_and_undo(proj: Path, capsys) -> None:
    assert "did you mean 'Northvale'" in refused(capsys, "source", "move", proj, HERE, "Northvail")
    assert run(capsys, "source", "move", proj, HERE, "Glanmorfa")[0] == 0
    assert run(capsys, "source", "edit", proj, HERE, "--kind", "report", "--date", "2009-01-02")[0] == 0
    row = next(json.loads(x) for x in run(capsys, "sources", proj, "--format", "jsonl")[1].splitlines()
               if HERE in x)
    assert (row["case"], row["kind"], row["date"]) == ("Glanmorfa", "report", "2009-01-02")
    before = digest(proj)
    assert "add --yes" in refused(capsys, "source", "delete", proj, HERE)  # not a terminal: no silent deletion
    assert digest(proj) == before
    assert run(capsys, "source", "delete", proj, HERE, "--yes")[0] == 0
    assert HERE not in run(capsys, "sources", proj, "--format", "jsonl")[1]
    assert run(capsys, "undo", proj)[0] == 0
    assert HERE in run(capsys, "sources", proj, "--format", "jsonl")[1]


def test_undo_walks_back_and_the_trash_can_be_listed_and_purged(proj: Path, capsys) -> None:
    before = digest(proj)
    run(capsys, "source", "move", proj, HERE, "Glanmorfa", "--new-case")
    run(capsys, "source", "edit", proj, HERE, "--kind", "report")
    run(capsys, "source", "edit", proj, HERE, "--date", "2009-01-02")
    listed = [json.loads(x)["action"] for x in run(capsys, "trash", "list", proj, "--format", "jsonl")[1].splitlines()]
    assert listed == ["edit_source"] * 3
    code, out, _ = run(capsys, "undo", proj)
    assert code == 0 and "date" in out and "2 earlier changes can still be undone" in out
    assert "kind" in run(capsys, "undo", proj)[1]
    assert "--older-than" in refused(capsys, "trash", "purge", proj, "--older-than", -1)
    code, out, _ = run(capsys, "trash", "purge", proj, "--older-than", 0)
    assert code == 0 and "purged 1 trash entry" in out and "can no longer be undone" in out
    assert "nothing to undo" in refused(capsys, "undo", proj)
    row = next(json.loads(x) for x in run(capsys, "sources", proj, "--format", "jsonl")[1].splitlines() if HERE in x)
    assert row["case"] == "Glanmorfa" and digest(proj) != before  # the purged move stays
