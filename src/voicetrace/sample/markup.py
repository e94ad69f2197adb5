"""The light markup the sample study's text sources are written in.

Authors write plain text so the corpus can be reviewed and diffed; the builder needs structure
(headings, lists, tables, speaker turns) to render real-looking office documents. Blocks are
separated by blank lines; inside a block, ``#`` lines are headings, ``- `` lines list items and
``|`` lines table rows; other lines are paragraph text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "table"]

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TURN = re.compile(r"^([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}):\s")


@dataclass
class Block:
    """One renderable unit; ``rows`` is set for tables, ``text`` otherwise."""

    kind: BlockKind
    text: str = ""
    level: int = 1
    rows: list[list[str]] = field(default_factory=list)
    # The speaker label of a transcript turn, so renderers can set it in bold. Only transcripts
    # get one: minutes are full of "Parking: ..." lines that are not speakers.
    speaker: str | None = None


def plain(text: str) -> str:
    """Drop inline emphasis so formats without Markdown show the words only."""
    return _BOLD.sub(r"\1", text)


def _row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def parse(source: str, transcript: bool = False) -> list[Block]:
    """Split a text source into blocks, keeping each line of a mixed block as its own paragraph."""
    blocks = _parse(source)
    if transcript:
        for block in blocks:
            match = _TURN.match(block.text) if block.kind == "paragraph" else None
            block.speaker = match.group(1) if match else None
    return blocks


def _table(rows: list[list[str]]) -> Block:
    """A table block, dropping Markdown separator rows (``| --- |``) if an author wrote them."""
    kept = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) for c in r)]
    return Block("table", rows=kept)


def _parse(source: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", source.replace("\r\n", "\n").strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        structured = any(_HEADING.match(l) or l.startswith("- ") or l.lstrip().startswith("|") for l in lines)
        if not structured and lines and _TURN.match(lines[0]):
            # A speaker turn wrapped over several lines is still one turn.
            blocks.append(Block("paragraph", plain(" ".join(l.strip() for l in lines))))
            continue
        table: list[list[str]] = []
        for line in lines:
            if line.lstrip().startswith("|"):
                table.append(_row(line))
                continue
            if table:
                blocks.append(_table(table))
                table = []
            heading = _HEADING.match(line)
            if heading:
                blocks.append(Block("heading", plain(heading.group(2).strip()), level=len(heading.group(1))))
            elif line.startswith("- "):
                blocks.append(Block("item", plain(line[2:].strip())))
            else:
                # Each line stands alone (e.g. "1. WELCOME" above its text), as authors lay them out.
                blocks.append(Block("paragraph", plain(line.strip())))
        if table:
            blocks.append(_table(table))
    return blocks


def title_of(blocks: list[Block], fallback: str) -> str:
    for block in blocks:
        if block.kind == "heading":
            return block.text
    return fallback
