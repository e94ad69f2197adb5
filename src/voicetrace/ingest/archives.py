"""Zip containers (DOCX, ODT) are checked before any library opens them.

A word-processor file is a zip; a hostile one can be a zip bomb or carry an XML DTD with entity
expansions. We refuse: non-zips (naming legacy .doc / password-protected Office files, which are
OLE2 containers), a missing main part, any XML part over 100 MB uncompressed, a total over 512 MB,
and any XML part declaring a DTD (no legitimate DOCX or ODT needs one). zipfile never yields more
bytes than a member's declared size, so checking declared sizes bounds what is decompressed.
"""
from __future__ import annotations

import io
import zipfile

from ..core.errors import InputError

MAX_XML_PART = 100 * 1024 * 1024
MAX_TOTAL = 512 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_container(name: str, data: bytes, kind: str, main_part: str) -> zipfile.ZipFile:
    if data.startswith(_OLE2):
        raise InputError(
            name, f"not a valid {kind} file: an old binary Office file or a password-protected document"
        )
    if not data.startswith(b"PK"):
        raise InputError(name, f"not a valid {kind} file (not a zip container; corrupt or truncated?)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(name, f"corrupt or truncated {kind} file (bad zip)") from None
    names = {info.filename for info in infos}
    if main_part not in names:
        raise InputError(name, f"corrupt {kind} file (missing {main_part})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.filename.endswith(".xml") and info.file_size > MAX_XML_PART:
            raise InputError(name, f"{kind} part {info.filename} is too large when decompressed (zip bomb?)")
    if total > MAX_TOTAL:
        raise InputError(name, f"{kind} file expands to more than {MAX_TOTAL // 2**20} MB (zip bomb?)")
    return zf


def read_xml_part(name: str, zf: zipfile.ZipFile, part: str, kind: str) -> bytes:
    """Read one XML part, verifying its checksum and refusing DTDs."""
    try:
        raw = zf.read(part)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise InputError(name, f"corrupt or truncated {kind} file (cannot decompress {part})") from None
    refuse_dtd(name, raw, kind)
    return raw


def check_xml_parts(name: str, zf: zipfile.ZipFile, kind: str) -> None:
    """Refuse DTDs in every XML part the library will parse, not just the main one."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            read_xml_part(name, zf, info.filename, kind)


def refuse_dtd(name: str, raw: bytes, kind: str) -> None:
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InputError(name, f"{kind} contains an XML DTD, which is not allowed (unsafe file)")
