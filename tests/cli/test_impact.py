"""`voicetrace impact` and `voicetrace outputs` as the acceptance check and a lead call them."""
import json
from pathlib import Path

import docx
import pytest

from .test_cli import vt


@pytest.fixture
def proj(tmp_path: Path, corpus: Path) -> Path:
    p = tmp_path / "cli.db"
    vt("init", p)
    vt("import", p, corpus)
    text = vt("text", p, "northvale/minutes-2008-03-12.txt").stdout
    start = text.index("Item 2.")
    end = text.index("\n", start)
    for code in ("grassroots_operational", "care_environment", "implemented"):
        vt("code", p, "--source", "northvale/minutes-2008-03-12.txt", "--start", start, "--end", end, "--code", code)
    vt("claims", p, "--rebuild")
    return p


def test_impact_without_subcommand_lists_jsonl_with_status_and_claims(proj: Path) -> None:
    assert "1 entries created" in vt("impact", proj, "from-claims").stdout
    rows = [json.loads(x) for x in vt("impact", proj, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["status"] == "done" and rows[0]["claims"] == rows[0]["claim_ids"] != []
    assert vt("impact", proj, "list", "--format", "jsonl").stdout == vt("impact", proj, "--format", "jsonl").stdout
    assert vt("impact", proj, "--format", "csv").stdout.startswith("id,case,request")


def test_add_update_and_export(proj: Path, tmp_path: Path) -> None:
    r = vt("impact", proj, "add", "Free parking for patients", "--case", "Northvale", "--asked-on", "2008-05-01")
    assert "response due 2008-05-31" in r.stdout
    vt("impact", proj, "update", "1", "--status", "declined", "--date", "2008-06-02", "--note", "No budget")
    row = json.loads(vt("impact", proj, "--format", "jsonl").stdout.splitlines()[0])
    assert row["status"] == "declined" and row["reason"] == "No budget" and row["history"][-1] == "declined 2008-06-02"
    bad = vt("impact", proj, "update", "1", "--status", "declined", ok=False)
    assert bad.exit_code == 1 and "--note" in bad.stderr
    vt("impact", proj, "--format", "xlsx", "--out", tmp_path / "log.xlsx")
    assert (tmp_path / "log.xlsx").stat().st_size > 0
    assert vt("impact", proj, "--format", "xlsx", ok=False).exit_code == 1


def test_outputs_for_a_financial_year(proj: Path, tmp_path: Path) -> None:
    vt("impact", proj, "from-claims")
    r = vt("outputs", proj, "gripp2", "--out", tmp_path / "g", "--fy", "2007-08")
    assert "financial year 2007-08" in r.stdout
    body = " ".join(p.text for p in docx.Document(str(tmp_path / "g" / "gripp2.docx")).paragraphs)
    assert "1 change was made in the period" in body
    bad = vt("outputs", proj, "gripp2", "--out", tmp_path / "g", "--fy", "2007-09", ok=False)
    assert bad.exit_code == 1 and "financial year" in bad.stderr
    assert vt("outputs", proj, "brochure", "--out", tmp_path / "b", ok=False).exit_code == 1
    assert not (tmp_path / "b").exists()


def test_claims_are_named_by_their_ledger_number(proj: Path) -> None:
    claims = [json.loads(x) for x in vt("claims", proj, "--format", "jsonl").stdout.splitlines()]
    number = claims[0]["number"]
    vt("impact", proj, "from-claims", "--claim", number)
    row = json.loads(vt("impact", proj, "--format", "jsonl").stdout.splitlines()[0])
    assert row["claim_numbers"] == [number] and row["claim_ids"] == [claims[0]["id"]]
    bad = vt("impact", proj, "from-claims", "--claim", 999, ok=False)
    assert bad.exit_code == 1 and "999" in bad.stderr
