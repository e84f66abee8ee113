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
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from bibliomap.io.atomic import atomic_path, write_text

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


def _map_text(df: pd.DataFrame, cell: Callable[[object], object]) -> pd.DataFrame:
    """A copy of ``df`` with ``cell`` applied to every value of its text columns."""
    out = df.copy()
    for col in out.columns:
        if _is_text(out[col]):
            out[col] = out[col].map(cell)
    return out


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell that begins like a formula made inert (:func:`formula_safe`)."""
    return _map_text(df, _csv_cell)


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


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Cells Excel can hold: lists joined, over-long text cut with a note, NaN/NA empty."""
    return _map_text(df, _excel_cell)


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to one workbook, a sheet per table in the given order, atomically."""
    path = Path(path)
    names = sheet_names(list(tables))
    with atomic_path(path) as tmp:
        # text stays text: no string becomes a formula or a hyperlink, whatever it begins with
        options = {"strings_to_formulas": False, "strings_to_urls": False}
        with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
            # fixed document properties and creation time keep the file byte-identical
            writer.book.set_properties({"created": _FIXED_TIME})
            for sheet, df in zip(names, tables.values()):
                _excel_safe(df).to_excel(writer, sheet_name=sheet, index=False)
    return path


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, workbook: str = "tables.xlsx") -> list[Path]:
    """Write each table as ``<name>.csv`` in ``out_dir`` plus one workbook; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [table_to_csv(df, out_dir / f"{name}.csv") for name, df in tables.items()]
    paths.append(tables_to_xlsx(tables, out_dir / workbook))
    return paths
