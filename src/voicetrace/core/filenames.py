"""File names that travel: uploads keep their Unicode, downloads open on every operating system.

A name is only cleaned of what would make it a different path (separators, ``..``) or an
unreadable one (control characters); letters in any script stay as they are, so ``интервью.txt``
and ``протокол.txt`` remain two files.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SEPARATORS = re.compile(r"[/\\]")
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})
MAX_NAME = 200


def clean_filename(name: str, *, portable: bool = False, fallback: str = "file") -> str:
    """The last path component of ``name`` without separators or control characters.

    ``portable`` also replaces what Windows refuses (``<>:"|?*``, device names, trailing dots),
    for names we hand out (downloads) rather than names we were given.
    """
    if portable:  # a name we make (from the project's name): a separator in it is just a character
        base = _SEPARATORS.sub("_", name)
    else:  # a name we were given: only its last component, so it cannot point elsewhere
        base = _SEPARATORS.split(name)[-1] if name else ""
    base = unicodedata.normalize("NFC", _CONTROL.sub("", base)).strip()
    if portable:
        base = _WINDOWS_RESERVED.sub("_", base).rstrip(". ")
        if base.split(".")[0].upper() in _WINDOWS_DEVICES:
            base = "_" + base
    base = base.strip(". ") if base in {".", ".."} or set(base) <= {"."} else base
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) < 16 else base[:MAX_NAME]
    return base or fallback


def unique_name(name: str, taken: Callable[[str], bool], *, before_extension: bool = True) -> str:
    """``name``, or ``stem (2).ext``, ``stem (3).ext`` … — the first one not ``taken``; never overwrite.

    Source names put the number after the whole name (``a.txt (2)``) so the original name stays readable.
    """
    if not taken(name):
        return name
    stem, dot, ext = name.rpartition(".")
    if not before_extension or not dot or not stem:
        stem, dot, ext = name, "", ""
    n = 2
    while taken(f"{stem} ({n}){dot}{ext}"):
        n += 1
    return f"{stem} ({n}){dot}{ext}"


def content_disposition(filename: str) -> str:
    """An RFC 6266 attachment header: an ASCII fallback plus the UTF-8 name (RFC 5987 ``filename*``)."""
    name = clean_filename(filename, portable=True, fallback="download")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", ascii_name).strip() or "download"
    if "." in name and "." not in ascii_name:
        ascii_name += "." + name.rsplit(".", 1)[-1].encode("ascii", "ignore").decode()
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
