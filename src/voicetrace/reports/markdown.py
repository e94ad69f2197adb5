"""A short Markdown summary of the findings, for the CLI to print after writing a report."""
from __future__ import annotations

from .content import ReportData, build_content
from .labels import LEVEL_LABELS, STRENGTH_LABELS
from .numbers import plain
from .sections import ReportContent


def render_markdown(data: ReportData, content: ReportContent | None = None) -> str:
    c = content if content is not None else build_content(data)
    t, summary = c.totals, c.summary
    lines = [f"# {data.project_name}: what did involvement change?", ""]
    if summary.headline:
        lines += [" ".join(plain(s) for s in summary.headline), ""]
    for sentence in summary.findings[1:] if summary.headline else summary.findings:
        lines.append("- " + plain(sentence))
    lines += ["", "| Level | Claims |", "|---|---:|"]
    for lv, n in t.levels.items():
        if int(n.value):
            lines.append(f"| {LEVEL_LABELS[lv]} | {n.value} |")
    lines += ["", "| Evidence strength | Claims |", "|---|---:|"]
    for s, n in t.strengths.items():
        lines.append(f"| {STRENGTH_LABELS[s]} | {n.value} |")
    return "\n".join(lines) + "\n"
