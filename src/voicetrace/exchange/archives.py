"""Reading untrusted zip archives (.qdpx) into memory with hard limits.

A .qdpx comes from someone else's machine, so every member is read into memory under caps on
entry count, per-entry size, total size and compression ratio. Nothing is ever extracted to disk,
and both the declared sizes and the bytes actually inflated are checked, because headers can lie.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from voicetrace.core.errors import InputError

MiB = 1024 * 1024
GiB = 1024 * MiB
_CHUNK = MiB


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 20_000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    max_ratio: float = 200.0
    ratio_applies_above: int = MiB


DEFAULT_LIMITS = ArchiveLimits()

_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> bool:
    """True for names that could escape an extraction folder (zip-slip), even if we never extract."""
    if not name or "\x00" in name:
        return True
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return True
    return any(part == ".." for part in unified.split("/"))


class SafeArchive:
    """A zip whose members can be listed and read, within :class:`ArchiveLimits`."""

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
        self.subject = path.name
        self.limits = limits
        self._inflated_total = 0
        if not path.is_file():
            raise InputError(self.subject, "file not found")
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise InputError(self.subject, "not a REFI-QDA .qdpx archive (not a zip file, or a corrupt one)") from None
        except (OSError, ValueError) as exc:
            raise InputError(self.subject, f"cannot open archive ({exc})") from None
        try:
            self._check_directory()
        except BaseException:
            self._zip.close()
            raise

    def _fail(self, reason: str) -> InputError:
        return InputError(self.subject, reason)

    def _check_directory(self) -> None:
        infos = self._zip.infolist()
        lim = self.limits
        if len(infos) > lim.max_entries:
            raise self._fail(f"archive has {len(infos)} entries, more than the limit of {lim.max_entries}")
        declared_total = 0
        for info in infos:
            if unsafe_member_name(info.filename):
                raise self._fail(f"unsafe path in archive: {info.filename!r} (refusing the whole archive)")
            if info.file_size > lim.max_entry_bytes:
                raise self._fail(
                    f"entry {info.filename!r} would inflate to {info.file_size} bytes, "
                    f"more than the limit of {lim.max_entry_bytes}"
                )
            self._check_ratio(info, info.file_size)
            declared_total += info.file_size
            if declared_total > lim.max_total_bytes:
                raise self._fail(
                    f"archive would inflate to more than {lim.max_total_bytes} bytes (possible zip bomb)"
                )

    def _check_ratio(self, info: zipfile.ZipInfo, inflated: int) -> None:
        lim = self.limits
        if inflated <= lim.ratio_applies_above:
            return
        if info.compress_size <= 0 or inflated / info.compress_size > lim.max_ratio:
            raise self._fail(
                f"entry {info.filename!r} has a compression ratio above {lim.max_ratio:g}:1 (possible zip bomb)"
            )

    @property
    def names(self) -> list[str]:
        return [i.filename for i in self._zip.infolist() if not i.is_dir()]

    def read(self, name: str) -> bytes:
        """Inflate one member, counting real bytes against every limit as they arrive."""
        info = self._zip.getinfo(name)
        lim = self.limits
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    self._inflated_total += len(chunk)
                    if size > info.file_size:
                        raise self._fail(f"entry {name!r} is larger than its header declares (corrupt or hostile)")
                    if size > lim.max_entry_bytes:
                        raise self._fail(f"entry {name!r} is larger than the limit of {lim.max_entry_bytes} bytes")
                    if self._inflated_total > lim.max_total_bytes:
                        raise self._fail(f"archive inflates to more than {lim.max_total_bytes} bytes (possible zip bomb)")
                    self._check_ratio(info, size)
                    chunks.append(chunk)
        except zipfile.BadZipFile as exc:
            raise self._fail(f"corrupt entry {name!r} ({exc})") from None
        except (OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise self._fail(f"cannot read entry {name!r} ({exc})") from None
        return b"".join(chunks)

    def find(self, wanted: str) -> str | None:
        """The member matching ``wanted`` exactly, else case-insensitively; directories ignored."""
        wanted = posixpath.normpath(wanted.replace("\\", "/")).lstrip("/")
        names = self.names
        if wanted in names:
            return wanted
        lower = wanted.lower()
        for name in names:
            if name.lower() == lower:
                return name
        return None

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
