"""The pieces every written statement is made of: figures that link to their evidence, and sentences.

Kept apart from ``content`` (which computes the figures) and ``findings`` (which writes sentences from
them) so that both, the board summary and any other output (PPI reports) can share them without
importing one another.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Num:
    """A number in the report and the evidence entry behind it (None for zero: nothing to show)."""

    value: int | str
    anchor: str | None = None

    def __str__(self) -> str:
        return str(self.value)


Sentence = list[str | Num]
"""A sentence as parts: plain strings and figures, so each writer decides how a figure links."""


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def sequence_names(names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plain(sentence: Sentence) -> str:
    """The sentence as text, figures as their values (what a reader sees without the links)."""
    return "".join(str(p) for p in sentence)
