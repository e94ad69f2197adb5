"""Enum-like arguments: one check that names the allowed values (and the nearest one) on a miss."""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from .errors import InputError

MAX_LISTED = 12


def one_of(value: str, allowed: Iterable[str], subject: str, *, what: str = "value") -> str:
    """``value`` if it is allowed, else an InputError listing the choices and a "did you mean".

    Projects can hold hundreds of cases, so the list is cut short; the closest match is always shown.
    """
    choices = list(dict.fromkeys(allowed))
    if value in choices:
        return value
    near = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not near:
        folded = [c for c in choices if c.casefold() == value.casefold()]
        near = folded[:1]
    hint = f"; did you mean {near[0]!r}?" if near else ""
    if not choices:
        raise InputError(subject, f"unknown {what} {value!r} (there are none yet)")
    shown = ", ".join(choices[:MAX_LISTED]) + (f", … ({len(choices)} in all)" if len(choices) > MAX_LISTED else "")
    raise InputError(subject, f"unknown {what} {value!r} (choose from: {shown}){hint}")


def in_range(value: float, subject: str, *, low: float | None = None, high: float | None = None) -> None:
    """Numbers from users are range-checked: ``--limit -1`` must not silently mean "no limit"."""
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (f"between {low:g} and {high:g}" if low is not None and high is not None
                  else f"at least {low:g}" if low is not None else f"at most {high:g}")
        raise InputError(subject, f"must be {bounds}, not {value:g}")
