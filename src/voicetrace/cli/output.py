"""How the CLI prints: tables for people, JSONL/CSV for pipes, progress bars only on terminals."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console

# On a terminal rich fits the window; in a pipe, tables get room instead of rich's default 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def write_jsonl(records: Iterable[dict[str, Any]]) -> None:
    w = sys.stdout.write
    for r in records:
        w(json.dumps(r, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from rich.table import Table  # imported on use, like everything a bare `voicetrace --help` does not need

    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c.replace("_", " "), overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    out.print(t)


def interactive() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_factory(label: str) -> Iterator[Callable[[int], Callable[[str], None]] | None]:
    """Yields a factory for a progress callback when on a terminal, else None (quiet in pipes/CI)."""
    if not interactive():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[item]}"), TimeElapsedColumn(), console=err, transient=True)
    with prog:
        def factory(total: int) -> Callable[[str], None]:
            task = prog.add_task(label, total=total, item="")
            first = [True]

            def tick(item: str) -> None:
                if not first[0]:
                    prog.advance(task)
                first[0] = False
                prog.update(task, item=item[-50:])
            return tick
        yield factory


def fail(message: str, code: int = 1) -> None:
    err.print(f"error: {message}", markup=False)
    raise SystemExit(code)
