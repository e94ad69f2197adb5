"""The HTML → DOCX walk keeps each block's Word style and each run's emphasis."""
from pathlib import Path

import docx

from voicetrace.reports.docx import html_to_docx


def test_blocks_keep_their_word_styles_and_runs_their_emphasis(tmp_path: Path) -> None:
    html = ("<html><head><title>T</title></head><body><h1>Title here</h1><h2>Part</h2>"
            "<p>plain <b>bold</b> <i>italic</i></p><blockquote>a quote</blockquote>"
            "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol></body></html>")
    d = docx.Document(str(html_to_docx(html, tmp_path / "t.docx")))
    styles = [(p.style.name, p.text) for p in d.paragraphs if p.text]
    assert ("Normal", "plain bold italic") in styles
    assert [s for s, t in styles if t in ("one", "two")] == ["List Bullet", "List Bullet"]
    assert [s for s, t in styles if t == "first"] == ["List Number"]
    assert ("Heading 1", "Title here") in styles and ("Heading 2", "Part") in styles
    assert ("Quote", "a quote") in styles
    plain = next(p for p in d.paragraphs if p.text == "plain bold italic")
    emphasis = {r.text: (r.bold, r.italic) for r in plain.runs}
    assert emphasis["bold"] == (True, None) and emphasis["italic"] == (None, True)
    assert emphasis["plain "] == (None, None)
