"""Hostile and broken .qdpx files: each is refused with one clear InputError and leaves no files."""
from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.exchange.refi_fixtures import project_xml, write_zip
from voicetrace.core.errors import InputError
from voicetrace.exchange import ArchiveLimits, read_qdpx

SRC = "33333333-cccc-4ccc-8ccc-000000000001"
CHUNK = b"a" * (16 << 20)


def _snapshot(*dirs: Path) -> set[Path]:
    return {p for d in dirs for p in d.rglob("*")}


@pytest.fixture(autouse=True)
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, so stray extraction would show up in the snapshots."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def _refused(path: Path, *fragments: str, limits: ArchiveLimits | None = None) -> InputError:
    watched = (path.parent, Path.cwd())
    before = _snapshot(*watched)
    with pytest.raises(InputError) as info:
        read_qdpx(path, limits) if limits else read_qdpx(path)
    assert _snapshot(*watched) == before, "reading a refused archive must not create files"
    message = str(info.value)
    assert message.startswith(path.name + ": ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return info.value


@pytest.mark.parametrize("evil", ["../evil.txt", "sources/../../evil.txt", "/etc/evil.txt",
                                  "C:/Windows/evil.txt", "sources\\..\\..\\evil.txt"])
def test_zip_slip_refuses_whole_archive(tmp_path: Path, evil: str) -> None:
    path = tmp_path / "slip.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", project_xml(""))
        info = zipfile.ZipInfo("placeholder")
        info.filename = evil  # bypass zipfile's own sanitising of names, as a hostile tool would
        zf.writestr(info, b"pwned")
    before = _snapshot(tmp_path)
    _refused(path, "unsafe path in archive")
    assert _snapshot(tmp_path) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_xxe_refused(sandbox: Path) -> None:
    secret = sandbox / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>').encode()
    path = write_zip(sandbox / "xxe.qdpx", {"project.qde": xml})
    _refused(path, "XML entity declarations are not allowed")


def test_billion_laughs_refused(sandbox: Path) -> None:
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE Project [{ents}]><Project name="&lol9;"/>'.encode()
    path = write_zip(sandbox / "laughs.qdpx", {"project.qde": xml})
    _refused(path, "XML entity declarations are not allowed")


def test_external_dtd_refused(sandbox: Path) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://127.0.0.1:9/x.dtd"><Project name="x"/>'
    path = write_zip(sandbox / "dtd.qdpx", {"project.qde": xml})
    _refused(path, "DTD")


def _zip_member(name: bytes, method: int, crc: int, packed: int, size: int) -> bytes:
    """A local file header; the central-directory entry carries the same fields."""
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, packed, size, len(name), 0) + name


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 10 MB on disk inflating to 2.1 GiB, a valid archive with true sizes and CRC.

    Deflating 2.1 GiB costs ~12 CPU-s, so one 16 MiB chunk is deflated once and its bytes repeated: a full
    flush resets the compressor, so every later chunk would deflate to the same bytes. The archive is
    written by hand because zipfile cannot store data that is already compressed."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.qdpx"
    repeats = 2 * 64 + 6
    squeeze = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = squeeze.compress(CHUNK) + squeeze.flush(zlib.Z_FULL_FLUSH)
    tail = squeeze.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(CHUNK, crc)
    xml = project_xml("")
    members = [(b"project.qde", 0, zlib.crc32(xml), len(xml), len(xml), [xml]),
               (f"sources/{SRC}.txt".encode(), 8, crc, len(block) * repeats + len(tail), len(CHUNK) * repeats,
                [block] * repeats + [tail])]
    central, offset = b"", 0
    with path.open("wb") as out:
        for name, method, member_crc, packed, size, parts in members:
            header = _zip_member(name, method, member_crc, packed, size)
            central += struct.pack("<IHH", 0x02014B50, 20, 20) + header[6:30] + struct.pack(
                "<HHHII", 0, 0, 0, 0, offset) + name
            out.write(header)
            for part in parts:
                out.write(part)
            offset += len(header) + packed
        out.write(central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), offset, 0))
    with zipfile.ZipFile(path) as check:  # the archive is what it says
        info = check.getinfo(f"sources/{SRC}.txt")
        assert info.file_size == len(CHUNK) * repeats and check.read("project.qde") == xml
        with check.open(info) as member:  # into the second chunk: the repeated bytes inflate as the first did
            assert member.read(len(CHUNK) + (1 << 20)) == CHUNK + CHUNK[: 1 << 20]
    assert path.stat().st_size < 20 << 20
    return path


def test_zip_bomb_refused_by_declared_sizes(bomb: Path) -> None:
    err = _refused(bomb)
    assert "zip bomb" in err.reason or "limit" in err.reason


