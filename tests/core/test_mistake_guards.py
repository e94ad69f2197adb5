"""The small pure guards behind issue 13: names that travel, cells that stay text, choices that say what is allowed."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetrace.core.cells import formula_safe, formula_unescaped
from voicetrace.core.choices import in_range, one_of
from voicetrace.core.errors import InputError
from voicetrace.core.filenames import clean_filename, content_disposition, unique_name


@pytest.mark.parametrize("name,kept", [("интервью.txt", "интервью.txt"), ("../../etc/passwd", "passwd"),
                                       ("a\\b\\c.txt", "c.txt"), ("tab\there.txt", "tabhere.txt"),
                                       ("..", "file"), ("", "file")])
def test_upload_names_keep_their_script_and_lose_only_paths_and_controls(name: str, kept: str) -> None:
    assert clean_filename(name) == kept


def test_download_names_open_on_windows() -> None:
    assert clean_filename('研究: a/b "x"?', portable=True) == "研究_ a_b _x__"
    assert clean_filename("CON.txt", portable=True) == "_CON.txt"


@given(st.text(min_size=1, max_size=40))
def test_content_disposition_is_always_ascii_and_round_trips_the_name(name: str) -> None:
    from urllib.parse import unquote
    header = content_disposition(name)
    assert header.isascii() and header.startswith('attachment; filename="')
    clean = clean_filename(name, portable=True, fallback="download")
    if "filename*=" in header:
        assert unquote(header.split("filename*=UTF-8''")[1]) == clean


def test_unique_name_never_overwrites() -> None:
    taken = {"a.txt", "a (2).txt"}
    assert unique_name("a.txt", taken.__contains__) == "a (3).txt"
    assert unique_name("a.txt", {"a.txt"}.__contains__, before_extension=False) == "a.txt (2)"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_leading_cells_are_made_text_and_read_back_exactly(cell: str) -> None:
    safe = formula_safe(cell)
    assert isinstance(safe, str) and safe.startswith("'") and formula_unescaped(safe) == cell


@pytest.mark.parametrize("cell", ["-3", "+4.5", "plain", 7, None])
def test_numbers_and_plain_text_are_left_alone(cell: object) -> None:
    assert formula_safe(cell) == cell


def test_one_of_names_the_choices_and_the_nearest() -> None:
    assert one_of("b", ["a", "b"], "--x") == "b"
    with pytest.raises(InputError, match=r"choose from: Northvale, Eastmere\); did you mean 'Northvale'"):
        one_of("Northvail", ["Northvale", "Eastmere"], "--case", what="case")
    with pytest.raises(InputError, match="must be at least 1"):
        in_range(-1, "--limit", low=1)


def test_every_csv_writer_makes_formula_cells_inert(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from voicetrace.exchange.records import records_csv
    from voicetrace.exchange.tabular import read_codebook_file, write_codebook_file
    from voicetrace.storage.codebooks import load_default_codebook
    out = records_csv([{"quote": "=HYPERLINK(\"http://x\",\"y\")", "n": -3}], ["quote", "n"])
    assert out.splitlines()[1].startswith("\"'=HYPERLINK") and out.splitlines()[1].endswith(",-3")
    cb = load_default_codebook()
    first = cb.codes[0]
    object.__setattr__(first, "definition", "=1+1 is not a formula here")
    path = write_codebook_file(cb, tmp_path / "cb.csv")
    assert "'=1+1" in path.read_text("utf-8")
    assert read_codebook_file(path).get(first.id).definition == "=1+1 is not a formula here"  # round trip exact
