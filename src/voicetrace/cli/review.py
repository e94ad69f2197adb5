"""`voicetrace review`: the suggestion queue at the keyboard.

a accept · x reject · space skip · u undo · q quit. The most uncertain suggestions come first
(active learning) and the suggester is retrained every N decisions, so the queue improves as you go.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel

if TYPE_CHECKING:
    from ..services.project import Project

KEYS = {"a": "accept", "x": "reject", " ": "skip"}


def run_review(p: Project, who: str, read_key: Callable[[], str], console: Console,
               retrain_every: int = 20, retrain: Callable[[], None] | None = None, limit: int | None = None,
               clear: bool = False) -> dict[str, int]:
    counts = {"accept": 0, "reject": 0, "skip": 0, "undo": 0}
    since_retrain = 0
    seen_skipped: set[int] = set()
    cb = p.codebook()
    names = {s.id: s.name for s in p.sources()}
    while limit is None or sum(counts.values()) < limit:
        queue = [s for s in p.suggestions(status="pending", order="uncertainty") if s.id not in seen_skipped]
        if not queue:
            console.print("[green]The queue is empty.[/] Nothing left to review.")
            break
        s = queue[0]
        code = cb.get(s.code_id)
        if clear:
            console.clear()
        done = sum(v for k, v in counts.items() if k != "undo")
        console.print(f"[dim]{done} decided this session · {counts['accept']} accepted · {counts['reject']} rejected[/]")
        console.print(Panel(s.text, title=f"{names.get(s.source_id, s.source_id)} [{s.start}:{s.end}]",
                            subtitle=f"{len(queue)} pending", expand=False))
        dim = cb.dimension_of(code.id) or ""
        console.print(f"suggested [bold cyan]{code.id}[/] ({dim}) — {code.definition}", highlight=False)
        console.print(f"score {s.score:.2f} · {s.agent} · {s.reason}", style="dim", highlight=False)
        console.print("[bold]a[/] accept  [bold]x[/] reject  [bold]space[/] skip  [bold]u[/] undo  [bold]q[/] quit")
        key = read_key()
        if key in ("q", "\x03", "\x04"):
            break
        if key == "u":
            last = p.last_decision(who)
            if last is None:
                console.print("nothing to undo", style="yellow")
                continue
            p.undo_decision(last.id, by=who)
            seen_skipped.discard(last.id)
            counts["undo"] += 1
            console.print(f"undid {last.status.value} of {last.code_id}", style="yellow")
            continue
        action = KEYS.get(key)
        if action is None:
            console.print(f"unknown key {key!r}", style="yellow")
            continue
        p.decide(s.id, action, by=who)
        counts[action] += 1
        if action == "skip":
            seen_skipped.add(s.id)
        since_retrain += 1
        if retrain and since_retrain >= retrain_every:
            console.print("retraining on your decisions…", style="dim")
            retrain()
            since_retrain = 0
    return counts
