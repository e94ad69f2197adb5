"""Reports: one self-contained HTML file, an XLSX workbook and a short Markdown summary."""
from __future__ import annotations

from .board import Board, build_board, render_board, write_board
from .content import ReportData, build_content
from .html import render_html, write_html
from .markdown import render_markdown
from .xlsx import write_xlsx

__all__ = ["Board", "ReportData", "build_board", "build_content", "render_board", "render_html", "render_markdown",
           "write_board", "write_html", "write_xlsx"]
