"""The workbook written in openpyxl's streaming (write-only) mode keeps its content and its looks."""
from __future__ import annotations

from openpyxl import load_workbook

from voicetrace.reports import write_xlsx

from .study_fixture import build
from .test_report import _data


def test_streamed_workbook_keeps_values_types_and_styles(tmp_path):
    s = build()
    data = _data(s)
    data.codings.loc[data.codings.index[0], "text"] = '=cmd|"/c calc"!A1'
    data.codings.loc[data.codings.index[1], "text"] = "#N/A"  # an error code as a participant's words
    path = tmp_path / "r.xlsx"
    write_xlsx(data, path)
    wb = load_workbook(path)
    ws = wb["Codings"]
    rows = list(ws.values)
    header = rows[0]
    assert header[:3] == ("coding_id", "source", "case")
    by_id = {r[0]: r for r in rows[1:]}
    for rec in data.codings.to_dict("records"):  # every coding, every shown column, the same value
        row = by_id[int(rec["coding_id"])]
        assert row[header.index("source")] == rec["source"]
        assert row[header.index("start")] == int(rec["start"]) and row[header.index("end")] == int(rec["end"])
        assert row[header.index("code")] == rec["code"]
        assert row[header.index("text")] == rec["text"]
    formula_like = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == '=cmd|"/c calc"!A1')
    assert formula_like.data_type == "s"
    error_like = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == "#N/A")
    assert error_like.data_type == "s"
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "B2"
    assert ws.column_dimensions["O"].width == 80
    matrix = wb["Matrix"]
    assert matrix["B2"].alignment.wrap_text and matrix["A3"].alignment.vertical == "top"
    assert not ws["B2"].alignment.wrap_text  # a sheet without wrapping carries no body style
    assert [r[0] for r in list(matrix.values)[1:]] == ["Hillview", "Lakeside", "Riverside"]


TRICKY = ["plain", "  padded  ", "", "=cmd|\"/c calc\"!A1", "=", "#N/A", "#DIV/0!", "bell\x07gone", "x" * 40000,
          "line\nbreak", "<b>&amp;</b>", "crlf\r\nand\ttab\r", "quote \" and ' and > ]]>", 0, -7, 12345678901, 2.5, float("nan"), True, False, None]


def _written_by_openpyxl(path, rows, wrap):
    """The same rows through openpyxl's own cell writer: text forced to text, the sheet's style on every cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    from voicetrace.reports.xlsx import _value
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    ws.append(["h"] * len(rows[0]))
    for row in rows:
        cells = []
        for v in row:
            c = WriteOnlyCell(ws, value=_value(v))
            if isinstance(c.value, str):
                c.data_type = "s"
            if wrap:
                c.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(c)
        ws.append(cells)
    wb.save(path)


def test_row_writer_reads_back_as_openpyxls_own_cells(tmp_path):
    """Every kind of value the fast row writer takes reads back with openpyxl's value, type and style."""
    import numpy as np
    from openpyxl import Workbook

    from voicetrace.reports.xlsx import _sheet
    # numpy values become plain ones; a date (from a numpy datetime) sends its row through openpyxl's own path
    rows = [TRICKY, list(reversed(TRICKY)), [np.datetime64("2008-01-02"), np.int64(3), np.float64(0.5)] + TRICKY[3:]]
    for wrap in (False, True):
        ours, theirs = tmp_path / f"ours{wrap}.xlsx", tmp_path / f"theirs{wrap}.xlsx"
        wb = Workbook(write_only=True)
        _sheet(wb, "S", ["h"] * len(TRICKY), rows, wrap=wrap)
        wb.save(ours)
        _written_by_openpyxl(theirs, rows, wrap)
        a, b = load_workbook(ours)["S"], load_workbook(theirs)["S"]
        assert a.max_row == b.max_row == 4 and a.max_column == b.max_column == len(TRICKY)
        for ra, rb in zip(a.iter_rows(min_row=2), b.iter_rows(min_row=2), strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                assert (ca.value, ca.data_type) == (cb.value, cb.data_type), ca.coordinate
                assert ca.alignment.wrap_text == cb.alignment.wrap_text == (wrap or None), ca.coordinate
                assert ca.alignment.vertical == cb.alignment.vertical
    texts = [c.value for c in next(a.iter_rows(min_row=2))]
    assert texts[:7] == ["plain", "  padded  ", None, "=cmd|\"/c calc\"!A1", "=", "#N/A", "#DIV/0!"]
    assert texts[7] == "bellgone" and len(texts[8]) == 32767 and texts[-3:] == [True, False, None]
    dated = [c.value for c in a[4][:3]]
    assert dated[0].year == 2008 and dated[1:] == [3, 0.5]
