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
