"""Downloads: the HTML report, the XLSX workbook, codings and the codebook in exchange formats."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import NotFound
from ...core.filenames import clean_filename, content_disposition
from ...services.records import codings_csv
from ..context import WebContext, web

router = APIRouter()

MEDIA = {"html": "text/html; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
         "yaml": "application/x-yaml; charset=utf-8", "qdc": "application/xml; charset=utf-8",
         "qdpx": "application/zip"}


def downloads(w: WebContext) -> list[dict[str, Any]]:
    report = w.has("write_report")
    items = [
        ("board-summary.html", ("The board summary: two printed pages, each figure linking into the report "
                                "(save both in one folder)"), report),
        ("report.html", "The report: findings, matrix, claims ledger, every number linked to its evidence", report),
        ("report.xlsx", "The workbook: one sheet per table", report),
        ("codings.csv", "All codings (the `voicetrace codings --format csv` columns)", True),
        ("codings.jsonl", "All codings, one JSON object a line", True),
        ("codebook.yaml", "The codebook (YAML)", True),
        ("codebook.csv", "The codebook (CSV)", True),
        ("codebook.qdc", "The codebook for other QDA tools (REFI-QDA .qdc)", True),
        ("project.qdpx", ("The whole project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx: "
                          "sources, codebook, codings by every coder, memos)"), w.has("export_qdpx")),
    ]
    return [{"file": f, "description": d, "available": a, "url": f"/download/{f}"} for f, d, a in items]


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request) -> HTMLResponse:
    w = web(request)
    from .impact import output_links
    return w.pages.render(request, "reports.html", "reports", "Reports and exports", items=downloads(w),
                          outputs=output_links())


@router.get("/api/reports", tags=["reports"])
def reports_json(request: Request) -> list[dict[str, Any]]:
    """What can be downloaded, and whether it is available yet."""
    return downloads(web(request))


@router.get("/download/{filename}", tags=["reports"], response_class=Response,
            responses={200: {"description": "The file, as an attachment",
                             "content": {m.split(";")[0]: {} for m in MEDIA.values()}}})
def download(request: Request, filename: str) -> Response:
    """Build and send one download (the project is not changed)."""
    w = web(request)
    stem = clean_filename(w.project.name, portable=True, fallback="voicetrace")
    ext = filename.rsplit(".", 1)[-1]
    if filename not in {d["file"] for d in downloads(w) if d["available"]}:
        raise NotFound(f"no download named {filename!r}")
    if filename.startswith("codings."):
        body = _codings(w, ext)
    else:
        with tempfile.TemporaryDirectory(prefix="voicetrace-dl-") as tmp:
            out = Path(tmp) / f"{stem}-{filename}"
            if filename == "board-summary.html":
                html = Path(tmp) / f"{stem}-report.html"  # the name the report downloads under, for the links
                w.project.write_report(html, by=w.coder, audit=False, board_path=out)
            elif filename.startswith("report."):
                html = Path(tmp) / "report.html"
                xlsx = Path(tmp) / "report.xlsx" if ext == "xlsx" else None
                w.project.write_report(html, xlsx, by=w.coder, audit=False)
                out = xlsx or html
            elif ext == "qdpx":
                out = w.project.export_qdpx(out, audit=False)
            else:
                out = w.project.export_codebook(out)
            body = out.read_bytes()
    return Response(body, media_type=MEDIA[ext],
                    headers={"content-disposition": content_disposition(f"{stem}-{filename}")})


def _codings(w: WebContext, ext: str) -> bytes:
    records = w.project.codings()
    if ext == "jsonl":
        return "".join(json.dumps(r.as_json(), ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    return codings_csv(records).encode("utf-8")