def test_zip_bomb_total_limit_even_without_ratio_check(bomb: Path) -> None:
    limits = ArchiveLimits(max_ratio=1e12, max_entry_bytes=1 << 40)
    _refused(bomb, "more than 2147483648 bytes", limits=limits)


def test_compression_ratio_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "ratio.qdpx", {"project.qde": project_xml(""), "sources/x.txt": b"a" * (8 << 20)})
    _refused(path, "compression ratio above 200:1")


def test_size_lie_in_header_is_caught_while_streaming(tmp_path: Path) -> None:
    """The central directory claims 1000 bytes for 4 MiB of data; reading must stop, not trust it."""
    path = tmp_path / "liar.qdpx"
    text = b"word " * (800 << 10)
    xml = project_xml(f'<Sources><TextSource guid="{SRC}" name="T" plainTextPath="internal://{SRC}.txt"/></Sources>')
    write_zip(path, {"project.qde": xml, f"sources/{SRC}.txt": text})
    data = bytearray(path.read_bytes())
    name = f"sources/{SRC}.txt".encode()
    central = data.index(b"PK\x01\x02" + b"", data.index(b"PK\x01\x02") + 1)  # second central entry
    assert data[central + 46: central + 46 + len(name)] == name
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_streaming_limit_per_entry(tmp_path: Path) -> None:
    xml = project_xml(f'<Sources><TextSource guid="{SRC}" name="T" plainTextPath="internal://{SRC}.txt"/></Sources>')
    path = write_zip(tmp_path / "big.qdpx", {"project.qde": xml, f"sources/{SRC}.txt": os.urandom(3 << 20)})
    _refused(path, "limit", limits=ArchiveLimits(max_entry_bytes=2 << 20))


def test_entry_count_limit(tmp_path: Path) -> None:
    members = {"project.qde": project_xml("")} | {f"sources/{i}.txt": b"x" for i in range(30)}
    path = write_zip(tmp_path / "many.qdpx", members)
    _refused(path, "31 entries", limits=ArchiveLimits(max_entries=20))


def test_absolute_member_name_is_zip_slip(tmp_path: Path) -> None:
    path = tmp_path / "abs.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", project_xml(""))
        info = zipfile.ZipInfo("x")
        info.filename = "/tmp/abs-evil.txt"
        zf.writestr(info, b"x")
    _refused(path, "unsafe path")


def test_absolute_and_escaping_paths_are_never_read_from_disk(sandbox: Path) -> None:
    secret = sandbox / "secret.txt"
    secret.write_text("TOP SECRET")
    src2 = SRC[:-1] + "2"
    src3 = SRC[:-1] + "3"
    body = ("<Sources>"
            f'<TextSource guid="{SRC}" name="Abs" plainTextPath="absolute:///{secret}"/>'
            f'<TextSource guid="{src2}" name="Rel" plainTextPath="relative:///../../secret.txt"/>'
            f'<TextSource guid="{src3}" name="Bare" plainTextPath="../secret.txt"/>'
            "</Sources>")
    path = write_zip(sandbox / "abs.qdpx", {"project.qde": project_xml(body, extra_attrs=f' basePath="{sandbox}"')})
    before = _snapshot(sandbox)
    project = read_qdpx(path)
    assert _snapshot(sandbox) == before
    assert project.sources == []
    assert project.skipped["missing_source_text"] == 3
    assert not any("TOP SECRET" in w for w in project.warnings)
    assert any("Abs" in w and "outside the archive" in w for w in project.warnings)


def test_not_a_zip(sandbox: Path) -> None:
    path = sandbox / "fake.qdpx"
    path.write_text("<Project/> but not zipped")
    _refused(path, "not a zip file")


def test_truncated_zip(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "cut.qdpx", {"project.qde": project_xml("") * 50})
    path.write_bytes(path.read_bytes()[:-30])
    _refused(path, "not a zip file, or a corrupt one")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.qdpx", "file not found")


def test_no_qde(sandbox: Path) -> None:
    path = write_zip(sandbox / "empty.qdpx", {"sources/a.txt": b"x", "nested/project.qde": project_xml("")})
    _refused(path, "no .qde project file")


def test_malformed_xml_and_wrong_root(sandbox: Path) -> None:
    bad = write_zip(sandbox / "bad.qdpx", {"project.qde": b"<Project name='x'><Users>"})
    _refused(bad, "malformed XML")
    wrong = write_zip(sandbox / "wrong.qdpx", {"x.qde": b"<html/>"})
    _refused(wrong, "not a REFI-QDA project")
