"""Result tables: text that begins like a formula stays inert text in CSV and XLSX; long cells survive."""
from __future__ import annotations

import csv
import warnings

import openpyxl
import pandas as pd

from bibliomap.io.tables import EXCEL_CELL_MAX, table_to_csv, tables_to_xlsx

HOSTILE = [
    '=HYPERLINK("http://127.0.0.1/x","click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "A plain title",
]


def _table() -> pd.DataFrame:
    return pd.DataFrame({"title": HOSTILE, "citations": range(-3, len(HOSTILE) - 3), "score": [-0.5] * len(HOSTILE)})


def test_csv_cells_that_begin_like_formulas_get_an_apostrophe(tmp_path):
    path = table_to_csv(_table(), tmp_path / "t.csv")
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    titles = [r["title"] for r in rows]
    assert titles[:-1] == ["'" + t.replace("\r", "\n") for t in HOSTILE[:-1]]
    assert titles[-1] == "A plain title"
    # numbers stay numbers, negative ones included
    assert [r["citations"] for r in rows][:3] == ["-3", "-2", "-1"] and rows[0]["score"] == "-0.5"


def test_xlsx_never_holds_a_formula_or_link(tmp_path):
    path = tables_to_xlsx({"docs": _table()}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["docs"]
    cells = [ws.cell(row=i + 2, column=1) for i in range(len(HOSTILE))]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    assert [c.value for c in cells][:2] == HOSTILE[:2]
    assert all(c.hyperlink is None for c in cells)
    assert ws.cell(row=2, column=2).value == -3


def test_xlsx_cuts_an_over_long_cell_visibly_without_a_warning(tmp_path):
    long = "x" * (EXCEL_CELL_MAX + 5000)
    df = pd.DataFrame({"abstract": [long, "short"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = tables_to_xlsx({"t": df}, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["t"]
    value = ws.cell(row=2, column=1).value
    assert len(value) == EXCEL_CELL_MAX and value.endswith("[truncated: the full text is in the CSV]")
    assert ws.cell(row=3, column=1).value == "short"
    assert table_to_csv(df, tmp_path / "t.csv").read_text().count("x") == len(long)
