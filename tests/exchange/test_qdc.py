"""REFI-QDA codebooks (.qdc): lenient reading of vendor dialects, strict schema-valid writing."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicetrace.core.errors import InputError
from voicetrace.exchange import QdaCode, QdaSet, guid_for, read_qdc, validate_qdc, write_qdc

A = "11111111-aaaa-4aaa-8aaa-000000000001"
B = "11111111-aaaa-4aaa-8aaa-000000000002"


def _codebook(ns: str | None, set_attr: str = "guid") -> bytes:
    ns_attr = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><CodeBook{ns_attr} origin="X">'
            f'<Codes><Code guid="{A.upper()}" name="Level" isCodable="false" color="#FF0000">'
            f"<Description>where change lands</Description>"
            f'<Code guid="{{{B}}}" name="grassroots" isCodable="true"/></Code></Codes>'
            f'<Sets><Set guid="99999999-0000-4000-8000-000000000001" name="S"><MemberCode {set_attr}="{B}"/>'
            f'<MemberCode {set_attr}="99999999-9999-4999-8999-999999999999"/></Set></Sets></CodeBook>').encode()


@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4", None])
def test_read_namespace_variants(tmp_path: Path, ns: str | None) -> None:
    path = tmp_path / "book.qdc"
    path.write_bytes(_codebook(ns))
    codes, sets = read_qdc(path)
    (level,) = codes
    assert (level.guid, level.name, level.codable, level.color, level.description) == (
        A, "Level", False, "#FF0000", "where change lands")
    assert [(c.guid, c.name, c.codable) for c in level.children] == [(B, "grassroots", True)]
    assert [(s.name, s.member_codes) for s in sets] == [("S", [B])]  # unknown member dropped


def test_read_project_style_sets_and_nonconformant_guids(tmp_path: Path) -> None:
    path = tmp_path / "openqda.qdc"
    path.write_bytes(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c001" name="a" isCodable="true">'
                     b'<Code guid="c002" name="b" isCodable="true"/></Code></Codes>'
                     b'<Sets><Set guid="s1" name="S"><MemberCode targetGUID="c002"/></Set></Sets></CodeBook>')
    codes, sets = read_qdc(path)
    assert codes[0].guid == guid_for("foreign", "c001")
    assert sets[0].member_codes == [guid_for("foreign", "c002")]


def test_read_rejects_non_codebooks(tmp_path: Path) -> None:
    path = tmp_path / "x.qdc"
    path.write_bytes(b"<html/>")
    with pytest.raises(InputError, match="x.qdc: not a REFI-QDA codebook"):
        read_qdc(path)
    path.write_bytes(b'<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook>&e;</CodeBook>')
    with pytest.raises(InputError, match="entity declarations are not allowed"):
        read_qdc(path)
    with pytest.raises(InputError, match="missing.qdc"):
        read_qdc(tmp_path / "missing.qdc")


def test_write_is_schema_valid_and_round_trips(tmp_path: Path) -> None:
    codes = [QdaCode(guid_for("code", "level"), "Level", None, "A. level", False, [
        QdaCode(guid_for("code", "grassroots"), "grassroots_operational", "#2ca02c", "single service"),
        QdaCode(guid_for("code", "strategic"), "strategic_commissioning", None, "", True,
                [QdaCode(guid_for("code", "deep"), "deep & <odd> \"name\"")]),
    ])]
    sets = [QdaSet(guid_for("set", 1), "Primary", "one per statement", [guid_for("code", "grassroots")])]
    path = tmp_path / "out.qdc"
    write_qdc(codes, path, origin="voicetrace 0.1", sets=sets)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b'xmlns="urn:QDA-XML:codebook:1.0"' in data
    assert validate_qdc(data) == []
    got_codes, got_sets = read_qdc(path)
    assert [dataclasses.asdict(c) for c in got_codes] == [dataclasses.asdict(c) for c in codes]
    assert got_sets == sets


def test_validate_qdc_catches_problems() -> None:
    assert validate_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    assert validate_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c001" name="a" isCodable="true"/>'
                        b"</Codes></CodeBook>")


def test_write_refuses_empty_codebook(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_qdc([], tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


_names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=12)


@st.composite
def code_trees(draw: st.DrawFn, depth: int = 0) -> QdaCode:
    n = draw(st.integers(0, 10**9))
    children = draw(st.lists(code_trees(depth + 1), max_size=3)) if depth < 2 else []
    return QdaCode(guid_for("code", n), draw(_names), draw(st.sampled_from([None, "#abcdef", "#ABC"])),
                   draw(_names | st.just("")), draw(st.booleans()), children)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees=st.lists(code_trees(), min_size=1, max_size=3))
def test_round_trip_random_code_trees(tmp_path: Path, trees: list[QdaCode]) -> None:
    path = tmp_path / "r.qdc"
    write_qdc(trees, path)
    got, _ = read_qdc(path)
    assert got == trees
