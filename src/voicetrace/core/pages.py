"""A page of a longer list: the items shown, how many there are in all, and where the page starts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """``items`` are ``limit`` (or fewer) of ``total``, starting at ``offset``."""
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None after the last."""
        nxt = self.offset + len(self.items)
        return nxt if nxt < self.total and self.items else None
