"""The codebook: replace or extend it (from a file or a :class:`Codebook`), and write it out."""
from __future__ import annotations

from pathlib import Path

from ..core.codebook import Codebook
from ..core.errors import InputError
from ..storage.codebooks import write_codebook
from .context import Context


class Codebooks:
    """Changes to the codebook, each one audited; reads go through :meth:`Context.codebook` (cached)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def set_codebook(self, cb: Codebook, *, replace: bool = False, actor: str | None = None) -> dict[str, int]:
        """Upsert ``cb``'s codes (``replace``: drop unused codes it lacks); recorded as the coder's change
        unless ``actor`` says who."""
        problems = cb.validate()
        if problems:
            raise InputError("codebook", "; ".join(problems[:3]))
        by = actor if actor is not None else self.ctx.coder()
        with self.ctx.db.begin() as conn:
            counts = write_codebook(conn, cb, replace=replace)
            self.ctx.db.log(conn, by, "import_codebook", "codebook", None, name=cb.name, version=cb.version, **counts)
        self.ctx.forget_codebook()
        return counts

    def import_codebook(self, path: str | Path, *, replace: bool = False, actor: str | None = None) -> dict[str, int]:
        from ..exchange.tabular import read_codebook_file
        return self.set_codebook(read_codebook_file(Path(path)), replace=replace, actor=actor)

    def export_codebook(self, path: str | Path) -> Path:
        from ..exchange.tabular import write_codebook_file
        return write_codebook_file(self.ctx.codebook(), Path(path))
