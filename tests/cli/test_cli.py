"""The CLI contract of docs/cli.md, driven through Typer's runner (same process, fast)."""
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voicetrace.cli import app

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def vt(*args: object, ok: bool = True):
    r = runner.invoke(app, [str(a) for a in args])
    if ok:
        assert r.exit_code == 0, (r.stdout, r.stderr if r.stderr_bytes is not None else "", r.exception)
    return r


@pytest.fixture
def proj(tmp_path: Path, corpus: Path) -> Path:
    p = tmp_path / "cli.db"
    vt("init", p)
    vt("import", p, corpus)
    return p


def test_sources_jsonl_has_exactly_the_contract_fields(proj: Path) -> None:
    rows = [json.loads(l) for l in vt("sources", proj, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 2
    for r in rows:
        assert set(r) == {"name", "case", "kind", "date", "sha256", "segments", "chars"}


def test_text_prints_exactly_the_canonical_text(proj: Path) -> None:
    r = vt("text", proj, "northvale/minutes-2008-03-12.txt")
    assert r.stdout_bytes.decode("utf-8").startswith("Partnership group minutes\n\nPresent")


def test_code_then_codings_roundtrip_exact_text(proj: Path) -> None:
    text = vt("text", proj, "northvale/minutes-2008-03-12.txt").stdout
    a = text.index("the quiet room")
    vt("code", proj, "--source", "northvale/minutes-2008-03-12.txt", "--start", a, "--end", a + 14,
       "--code", "care_environment", "--coder", "ann")
    rows = [json.loads(l) for l in vt("codings", proj, "--format", "jsonl").stdout.splitlines()]
    assert rows == [{"source": "northvale/minutes-2008-03-12.txt", "case": "Northvale", "start": a, "end": a + 14,
                     "text": "the quiet room", "code": "care_environment",
                     "code_path": "B. Domain of change/care_environment", "coder": "ann", "origin": "human"}]
    csv_out = vt("codings", proj, "--format", "csv", "--coder", "ann").stdout.splitlines()
    assert csv_out[0].startswith("source,case,start,end,text,code") and len(csv_out) == 2


def test_search_jsonl_fields(proj: Path) -> None:
    rows = [json.loads(l) for l in vt("search", proj, "refurbished", "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 1 and set(rows[0]) == {"source", "case", "start", "end", "snippet"}


@pytest.mark.parametrize("args,needle", [
    (["code", "{p}", "--source", "northvale/minutes-2008-03-12.txt", "--start", "5", "--end", "99999999",
      "--code", "care_environment"], "northvale/minutes-2008-03-12.txt"),
    (["code", "{p}", "--source", "northvale/minutes-2008-03-12.txt", "--start", "0", "--end", "5",
      "--code", "bogus"], "bogus"),
    (["text", "{p}", "missing.txt"], "missing.txt"),
    (["sources", "{d}/nope.db"], "nope.db"),
])
def test_failures_print_one_line_naming_the_thing_and_exit_nonzero(proj: Path, args, needle) -> None:
    args = [a.format(p=proj, d=proj.parent) for a in args]
    r = vt(*args, ok=False)
    assert r.exit_code != 0
    msg = r.stderr.strip()
    assert len(msg.splitlines()) == 1 and needle in msg, msg


def test_init_title_and_the_project_command(tmp_path: Path) -> None:
    p = tmp_path / "study_2009.db"
    assert "'Study 2009'" in vt("init", p).stdout
    shown = vt("project", p).stdout
    assert "Study 2009" in shown and "set it with --title" in shown
    vt("project", p, "--title", "Ten groups", "--description", "What changed?")
    assert json.loads(vt("project", p, "--format", "json").stdout) | {"created_at": None} == {
        "title": "Ten groups", "description": "What changed?", "title_is_default": False, "location": str(p),
        "created_at": None}
    r = vt("project", p, "--title", "", ok=False)
    assert r.exit_code == 1 and r.stderr.strip() == "error: title: a project title cannot be empty"
    q = tmp_path / "other.db"
    vt("init", q, "--title", "Glanmorfa", "--description", "A year")
    assert json.loads(vt("project", q, "--format", "json").stdout)["description"] == "A year"


def test_import_failure_summary_names_bad_files(tmp_path: Path) -> None:
    p = tmp_path / "x.db"
    vt("init", p)
    d = tmp_path / "in"
    d.mkdir()
    (d / "ok.txt").write_text("fine\n")
    (d / "bad.pdf").write_bytes(b"%PDF-1.4\n garbage")
    r = vt("import", p, d, "--case", "G", ok=False)
    assert r.exit_code == 1 and "bad.pdf" in r.stderr
    assert "imported 1 file" in r.stdout


def test_codebook_show_export_import_roundtrip(proj: Path, tmp_path: Path) -> None:
    assert "access_to_services" in vt("codebook", "show", proj).stdout
    for ext in ("yaml", "csv"):
        f = tmp_path / f"cb.{ext}"
        vt("codebook", "export", proj, f)
        r = vt("codebook", "import", proj, f)
        assert "0 added" in r.stdout


def test_every_command_has_help_and_is_documented() -> None:
    doc = DOCS.read_text("utf-8")
    top = vt("--help").stdout
    commands = re.findall(r"^│ (\w[\w-]*)\s", top, flags=re.MULTILINE)
    assert "init" in commands and "import" in commands
    for c in commands:
        assert vt(c, "--help").exit_code == 0
        assert f"voicetrace {c}" in doc, f"{c} is missing from docs/cli.md"


@pytest.mark.parametrize("name", ["profile", "balance", "matrix", "cooccurrence", "factors", "connections",
                                  "crosscase", "claims"])
def test_every_analysis_prints_as_table_csv_and_jsonl(proj: Path, name: str) -> None:
    text = vt("text", proj, "northvale/interview-01-margaret.txt").stdout
    a = text.index("The trust confirmed")
    for code in ("grassroots_operational", "access_to_services", "enabler_relationships"):
        vt("code", proj, "--source", "northvale/interview-01-margaret.txt", "--start", a, "--end", a + 40,
           "--code", code, "--coder", "ann")
    assert vt("analysis", proj, name).stdout.strip()
    csv_lines = vt("analysis", proj, name, "--format", "csv").stdout.splitlines()
    assert len(csv_lines) >= 2
    rows = [json.loads(l) for l in vt("analysis", proj, name, "--format", "jsonl").stdout.splitlines() if l.strip()]
    assert rows and len(rows) == len(csv_lines) - 1


def test_unknown_analysis_is_refused(proj: Path) -> None:
    r = vt("analysis", proj, "horoscope", ok=False)
    assert r.exit_code != 0 and "horoscope" in r.stderr


def test_codebook_qdc_roundtrip_through_the_cli(proj: Path, tmp_path: Path) -> None:
    f = tmp_path / "cb.qdc"
    vt("codebook", "export", proj, f)
    assert f.read_bytes().startswith(b"<?xml")
    other = tmp_path / "other.db"
    vt("init", other)
    r = vt("codebook", "import", other, f)
    assert "0 added" in r.stdout  # same ids come back: nothing new


def test_version() -> None:
    import voicetrace
    assert vt("--version").stdout.strip() == f"voicetrace {voicetrace.__version__}"


def test_memos_from_the_command_line(proj: Path) -> None:
    vt("memo", proj, "Why we sampled this group", "--on", "case:Northvale", "--author", "ann")
    vt("memo", proj, "Whole-project note")
    vt("memo", proj, "Minutes are terse", "--on", "source:northvale/minutes-2008-03-12.txt")
    rows = [json.loads(l) for l in vt("memos", proj, "--format", "jsonl").stdout.splitlines()]
    assert [(r["on"], r["target"]) for r in rows] == [("case", "Northvale"), ("project", None),
                                                      ("source", "northvale/minutes-2008-03-12.txt")]
    r = vt("memo", proj, "x", "--on", "case:Nowhere", ok=False)
    assert r.exit_code != 0 and "Nowhere" in r.stderr
    r = vt("memo", proj, "x", "--on", "planet:Mars", ok=False)
    assert r.exit_code != 0 and "planet" in r.stderr


def test_qdpx_import_of_a_foreign_project_adds_no_default_codebook_unless_asked(tmp_path: Path) -> None:
    import voicetrace
    from tests.exchange.test_qdpx_vendors import _nvivo_windows
    f = _nvivo_windows(tmp_path)
    vt("qdpx", "import", tmp_path / "plain.db", f)
    vt("qdpx", "import", tmp_path / "with.db", f, "--default-codebook")
    with voicetrace.open(tmp_path / "plain.db") as plain, voicetrace.open(tmp_path / "with.db") as both:
        own = {c.id for c in plain.codebook().codes}
        assert own and "grassroots_operational" not in own
        assert own < {c.id for c in both.codebook().codes} and "grassroots_operational" in {
            c.id for c in both.codebook().codes}
        assert plain.title == "Fixture"


def test_claim_merge_split_edit_by_number(proj: Path) -> None:
    minutes, interview = "northvale/minutes-2008-03-12.txt", "northvale/interview-01-margaret.txt"
    for source, needle, domain in ((minutes, "the quiet room was refurbished", "care_environment"),
                                   (interview, "The trust confirmed", "access_to_services")):
        text = vt("text", proj, source).stdout
        a = text.index(needle)
        for code in ("grassroots_operational", domain):
            vt("code", proj, "--source", source, "--start", a, "--end", a + 40, "--code", code, "--coder", "ann")
    rows = [json.loads(l) for l in vt("claims", proj, "--format", "jsonl").stdout.splitlines()]
    assert sorted(r["number"] for r in rows) == [1, 2]
    assert {"id", "case", "activity", "change", "level", "domain", "status", "evidence_strength",
            "evidence"} <= set(rows[0])
    r = vt("claim", "merge", proj, "1", "2")
    assert "merged into claim 1" in r.stdout
    merged = [json.loads(l) for l in vt("claims", proj, "--format", "jsonl").stdout.splitlines()]
    assert len(merged) == 1 and len(merged[0]["evidence"]) == 2
    assert merged[0]["evidence_strength"] == "corroborated"  # a document and an interview, over merged evidence
    assert "made of 2 parts" in vt("claim", "show", proj, "1").stdout
    vt("claim", "split", proj, "1")
    vt("claims", proj, "--rebuild")  # the split is the analyst's: a rebuild keeps the claims apart
    assert len(vt("claims", proj, "--format", "jsonl").stdout.splitlines()) == 2
    vt("claim", "edit", proj, "2", "--change", "Free parking permits for patients")
    vt("claims", proj, "--rebuild")
    assert "Free parking permits for patients" in vt("claim", "show", proj, "2").stdout
    bad = vt("claim", "merge", proj, "1", "99", ok=False)
    assert bad.exit_code != 0 and "99" in bad.stderr
    assert vt("claim", "merge", proj, "1", ok=False).exit_code != 0
