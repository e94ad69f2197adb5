"""Writing a document so that a failed write never leaves half of it behind."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A part file beside ``target`` to write to; it replaces ``target`` when the block ends, and is
    removed when the block fails (the target, if any, stays as it was)."""
    tmp = target.with_name(target.name + ".part")
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(target)
