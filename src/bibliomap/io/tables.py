"""Writing result tables: one CSV per table and one XLSX workbook with a sheet per table.

Files are written atomically and deterministically (fixed float format, no timestamps in the
workbook), so the same tables give byte-identical files. Text taken from records (a title, a
keyword) can begin like a spreadsheet formula (``=HYPERLINK(...)``): CSV cells that begin with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading apostrophe (OWASP's rule
against CSV injection), and workbook cells are always written as text, never as formulas.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bibliomap.atomic import atomic_path, write_text

_DECIMALS = 6
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = _dt.datetime(2000, 1, 1)
#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on the characters in one cell
EXCEL_CELL_MAX = 32_767
_TRUNCATED = " [truncated: the full text is in the CSV]"


def formula_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with an apostrophe; others unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _csv_cell(value: object) -> object:
    """A text cell made inert for spreadsheets, its line ends as '\n' (a bare CR is not quoted by csv)."""
    if isinstance(value, str):
        value = formula_safe(value)
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell that begins like a formula made inert (:func:`formula_safe`)."""
    out = df.copy()
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(_csv_cell)
    return out


def table_to_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` as UTF-8 CSV (no index, '\\n' line ends, floats to 6 decimals) atomically."""
    path = Path(path)
    write_text(path, spreadsheet_safe(_rounded(df)).to_csv(index=False, lineterminator="\n"))
    return path


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded to 6 decimals (also inside object columns) so files stay readable and stable."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(_DECIMALS)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: round(v, _DECIMALS) if isinstance(v, float) else v)
    return out


def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (at most 31 characters, no []:*?/\\)."""
    out: list[str] = []
    for name in names:
        base = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
        candidate, i = base, 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f"~{i}"
            candidate = base[: 31 - len(suffix)] + suffix
            i += 1
        out.append(candidate)
    return out


def _excel_cell(value: object) -> object:
    """Lists become '; '-joined strings; text longer than Excel's cell limit is cut with a note."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
        value = value[: EXCEL_CELL_MAX - len(_TRUNCATED)] + _TRUNCATED
    return value


def _column_values(column: pd.Series) -> list[object]:
    """A column's cells as Excel takes them: numbers as floats or ints, text made safe, missing as None."""
    if pd.api.types.is_bool_dtype(column):
        return [None if pd.isna(v) else bool(v) for v in column.tolist()]
    if pd.api.types.is_numeric_dtype(column):
        return [None if v != v else v for v in column.tolist()]  # NaN != NaN
    return [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else _excel_cell(v) for v in column.tolist()]


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to one workbook, a sheet per table in the given order, atomically.

    Rows are streamed to xlsxwriter directly (constant memory; about twice as fast as pandas'
    ``to_excel``); text is always written as text, never as a formula, number or link.
    """
    import xlsxwriter

    path = Path(path)
    names = sheet_names(list(tables))
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "constant_memory": True, "nan_inf_to_errors": True}
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), options)
        book.set_properties({"created": _FIXED_TIME})  # fixed properties keep the file byte-identical
        header = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "top"})
        for sheet, df in zip(names, tables.values()):
            ws = book.add_worksheet(sheet)
            ws.write_row(0, 0, [str(c) for c in df.columns], header)
            columns = [_column_values(df[c]) for c in df.columns] if len(df.columns) and df.columns.is_unique else \
                [_column_values(df.iloc[:, i]) for i in range(df.shape[1])]
            for r, row in enumerate(zip(*columns), start=1):
                ws.write_row(r, 0, row)
        book.close()
    return path


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, workbook: str = "tables.xlsx") -> list[Path]:
    """Write each table as ``<name>.csv`` in ``out_dir`` plus one workbook; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [table_to_csv(df, out_dir / f"{name}.csv") for name, df in tables.items()]
    paths.append(tables_to_xlsx(tables, out_dir / workbook))
    return paths
