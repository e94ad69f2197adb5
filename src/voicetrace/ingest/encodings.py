"""Turning the bytes of a text file into canonical text.

Canonical text is the decoded file with a leading byte-order mark removed and line endings
normalised (CRLF and lone CR become LF). Nothing else changes: no Unicode normalisation (NFC is
not applied), no trimming, no tab expansion, so emoji and combining marks keep their code points and
every offset stays meaningful against what the user sees.

Decoding order: a BOM wins (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); then strict UTF-8; then
charset-normalizer's guess, preferring cp1252 whenever it is a plausible reading, because the
files we meet (minutes, reports and transcripts from UK organisations) are far more often
Windows-1252 than anything charset-normalizer might confuse them with (it reads "£" as cp1250 "Ł").
NUL bytes and other control characters are treated as evidence of binary data and refused.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import charset_normalizer

from ..core.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # must precede UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters other than tab, LF, VT, FF, CR: a few are tolerable, many mean binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_NEWLINES = re.compile(r"\r\n?")


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; the only change canonical text makes besides dropping a BOM."""
    if "\r" not in text:
        return text
    return _NEWLINES.sub("\n", text)


def decode_text(name: str, data: bytes) -> DecodedText:
    """Decode a text file's bytes to canonical text or raise InputError saying why it is not text."""
    if not data:
        raise InputError(name, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                text = body.decode(encoding)
            except UnicodeDecodeError as err:
                label = encoding.upper().replace("-LE", " LE").replace("-BE", " BE")
                raise InputError(name, f"not valid {label} text (bad bytes at offset {err.start + len(bom)})") from None
            return _checked(name, DecodedText(normalise_newlines(text), encoding))
    if b"\x00" in data:
        decoded = _bomless_utf16(data)
        if decoded is None:
            raise InputError(name, "contains NUL bytes: binary data, not a text file")
        return _checked(name, decoded)
    try:
        return _checked(name, DecodedText(normalise_newlines(data.decode("utf-8")), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _checked(name, _guess(name, data))


def _bomless_utf16(data: bytes) -> DecodedText | None:
    """Text saved as UTF-16 without a BOM has NULs in every other byte for ASCII; recognise that."""
    if len(data) % 2 or len(data) < 4:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls >= 0.6 * half and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls >= 0.6 * half and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return DecodedText(normalise_newlines(text), encoding, [f"no byte-order mark; read as {encoding.upper()}"])


def _guess(name: str, data: bytes) -> DecodedText:
    cp1252: str | None
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    try:
        matches = list(charset_normalizer.from_bytes(data[:1_000_000]))
    except Exception:  # a detector failure must not stop a cp1252 reading
        matches = []
    names = {codecs.lookup(m.encoding).name for m in matches}
    if cp1252 is not None and (not matches or "cp1252" in names):
        return DecodedText(normalise_newlines(cp1252), "cp1252", ["not UTF-8; read as Windows-1252 (cp1252)"])
    if matches:
        best = matches[0]
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None:
            return DecodedText(
                normalise_newlines(text), best.encoding, [f"not UTF-8; encoding guessed as {best.encoding}"]
            )
    raise InputError(name, "text encoding not recognised (not UTF-8, UTF-16 or Windows-1252)")


def _checked(name: str, decoded: DecodedText) -> DecodedText:
    text = decoded.text
    sample = text[:200_000]
    if sample:
        controls = len(_CONTROL.findall(sample))
        if "\x00" in sample or controls > max(2, _MAX_CONTROL_SHARE * len(sample)):
            raise InputError(name, "contains control characters: binary data, not a text file")
    return decoded
