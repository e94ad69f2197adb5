"""A short Markdown summary of the findings, for the CLI to print after writing a report."""
from __future__ import annotations

from .content import LEVEL_LABELS, STRENGTH_LABELS, Num, ReportData, build_content


def _text(sentence: list) -> str:
    return "".join(str(p.value) if isinstance(p, Num) else p for p in sentence)


def render_markdown(data: ReportData, content: dict | None = None) -> str:
    c = content if content is not None else build_content(data)
    t = c["totals"]
    lines = [f"# {data.project_name}: what did involvement change?", ""]
    headline = c.get("headline") or []
    if headline:
        lines += [" ".join(_text(s) for s in headline), ""]
    for sentence in c["findings"][1:] if headline else c["findings"]:
        lines.append("- " + _text(sentence))
    lines += ["", "| Level | Claims |", "|---|---:|"]
    for lv, n in t["levels"].items():
        if int(n.value):
            lines.append(f"| {LEVEL_LABELS[lv]} | {n.value} |")
    lines += ["", "| Evidence strength | Claims |", "|---|---:|"]
    for s, n in t["strengths"].items():
        lines.append(f"| {STRENGTH_LABELS[s]} | {n.value} |")
    return "\n".join(lines) + "\n"
